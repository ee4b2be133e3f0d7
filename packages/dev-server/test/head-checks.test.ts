/**
 * tsgi-dev's servers run tsgi's one set of request-head checks: the CLI's server
 * (createDevHttpServer: validator and debug page on) and serve()/makeServer, on real sockets.
 */
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "tsgi";
import { serve } from "../src/index.js";
import { colorsFor } from "../src/log/colors.js";
import { createDevHttpServer } from "../src/server/devHttpServer.js";

let calls = 0;
const echo: Application = (environ, startResponse) => {
  calls++;
  const keys = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT", "HTTP_HOST"];
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [Buffer.from(JSON.stringify(Object.fromEntries(keys.map((key) => [key, environ[key] ?? null]))))];
};

const silent = { write: () => true };

/** Sends raw bytes on a fresh connection and reads until the server closes it. */
function exchange(port: number, bytes: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(bytes, "latin1"));
    let data = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (data += chunk));
    socket.on("end", () => {
      const split = data.indexOf("\r\n\r\n");
      if (split === -1) return reject(new Error(`no response head in ${JSON.stringify(data.slice(0, 200))}`));
      const head = data.slice(0, split);
      const body = /\r\ntransfer-encoding: *chunked/i.test(head) ? dechunk(data.slice(split + 4)) : data.slice(split + 4);
      resolve({ status: Number(data.split(" ")[1]), head, body });
    });
    socket.on("error", reject);
  });
}

/** The data of a complete chunked body (the validator wraps the app, so its responses stream chunked). */
function dechunk(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf("\r\n", at);
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

const servers = [
  {
    name: "the tsgi-dev CLI's server (validator and debug page on)",
    async start(): Promise<{ port: number; close(): Promise<void> }> {
      const colors = colorsFor({ isTTY: false });
      const server = createDevHttpServer(echo, { validate: true, staticMounts: [], stdout: silent, stdoutColors: colors, stderr: silent, stderrColors: colors });
      await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
      return {
        port: (server.httpServer.address() as AddressInfo).port,
        close: async () => {
          server.httpServer.closeAllConnections();
          await server.drain();
        },
      };
    },
  },
  {
    name: "serve() with the validator",
    async start(): Promise<{ port: number; close(): Promise<void> }> {
      const handle = await serve(echo, { port: 0, validate: true, debug: true });
      return { port: handle.port, close: () => handle.close() };
    },
  },
];

describe.each(servers)("request-head checks on $name", ({ start }) => {
  let server: { port: number; close(): Promise<void> };
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it.each([
    ["two Host fields (RFC 9112 §3.2)", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["Transfer-Encoding on HTTP/1.0 (RFC 9112 §6.1)", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400],
    ["an HTTP/2.0 request line (RFC 9110 §15.6.6)", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
    ["an HTTP/3.0 request line, refused by llhttp itself", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505],
    ["no Host on HTTP/1.1 (RFC 9112 §3.2)", "GET / HTTP/1.1\r\n\r\n", 400],
    ["CONNECT (no tunnels)", "CONNECT db.example:5432 HTTP/1.1\r\nHost: db.example:5432\r\n\r\n", 405],
    ["a request line past Gunicorn's 8190-byte ceiling", `GET /${"a".repeat(8300)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414],
  ])("refuses %s with Connection: close, and never calls the app", async (_, bytes, status) => {
    const before = calls;
    const response = await exchange(server.port, bytes);
    expect(response.status).toBe(status);
    expect(response.head).toMatch(/\r\nConnection: close/i);
    expect(calls).toBe(before);
  });

  it('serves OPTIONS * with PATH_INFO "*", which the validator accepts (RFC 9112 §3.2.4)', async () => {
    const response = await exchange(server.port, "OPTIONS * HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ REQUEST_METHOD: "OPTIONS", SCRIPT_NAME: "", PATH_INFO: "*" });
  });

  it("gives an absolute-form target consistent HTTP_HOST and SERVER_NAME (RFC 9112 §3.2.2)", async () => {
    const response = await exchange(server.port, "GET http://target.example:81/p?q=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ HTTP_HOST: "target.example:81", SERVER_NAME: "target.example", SERVER_PORT: "81", PATH_INFO: "/p" });
  });

  it("accepts a 5000-byte request line, past Gunicorn's default but within tsgi-dev's generous limits", async () => {
    const response = await exchange(server.port, `GET /${"p".repeat(5000)} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`);
    expect(response.status).toBe(200);
  });
});
