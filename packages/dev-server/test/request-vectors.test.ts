/**
 * The request-vector table of tsgi/conformance against `tsgi-dev` as a user runs it: the
 * supervisor, the app process fed sockets over IPC, validator and debug page on, default limits.
 */
import { afterAll } from "vitest";
import { runRequestVectors } from "tsgi/conformance";
import { killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";

afterAll(killAllDevProcesses);

runRequestVectors({
  name: "tsgi-dev CLI",
  // Every served environ must carry the probed assembler's key: built through assembleEnviron.
  assemblerProbe: true,
  // Added through assembleEnviron's serverKeys: the target exactly as received.
  serverKeys: ["tsgi_dev.raw_uri"],
  skip: {
    // node:http's llhttp refuses BWS after a chunk size ("Invalid character in chunk size"), which RFC 9112 §7.1.1
    // allows; tsgi-dev serves on node:http, where only the far too broad insecureHTTPParser would let it through (ENVIRON).
    "chunk-extensions-bws": "llhttp refuses BWS in chunk extensions (ENVIRON: tsgi-dev on node:http)",
  },
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
