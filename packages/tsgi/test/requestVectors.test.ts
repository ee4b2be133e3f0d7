/**
 * The request-vector table (tsgi/conformance) against the two ways tsgi serves on node:http:
 * `createServer`, and `toNodeListener` mounted by hand on a plain `http.createServer` with
 * Node's defaults, as an Express or Fastify user does. Both run at their default limits:
 * in this process, then each in a child process with the assembler probe, which proves
 * every environ they serve comes from `assembleEnviron`.
 */
import { spawn } from "node:child_process";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ErrorStream } from "tsgi";
import { afterAll, describe, expect, it } from "vitest";
import {
  ASSEMBLER_PROBE_KEY,
  REQUEST_VECTORS,
  REQUEST_VECTOR_TOKEN_ENV,
  createLedgerToken,
  removeLedger,
  runRequestVector,
  runRequestVectors,
  type RunningServer,
} from "tsgi/conformance";
import { createServer, toNodeListener } from "tsgi/node";
import { fileURLToPath } from "node:url";

// Refusals the server logs are expected here; keep them out of the test output.
const errors: ErrorStream = { write() {}, writelines() {}, flush() {} };

async function listen(server: Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Failing on node:http at this commit; each names the area that must fix it. The expectation stays. */
const NODE_HTTP_FAILURES = {
  // node:http's llhttp refuses BWS after a chunk size ("Invalid character in chunk size") though RFC 9112 §7.1.1
  // allows it; only Node's insecureHTTPParser (far too broad) would let it through (ENVIRON: tsgi/node).
  "chunk-extensions-bws": "llhttp refuses BWS in chunk extensions (ENVIRON: tsgi/node)",
} as const;

/**
 * On a plain node:http server the server's own default clientError handler answers what llhttp
 * refuses before the listener runs; createServer installs tsgi's handler (ENVIRON: tsgi/node).
 */
const PLAIN_NODE_HTTP_FAILURES = {
  ...NODE_HTTP_FAILURES,
  // llhttp's "invalid version" for HTTP/3.0 gets Node's default 400, not 505.
  "http3-request-line": "a plain node:http server answers HTTP/3.0 with 400 itself (ENVIRON: tsgi/node)",
  // llhttp's "Data after Connection: close" gets Node's default 400 instead of the response.
  "connection-close-then-pipelined": "a plain node:http server answers 400 to bytes after Connection: close (ENVIRON: tsgi/node)",
  "http10-then-pipelined": "a plain node:http server answers 400 to bytes after an HTTP/1.0 request (ENVIRON: tsgi/node)",
  // node:http hands CONNECT to a 'connect' listener, never to the request listener; without one it drops the socket unanswered.
  "connect-authority-form": "a plain node:http server closes a CONNECT without answering (ENVIRON: tsgi/node)",
} as const;

runRequestVectors({
  name: "tsgi/node createServer",
  start: (app) => listen(createServer(app, { errors })),
  skip: NODE_HTTP_FAILURES,
});

runRequestVectors({
  name: "toNodeListener on a plain node:http server",
  skip: PLAIN_NODE_HTTP_FAILURES,
  start(app) {
    const listener = toNodeListener(app, { errors });
    return listen(createHttpServer((req, res) => void listener(req, res)));
  },
});

const FIXTURE = fileURLToPath(new URL("./fixtures/vectorServer.ts", import.meta.url));

/** Starts the fixture server in a child process with `env`; resolves once it listens. */
function startChild(mode: "create-server" | "node-listener", env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (text: string) => {
      output += text;
      const match = /Listening at: (http:\/\/\S+)/.exec(output);
      if (!match) return;
      resolve({
        url: match[1] as string,
        async close() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.once("exit", (code) => reject(new Error(`vectorServer.ts ${mode} exited (${code}) before listening:\n${output}`)));
  });
}

runRequestVectors({
  name: "tsgi/node createServer, child process with the assembler probe",
  assemblerProbe: true,
  skip: NODE_HTTP_FAILURES,
  start: (_app, { env }) => startChild("create-server", env),
});

runRequestVectors({
  name: "toNodeListener on a plain node:http server, child process with the assembler probe",
  assemblerProbe: true,
  skip: PLAIN_NODE_HTTP_FAILURES,
  start: (_app, { env }) => startChild("node-listener", env),
});

describe("the assembler probe can fail", () => {
  const ledgerToken = createLedgerToken();
  afterAll(() => removeLedger(ledgerToken));

  it("a server started without the probe serves environs without its key, and the runner says so", async () => {
    const server = await startChild("create-server", { [REQUEST_VECTOR_TOKEN_ENV]: ledgerToken });
    try {
      const first = REQUEST_VECTORS.find((entry) => entry.id === "http11-get");
      if (first === undefined) throw new Error("vector http11-get is gone");
      const outcome = await runRequestVector(first, { origin: server.url, ledgerToken, everyServed: { [ASSEMBLER_PROBE_KEY]: "m" } });
      expect(outcome.passed).toBe(false);
      expect(outcome.problems).toEqual([`response 1: ${ASSEMBLER_PROBE_KEY} is missing, expected "m"`]);
      expect(outcome.appCalls).toBe(1);
    } finally {
      await server.close();
    }
  }, 60_000);
});
