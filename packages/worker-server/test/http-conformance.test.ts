/**
 * The tsgi conformance suite against one in-process worker server (HTTP and HTTPS-free
 * defaults, SCRIPT_NAME mounting): the HTTP layer alone, without the process tree that the
 * arbiter's own conformance tests add.
 */
import { runConformance } from "tsgi/conformance";
import { createWorkerServer } from "../src/connection/index.js";

runConformance({
  name: "worker-server HTTP layer (in-process)",
  capabilities: { scriptName: true },
  async start(app, options) {
    const server = createWorkerServer(app, options.scriptName !== undefined ? { scriptName: options.scriptName } : {});
    await server.serve({ host: "127.0.0.1", port: 0 });
    const address = server.addresses()[0];
    if (typeof address !== "object") throw new Error("expected a TCP address");
    return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
  },
});
