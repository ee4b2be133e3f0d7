/** The SPEC's example server on node:net (examples/netServer.ts), run for real: it is how a new server plugs in. */
import { readFileSync } from "node:fs";
import type { AddressInfo, Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Application } from "tsgi";
import { createNetServer } from "../../examples/netServer.js";
import { header, rawExchange } from "../node/rawExchange.js";

let calls = 0;
const app: Application = async (environ, startResponse) => {
  calls++;
  const body = await environ["tsgi.input"].read();
  const keys = ["REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR", "HTTP_HOST", "CONTENT_LENGTH", "RAW_URI", "tsgi.url_scheme"];
  const summary = { ...Object.fromEntries(keys.map((key) => [key, environ[key] ?? null])), body: Buffer.from(body).toString("latin1") };
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [Buffer.from(JSON.stringify(summary))];
};

describe("examples/netServer.ts", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createNetServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("serves a request with the environ the assembler builds, and its own RAW_URI key", async () => {
    const response = await rawExchange(port, "GET /a%20b?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
    expect(response.status).toBe(200);
    expect(header(response, "connection")).toBe("close");
    expect(JSON.parse(response.body)).toEqual({
      REQUEST_METHOD: "GET",
      PATH_INFO: "/a b",
      QUERY_STRING: "x=1",
      SERVER_NAME: "example.com",
      SERVER_PORT: "8080",
      SERVER_PROTOCOL: "HTTP/1.1",
      REMOTE_ADDR: "127.0.0.1",
      HTTP_HOST: "example.com:8080",
      CONTENT_LENGTH: null,
      RAW_URI: "/a%20b?x=1",
      "tsgi.url_scheme": "http",
      body: "",
    });
  });

  it("reads a Content-Length body into tsgi.input", async () => {
    const response = await rawExchange(port, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
    expect(JSON.parse(response.body)).toMatchObject({ REQUEST_METHOD: "POST", CONTENT_LENGTH: "5", body: "hello" });
  });

  it('serves OPTIONS * with PATH_INFO "*"', async () => {
    const response = await rawExchange(port, "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ REQUEST_METHOD: "OPTIONS", PATH_INFO: "*" });
  });

  it.each([
    ["two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["an HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
    ["Transfer-Encoding on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
  ])("refuses %s through checkRequestHead, without calling the app", async (_, bytes, status) => {
    const before = calls;
    const response = await rawExchange(port, bytes);
    expect(response.status).toBe(status);
    expect(header(response, "connection")).toBe("close");
    expect(calls).toBe(before);
  });
});

describe("SPEC.md", () => {
  it("shows examples/netServer.ts verbatim, so the documented server is the tested one", () => {
    const spec = readFileSync(new URL("../../SPEC.md", import.meta.url), "utf8");
    const code = readFileSync(new URL("../../examples/netServer.ts", import.meta.url), "utf8").trimEnd();
    expect(spec).toContain(code);
  });
});
