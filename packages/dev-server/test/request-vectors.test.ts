/**
 * The request-vector table of tsgi/conformance against `tsgi-dev` as a user runs it (the
 * supervisor, the app process fed sockets over IPC, validator and debug page on, default
 * limits), and against `serve()`, the same server embedded in a process.
 */
import { afterAll } from "vitest";
import { runRequestVectors } from "tsgi/conformance";
import { serve } from "../src/index.js";
import { killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";

afterAll(killAllDevProcesses);

/** node:http's parser refuses what these vectors send; the expectation stays (see the tsgi README). */
const NODE_HTTP_FAILURES = {
  // llhttp refuses BWS after a chunk size ("Invalid character in chunk size"), which RFC 9112 §7.1.1 allows; tsgi-dev
  // serves on node:http, where only the far too broad insecureHTTPParser would let it through (ENVIRON).
  "chunk-extensions-bws": "llhttp refuses BWS in chunk extensions (ENVIRON: tsgi-dev on node:http)",
} as const;

runRequestVectors({
  name: "@tsgi/dev-server serve()",
  serverKeys: ["tsgi_dev.raw_uri"],
  skip: NODE_HTTP_FAILURES,
  async start(app) {
    const server = await serve(app, { port: 0 });
    return { url: server.url.replace(/\/$/, ""), close: () => server.close() };
  },
});

runRequestVectors({
  name: "tsgi-dev CLI",
  // Every served environ must carry the probed assembler's key: built through assembleEnviron.
  assemblerProbe: true,
  // Added through assembleEnviron's serverKeys: the target exactly as received.
  serverKeys: ["tsgi_dev.raw_uri"],
  skip: NODE_HTTP_FAILURES,
  async start(_app, { appModule, env }) {
    const dev = await startDevServer(["--port", "0", appModule], { cwd: process.cwd(), env });
    return {
      url: dev.url.replace(/\/$/, ""),
      close: async () => {
        await dev.stop("SIGTERM");
      },
    };
  },
});
