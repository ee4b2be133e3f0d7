import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application, ErrorStream } from "../../src/index.js";
import { answerClientError, clientErrorRejection, createServer, toNodeListener } from "../../src/node/index.js";
import { header, rawExchange } from "./rawExchange.js";

const quiet: ErrorStream = { write() {}, writelines() {}, flush() {} };

/** Answers with the environ keys the tests look at, as JSON, and counts its calls. */
let calls = 0;
const app: Application = (environ, startResponse) => {
  calls++;
  const keys = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT", "HTTP_HOST", "SERVER_PROTOCOL"];
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [Buffer.from(JSON.stringify(Object.fromEntries(keys.map((key) => [key, environ[key] ?? null]))))];
};

const servers: Array<{ name: string; make(): Server }> = [
  { name: "createServer", make: () => createServer(app, { errors: quiet, onError: () => {} }) },
  {
    name: "toNodeListener on a plain node:http server (with answerClientError)",
    make: () => {
      const listener = toNodeListener(app, { errors: quiet, onError: () => {} });
      return createHttpServer((req, res) => void listener(req, res)).on("clientError", answerClientError);
    },
  },
];

describe.each(servers)("request-head checks end to end: $name", ({ make }) => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = make();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ["two Host fields (RFC 9112 §3.2)", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["Transfer-Encoding on HTTP/1.0 (RFC 9112 §6.1)", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400],
    ["an HTTP/2.0 request line (RFC 9110 §15.6.6)", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
    ["an HTTP/3.0 request line, which llhttp refuses itself", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505],
    ["* with GET (RFC 9112 §3.2.4)", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["an absolute-form target that is no URL (RFC 9112 §3.2.2)", "GET http://[x/p HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["gzip before chunked (RFC 9112 §6.1)", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501],
    ["Content-Length with Transfer-Encoding, which llhttp refuses itself (RFC 9112 §6.3)", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400],
    ["a request line over Gunicorn's 4094 bytes", `GET /${"a".repeat(5000)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414],
  ])("refuses %s with the right status and Connection: close, and never calls the app", async (_, bytes, status) => {
    const before = calls;
    const response = await rawExchange(port, bytes);
    expect(response.status).toBe(status);
    expect(header(response, "connection")).toBe("close");
    expect(response.closed).toBe(true);
    expect(response.body).toMatch(new RegExp(`^${status} `));
    expect(calls).toBe(before);
  });

  it('serves OPTIONS * with PATH_INFO "*" (RFC 9112 §3.2.4)', async () => {
    const response = await rawExchange(port, "OPTIONS * HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ REQUEST_METHOD: "OPTIONS", SCRIPT_NAME: "", PATH_INFO: "*", QUERY_STRING: "" });
  });

  it("gives an absolute-form target consistent HTTP_HOST, SERVER_NAME and SERVER_PORT (RFC 9112 §3.2.2)", async () => {
    const response = await rawExchange(port, "GET http://target.example:81/p?q=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ HTTP_HOST: "target.example:81", SERVER_NAME: "target.example", SERVER_PORT: "81", PATH_INFO: "/p", QUERY_STRING: "q=1" });
  });

  it("keeps serving valid requests on a kept-alive connection", async () => {
    const response = await rawExchange(port, "GET /ok HTTP/1.1\r\nHost: example.com\r\n\r\n", false);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ PATH_INFO: "/ok", SERVER_NAME: "example.com", SERVER_PORT: "80" });
  });
});

describe("createServer: heads node:http would route elsewhere", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer(app, { errors: quiet, onError: () => {} });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers CONNECT 405 (no tunnels), as checkRequestHead does", async () => {
    const response = await rawExchange(port, "CONNECT db.example:5432 HTTP/1.1\r\nHost: db.example:5432\r\n\r\n");
    expect(response.status).toBe(405);
    expect(header(response, "connection")).toBe("close");
  });

  it("answers a missing Host on HTTP/1.1 with the checks' 400 and message", async () => {
    const response = await rawExchange(port, "GET / HTTP/1.1\r\n\r\n");
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/must have a Host header/);
  });

  it("answers Transfer-Encoding: gzip (no chunked) once, with 400, though llhttp then fails on its body", async () => {
    const response = await rawExchange(port, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nxxxxxxxxxx");
    expect(response.status).toBe(400);
    expect(response.body.match(/HTTP\/1\.1/g)).toBeNull(); // no second response after the first
  });
});

describe("clientErrorRejection: llhttp's refusals mapped to checkRequestHead's statuses", () => {
  const parseError = (code: string, rawPacket?: string) => Object.assign(new Error(`Parse Error: ${code}`), { code, rawPacket: rawPacket === undefined ? undefined : Buffer.from(rawPacket, "latin1") });
  it.each([
    ["HPE_INVALID_VERSION", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505],
    ["HPE_INVALID_VERSION", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400],
    ["HPE_HEADER_OVERFLOW", `GET /${"a".repeat(9000)}`, 414],
    ["HPE_HEADER_OVERFLOW", `GET / HTTP/1.1\r\nX: ${"a".repeat(9000)}`, 431],
    ["ERR_HTTP_REQUEST_TIMEOUT", undefined, 408],
    ["HPE_UNEXPECTED_CONTENT_LENGTH", "POST / HTTP/1.1\r\n", 400],
  ])("%s (%j) gives %i", (code, packet, status) => {
    expect(clientErrorRejection(parseError(code, packet)).status).toBe(status);
  });
});
