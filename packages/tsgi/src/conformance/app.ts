import { createConformanceApp } from "./probes/conformanceApp.js";

/**
 * The conformance app as a module's default export, for servers that load apps
 * by module path in other processes (a pre-fork worker server): `start(app,
 * { appModule })` gets this file's path in `appModule`.
 */
const conformanceApp = createConformanceApp();
export default conformanceApp;
