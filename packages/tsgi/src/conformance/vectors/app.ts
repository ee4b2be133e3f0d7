import { requestVectorApp } from "./vectorApp.js";

/**
 * The request-vector app as a module's default export, for servers that load apps by path
 * in other processes (`tsgi-worker`, `tsgi-dev`'s app process). It records its calls under
 * `$TSGI_REQUEST_VECTOR_TOKEN`, which those processes inherit.
 */
const vectorApp = requestVectorApp();
export default vectorApp;
