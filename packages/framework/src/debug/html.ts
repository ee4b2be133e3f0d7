// One escaper for every page the framework renders: the debug pages' own (tsgi/debug).
export { escapeHtml } from "tsgi/debug";
