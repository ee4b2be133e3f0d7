export { technical404Response } from "./technical404.js";
export { technical500Response } from "./technical500.js";
export { escapeHtml } from "./html.js";
export { templateErrorInfo, type TemplateErrorInfo } from "./templateErrorInfo.js";
