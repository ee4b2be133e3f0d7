import { afterAll } from "vitest";
import { runConformance } from "tsgi/conformance";
import { serve } from "../src/index.js";
import { killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";

// The reference server as embedded with serve(), with its defaults: the whole suite.
runConformance({
  name: "@tsgi/dev-server serve()",
  async start(app, { scriptName }) {
    const server = await serve(app, { port: 0, ...(scriptName ? { scriptName } : {}) });
    return { url: server.url.replace(/\/$/, ""), close: () => server.close() };
  },
  capabilities: { scriptName: true, websocket: true },
});

// tsgi-dev as a user runs it: supervisor, app process fed sockets over IPC, validator and debug page on.
afterAll(killAllDevProcesses);
runConformance({
  name: "tsgi-dev CLI (autoreload, validator and debug page on)",
  skip: [
    // The probe answers 204 with a body on purpose: the validator rightly turns that into a 500 naming the rule.
    "no-body-statuses",
    // These want a 500 that reveals nothing; showing the error is what the debug page is for (Django's DEBUG=True).
    // Their status and framing are still checked by debug-page.test.ts; serve() above passes them.
    "error-before-headers-500",
    "invalid-response-500",
    // The app process serves with the same listener as serve() above, which runs these slow checks;
    // here one 50 MiB download is enough to show big bodies cross the handed-over socket intact.
    "backpressure-slow-client",
    "input-backpressure",
    "large-upload",
    "large-echo",
  ],
  capabilities: { websocket: true, lifespan: true },
  async start(_app, { appModule }) {
    const dev = await startDevServer(["--port", "0", appModule], { cwd: process.cwd() });
    return {
      url: dev.url.replace(/\/$/, ""),
      close: async () => {
        await dev.stop("SIGTERM");
      },
    };
  },
});
