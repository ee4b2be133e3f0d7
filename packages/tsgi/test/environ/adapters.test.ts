/**
 * The adapters feed one assembler: the same request through the node server, the fetch bridge,
 * the test client and CGI variables gives the same environ keys.
 */
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ReservedEnvironKeyError,
  assembleEnviron,
  buildTestEnviron,
  createInputStream,
  environFromCgi,
  requestFromCgiVariables,
  type Application,
  type Environ,
  type ErrorStream,
} from "../../src/index.js";
import { environFromRequest } from "../../src/fetch/index.js";
import { createServer } from "../../src/node/index.js";
import { rawExchange } from "../node/rawExchange.js";

const quiet: ErrorStream = { write() {}, writelines() {}, flush() {} };
const KEYS = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "HTTP_HOST", "HTTP_ACCEPT", "CONTENT_TYPE", "tsgi.url_scheme"];
const EXPECTED = {
  REQUEST_METHOD: "GET",
  SCRIPT_NAME: "",
  PATH_INFO: "/a b",
  QUERY_STRING: "x=1&y=%20",
  SERVER_NAME: "example.com",
  SERVER_PORT: "8080",
  SERVER_PROTOCOL: "HTTP/1.1",
  HTTP_HOST: "example.com:8080",
  HTTP_ACCEPT: "text/html",
  CONTENT_TYPE: "text/plain",
  "tsgi.url_scheme": "http",
};

function pick(environ: Environ | Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(KEYS.map((key) => [key, environ[key] ?? null]));
}

describe("every adapter builds the same environ for one request", () => {
  let close: () => Promise<void>;
  let port: number;
  beforeAll(async () => {
    const echo: Application = (environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "application/json"]]);
      return [Buffer.from(JSON.stringify(pick(environ)))];
    };
    const server = createServer(echo, { errors: quiet });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it("node:http (createServer)", async () => {
    const response = await rawExchange(port, "GET /a%20b?x=1&y=%20 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: text/html\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
    expect(JSON.parse(response.body)).toEqual(EXPECTED);
  });

  it("a fetch Request (toFetchHandler's environFromRequest)", () => {
    const request = new Request("http://example.com:8080/a%20b?x=1&y=%20", { headers: { Accept: "text/html", "Content-Type": "text/plain" } });
    expect(pick(environFromRequest(request))).toEqual(EXPECTED);
  });

  it("the test client (callApp's buildTestEnviron)", () => {
    const environ = buildTestEnviron({ path: "/a%20b?x=1&y=%20", headers: { Host: "example.com:8080", Accept: "text/html", "Content-Type": "text/plain" } });
    expect(pick(environ)).toEqual(EXPECTED);
  });

  it("CGI meta-variables (environFromCgi)", () => {
    const env = {
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "",
      PATH_INFO: "/a b",
      QUERY_STRING: "x=1&y=%20",
      SERVER_NAME: "example.com",
      SERVER_PORT: "8080",
      SERVER_PROTOCOL: "HTTP/1.1",
      HTTP_HOST: "example.com:8080",
      HTTP_ACCEPT: "text/html",
      CONTENT_TYPE: "text/plain",
    };
    expect(pick(environFromCgi({ env, stdin: (async function* () {})(), errors: quiet }))).toEqual(EXPECTED);
  });
});

