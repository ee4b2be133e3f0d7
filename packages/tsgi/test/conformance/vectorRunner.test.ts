import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { REQUEST_VECTORS, VECTOR_CALL_EVENT, assemblerKeysFor, compareAssemblerKeys, createLedgerToken, recordProbeEvent, removeLedger, runRequestVector, type RequestVector } from "tsgi/conformance";

/**
 * The vector runner must catch broken servers, or its passes mean nothing. Each "server" here
 * is a raw TCP server with one fixed behaviour, whatever it is sent.
 */

const ledgerToken = createLedgerToken();
let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});
afterAll(() => removeLedger(ledgerToken));

/** Serves `answer` to the first bytes of every connection; `close` ends the connection after it. */
async function rawServer(answer: () => string, close: boolean): Promise<string> {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("data", () => {
      if (close) socket.end(answer());
      else socket.write(answer());
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

function byId(id: string): RequestVector {
  const found = REQUEST_VECTORS.find((entry) => entry.id === id);
  if (!found) throw new Error(`no vector ${id}`);
  return found;
}

const REFUSAL = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

function report(environ: Record<string, string>, body = ""): string {
  const json = JSON.stringify({ environ, keys: Object.keys(environ), body });
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}

/** Records one app call in the ledger, as the vector app does, and returns `bytes`. */
function called(bytes: string): string {
  recordProbeEvent(ledgerToken, VECTOR_CALL_EVENT);
  return bytes;
}

describe("the request-vector runner fails broken servers", () => {
  it("a server that refuses everything with 400: refusals of 400 pass, other statuses and served vectors fail", async () => {
    const origin = await rawServer(() => REFUSAL, true);
    expect((await runRequestVector(byId("host-duplicate"), { origin, ledgerToken })).passed).toBe(true);
    const versionTwo = await runRequestVector(byId("http2-request-line"), { origin, ledgerToken });
    expect(versionTwo.problems).toEqual(["response 1: status 400, expected 505"]);
    const get = await runRequestVector(byId("http11-get"), { origin, ledgerToken });
    expect(get.passed).toBe(false);
    expect(get.problems[0]).toMatch(/^response 1: status 400, expected 200 from the app/);
  });

  it("a server that serves a refused request: fails on the status without waiting for a close", async () => {
    const origin = await rawServer(() => report({ REQUEST_METHOD: "GET" }), false);
    const outcome = await runRequestVector(byId("host-duplicate"), { origin, ledgerToken, timeoutMs: 60_000 });
    expect(outcome.problems).toEqual(["response 1: status 200, expected 400"]);
  });

  it("a wrong environ value, a key that must be absent, and a wrong body are each reported", async () => {
    const origin = await rawServer(() => called(report({ HTTP_X_FORWARDED_FOR: "6.6.6.6", HTTP_X_ONLY: "1" }, "extra")), false);
    const outcome = await runRequestVector(byId("underscore-fields-dropped"), { origin, ledgerToken });
    expect(outcome.problems).toEqual([
      'response 1: HTTP_X_FORWARDED_FOR is "6.6.6.6", expected "10.0.0.1"',
      'response 1: HTTP_X_ONLY is "1", expected no such key',
      'response 1: the app read "extra" from tsgi.input, expected ""',
    ]);
  });

  it("a refusal that leaves the connection open fails", async () => {
    const origin = await rawServer(() => REFUSAL, false);
    const outcome = await runRequestVector(byId("host-duplicate"), { origin, ledgerToken, timeoutMs: 500 });
    expect(outcome.problems).toEqual([expect.stringMatching(/^the server did not close the connection/)]);
  });

  it("a refusal after the app was called fails: the ledger counts the call", async () => {
    const origin = await rawServer(() => called(REFUSAL), true);
    const outcome = await runRequestVector(byId("host-duplicate"), { origin, ledgerToken });
    expect(outcome.appCalls).toBe(1);
    expect(outcome.problems).toEqual(["the app was called 1 time(s), expected 0"]);
  });

  it("a response to a request behind Connection: close fails", async () => {
    const origin = await rawServer(() => called(report({ PATH_INFO: "/only", HTTP_CONNECTION: "close" }) + report({ PATH_INFO: "/never" })), true);
    const outcome = await runRequestVector(byId("connection-close-then-pipelined"), { origin, ledgerToken });
    expect(outcome.problems).toEqual([expect.stringMatching(/^bytes after the last response, before the close: "HTTP\/1.1 200 OK/)]);
  });

  it("an environ whose owned keys are not assembleEnviron's, in its order, fails the key-order check", async () => {
    const assembled = assemblerKeysFor({ method: "GET", target: "/", httpVersion: "1.1", rawHeaders: ["Host", "example.com"] });
    // What a server that builds the environ itself, or re-inserts a key after assembly, looks like.
    const moved = [...assembled.filter((key) => key !== "PATH_INFO"), "PATH_INFO", "RAW_URI"];
    const origin = await rawServer(() => {
      const json = JSON.stringify({ environ: {}, keys: moved, body: "" });
      return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n${json}`;
    }, true);
    const { problems, serverKeys } = await compareAssemblerKeys(origin);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^GET with Host and two other fields: the app saw \[.*"PATH_INFO"\], assembleEnviron gives/);
    expect(serverKeys).toEqual(["RAW_URI"]);
  });
});
