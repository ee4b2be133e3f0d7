import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllServers, countingApp, rawExchange, startServer, statusOf, type RunningServer } from "./http.helpers.js";

/**
 * Each malformed request gets a proper answer, the connection is then closed, and the app is
 * never called: nothing ambiguous about where a request ends reaches it.
 */
const cases: Array<[name: string, request: string, status: number]> = [
  ["a method with a forbidden character", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400],
  ["something that is not a request line", "NOT AN HTTP REQUEST\r\n\r\n", 400],
  ["a Content-Length that is not a number", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 400],
  ["an invalid version", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400],
  ["HTTP/0.9", "GET /\r\n\r\n", 400],
  ["HTTP/2.0 in an HTTP/1 request line (505)", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
  ["the HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505],
  ["a target that is not a path", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", 400],
  ["a control character in the target", "GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n", 400],
  ["a space in the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400],
  ["an asterisk target for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400],
  ["CONNECT (no tunnels here: 405, tsgi's shared head checks)", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 405],
  ["a header name with a space", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400],
  ["whitespace before the colon", "GET / HTTP/1.1\r\nHost: a\r\nX-A : x\r\n\r\n", 400],
  ["a header line without a colon", "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400],
  ["an empty header name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", 400],
  ["obsolete line folding", "GET / HTTP/1.1\r\nHost: a\r\nX-A: x\r\n  continued\r\n\r\n", 400],
  ["a NUL in a header value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x00b\r\n\r\n", 400],
  ["a bare CR in the head", "GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400],
  ["a missing Host on HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400],
  ["two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
  ["an invalid Host value", "GET / HTTP/1.1\r\nHost: a b/c\r\n\r\n", 400],
  ["Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400],
  ["two differing Content-Length headers", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400],
  ["a Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd", 400],
  ["a negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\nabc", 400],
  ["Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400],
  ["Transfer-Encoding without chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc", 400],
  ["chunked given twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400],
  ["an unsupported coding before chunked (RFC 9112 §6.1: 501)", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 501],
  ["Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400],
];

/** Malformed chunked bodies: the head was fine so the app runs, but its read fails and the client gets a 400. */
const bodyCases: Array<[name: string, request: string, status: number]> = [
  ["chunk data longer than its size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400],
  ["a chunk size that overflows", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nabc\r\n0\r\n\r\n", 400],
  ["a chunk size that is not hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400],
];

describe("malformed requests", () => {
  let server: RunningServer;
  const counted = countingApp();
  beforeAll(async () => {
    server = await startServer(counted.app);
  });
  afterAll(closeAllServers);

  it.each(cases)("answers %s with the right status, then closes", async (_name, request, status) => {
    const before = counted.calls.length;
    const { text, closedByServer } = await rawExchange(server.port, request);
    expect(statusOf(text)).toBe(status);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
    expect(closedByServer).toBe(true);
    expect(counted.calls.length).toBe(before);
  });

  it.each(bodyCases)("answers %s with 400 while the app reads, then closes", async (_name, request, status) => {
    const reads: Array<"ok" | "failed"> = [];
    const reader = await startServer(async (environ, startResponse) => {
      try {
        await environ["tsgi.input"].read();
        reads.push("ok");
      } catch {
        reads.push("failed");
        throw new Error("body unreadable");
      }
      startResponse("200 OK", [["Content-Length", "2"]]);
      return [new TextEncoder().encode("ok")];
    });
    const { text, closedByServer } = await rawExchange(reader.port, request);
    expect(statusOf(text)).toBe(status);
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(closedByServer).toBe(true);
    await expect.poll(() => reads, { timeout: 20_000 }).toEqual(["failed"]);
  });

  it("does not let a smuggled request behind a CL+TE conflict reach the app", async () => {
    const before = counted.calls.length;
    const smuggle =
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
      "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n";
    const { text, closedByServer } = await rawExchange(server.port, smuggle);
    expect(statusOf(text)).toBe(400);
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(closedByServer).toBe(true);
    expect(counted.calls.length).toBe(before);
  });

  it("finishes a pipelined good response before answering the malformed request after it", async () => {
    const before = counted.calls.length;
    const { text, closedByServer } = await rawExchange(server.port, "GET /good HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n");
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([200, 400]);
    expect(closedByServer).toBe(true);
    expect(counted.calls.length).toBe(before + 1);
  });

  it.each([
    ["a parse error", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400],
    ["a request refused after parsing", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["a request line over the limit", `GET /${"a".repeat(5000)} HTTP/1.1\r\n`, 414],
  ])("closes cleanly after %s even when the client keeps sending (no reset)", async (_name, first, status) => {
    // allowHalfOpen: the client keeps writing after the server's FIN, as a pipelining client would.
    const socket = net.connect({ port: server.port, host: "127.0.0.1", allowHalfOpen: true });
    let received = "";
    const errors: string[] = [];
    socket.on("error", (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
    const ended = new Promise<void>((resolve) => socket.on("end", () => resolve()));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.write(first);
    await ended; // the server sent its answer and FIN
    for (let i = 0; i < 20; i++) socket.write("GET /more HTTP/1.1\r\nHost: a\r\n\r\n" + "x".repeat(2000));
    socket.end();
    await closed;
    expect(statusOf(received)).toBe(status);
    expect(errors).toEqual([]);
  });

  it("keeps serving well-formed requests afterwards", async () => {
    const { text } = await rawExchange(server.port, "GET /fine HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(statusOf(text)).toBe(200);
  });
});