describe("requestFromCgiVariables (CGI and uwsgi variables)", () => {
  const vars: Array<[string, string]> = [
    ["REQUEST_METHOD", "POST"],
    ["REQUEST_URI", "/app/caf%C3%A9?q=1"],
    ["QUERY_STRING", "q=1"],
    ["SERVER_PROTOCOL", "HTTP/1.1"],
    ["SERVER_NAME", "front.example"],
    ["SERVER_PORT", "443"],
    ["REMOTE_ADDR", "10.0.0.7"],
    ["REMOTE_PORT", "41000"],
    ["HTTPS", "on"],
    ["DOCUMENT_ROOT", "/srv"],
    ["HTTP_X_REQUEST_ID", "abc"],
    ["HTTP_CONTENT_LENGTH", "999"],
    ["CONTENT_LENGTH", "5"],
    ["CONTENT_TYPE", ""],
  ];

  it("derives PATH_INFO from REQUEST_URI when the front server sends none, and splits it at the mount point", () => {
    const { head, connection, serverKeys } = requestFromCgiVariables(vars);
    const environ = assembleEnviron(head, connection, createInputStream([]), { scriptName: "/app" }, serverKeys);
    expect(environ).toMatchObject({
      REQUEST_METHOD: "POST",
      SCRIPT_NAME: "/app",
      PATH_INFO: "/caf\u00c3\u00a9",
      QUERY_STRING: "q=1",
      SERVER_NAME: "front.example",
      SERVER_PORT: "443",
      REMOTE_ADDR: "10.0.0.7",
      REMOTE_PORT: "41000",
      CONTENT_LENGTH: "5",
      HTTP_X_REQUEST_ID: "abc",
      "tsgi.url_scheme": "https",
      // not assembler keys: kept as the server's own, as uWSGI keeps them
      REQUEST_URI: "/app/caf%C3%A9?q=1",
      DOCUMENT_ROOT: "/srv",
      HTTPS: "on",
    });
    expect(environ.CONTENT_TYPE).toBeUndefined();
    expect(environ.HTTP_CONTENT_LENGTH).toBeUndefined();
  });

  it("keeps the front server's own SCRIPT_NAME/PATH_INFO split", () => {
    const { head, connection, serverKeys } = requestFromCgiVariables([...vars, ["SCRIPT_NAME", "/mounted"], ["PATH_INFO", "/x/y"]]);
    const environ = assembleEnviron(head, connection, createInputStream([]), {}, serverKeys);
    expect(environ).toMatchObject({ SCRIPT_NAME: "/mounted", PATH_INFO: "/x/y", QUERY_STRING: "q=1" });
  });

  it("takes the scheme from REQUEST_SCHEME or UWSGI_SCHEME, and CGI's defaults when variables are missing", () => {
    expect(requestFromCgiVariables([["UWSGI_SCHEME", "https"]]).connection.scheme).toBe("https");
    const { head, connection } = requestFromCgiVariables([]);
    const environ = assembleEnviron(head, connection, createInputStream([]), {});
    expect(environ).toMatchObject({ REQUEST_METHOD: "GET", SCRIPT_NAME: "", PATH_INFO: "", QUERY_STRING: "", SERVER_NAME: "localhost", SERVER_PORT: "80", SERVER_PROTOCOL: "HTTP/1.0" });
  });
});

describe("server keys through the adapters", () => {
  it("the fetch adapter turns extraEnviron's REMOTE_* into the client address and refuses other assembler keys", () => {
    const request = new Request("http://example.com/");
    const environ = environFromRequest(request, { extraEnviron: () => ({ REMOTE_ADDR: "10.1.2.3", REMOTE_PORT: 5000, "deno.info": 1 }) });
    expect(environ).toMatchObject({ REMOTE_ADDR: "10.1.2.3", REMOTE_PORT: "5000", "deno.info": 1 });
    expect(() => environFromRequest(request, { extraEnviron: () => ({ SERVER_NAME: "x" }) })).toThrow(ReservedEnvironKeyError);
  });

  it("toNodeListener answers 500 (and logs) when a server's serverKeys clash with the assembler's, instead of crashing", async () => {
    const logged: string[] = [];
    const errors: ErrorStream = { write: (text: string) => void logged.push(text), writelines() {}, flush() {} };
    const server = createServer(() => [], { errors, serverKeys: () => ({ PATH_INFO: "/patched" }) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await rawExchange((server.address() as AddressInfo).port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
      expect(response.status).toBe(500);
      expect(logged.join("")).toMatch(/serverKeys may not set "PATH_INFO"/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
