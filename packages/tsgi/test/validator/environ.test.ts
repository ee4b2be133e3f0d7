import { describe, expect, it } from "vitest";
import { callApplication, validator, type Environ, type StartResponse, type ValidationRule } from "../../src/index.js";
import { expectRule, expectViolation, makeEnviron, serve, textApp } from "./helpers.js";

/** Calls a validated app that records whether it ran; environ violations must stop it before it runs. */
async function expectEnvironViolation(environ: unknown, rule: ValidationRule): Promise<void> {
  let called = false;
  const app = validator((env, startResponse) => {
    called = true;
    return textApp("ok")(env, startResponse);
  });
  const startResponse: StartResponse = () => async () => {};
  const error = await expectViolation(() => app(environ as Environ, startResponse), rule);
  expect(error.side).toBe("server");
  expect(called).toBe(false);
}

describe("validator: environ (server side, checked before the app runs)", () => {
  it("accepts a complete environ and leaves the app's response untouched", async () => {
    const { sink, result } = await serve(validator(textApp("hello ", "world")), makeEnviron({ CONTENT_LENGTH: "", "myserver.socket": 42 }));
    expect(result.error).toBeUndefined();
    expect(sink.status).toBe("200 OK");
    expect(sink.headers).toEqual([["Content-Type", "text/plain"]]);
    expect(sink.text).toBe("hello world");
  });

  it("environ-not-object: rejects a non-plain environ", async () => {
    await expectEnvironViolation(new Map([["REQUEST_METHOD", "GET"]]), "environ-not-object");
    await expectEnvironViolation(null, "environ-not-object");
  });

  it.each([
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "tsgi.version",
    "tsgi.url_scheme",
    "tsgi.input",
    "tsgi.errors",
    "tsgi.multithread",
    "tsgi.multiprocess",
    "tsgi.run_once",
  ])("environ-missing-key: rejects an environ without %s", async (key) => {
    const environ: Record<string, unknown> = makeEnviron();
    delete environ[key];
    await expectEnvironViolation(environ, "environ-missing-key");
  });

  it.each(["HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"])("environ-forbidden-key: rejects %s", async (key) => {
    await expectEnvironViolation(makeEnviron({ [key]: "1" }), "environ-forbidden-key");
  });

  it("environ-value-type: CGI keys hold strings, extension keys anything", async () => {
    await expectEnvironViolation(makeEnviron({ SERVER_PORT: 8080 }), "environ-value-type");
    await expectEnvironViolation(makeEnviron({ HTTP_X_COUNT: ["1"] }), "environ-value-type");
  });

  it("environ-value-latin1: CGI strings carry bytes as latin-1, not decoded text", async () => {
    await expectEnvironViolation(makeEnviron({ PATH_INFO: "/\u20ac" }), "environ-value-latin1");
  });

  it("environ-header-value: HTTP_* values hold no CR or LF", async () => {
    await expectEnvironViolation(makeEnviron({ HTTP_X_EVIL: "a\r\nSet-Cookie: x=1" }), "environ-header-value");
    await expectEnvironViolation(makeEnviron({ CONTENT_TYPE: "text/plain\u0000" }), "environ-header-value");
  });

  it("environ-version: tsgi.version is [1, 0]", async () => {
    await expectEnvironViolation(makeEnviron({ "tsgi.version": [2, 0] }), "environ-version");
    await expectEnvironViolation(makeEnviron({ "tsgi.version": "1.0" }), "environ-version");
  });

  it("environ-url-scheme: tsgi.url_scheme is http or https", async () => {
    await expectEnvironViolation(makeEnviron({ "tsgi.url_scheme": "ftp", SERVER_PORT: "21" }), "environ-url-scheme");
    await expectEnvironViolation(makeEnviron({ "tsgi.url_scheme": "HTTP", SERVER_PORT: "80" }), "environ-url-scheme");
  });

  it.each(["tsgi.multithread", "tsgi.multiprocess", "tsgi.run_once"])("environ-flag-type: %s is a boolean", async (key) => {
    await expectEnvironViolation(makeEnviron({ [key]: "false" }), "environ-flag-type");
  });

  it("environ-request-method: REQUEST_METHOD is a non-empty token", async () => {
    await expectEnvironViolation(makeEnviron({ REQUEST_METHOD: "" }), "environ-request-method");
    await expectEnvironViolation(makeEnviron({ REQUEST_METHOD: "GET /" }), "environ-request-method");
  });

  it("environ-script-name-form: SCRIPT_NAME starts with a slash", async () => {
    await expectEnvironViolation(makeEnviron({ SCRIPT_NAME: "app", PATH_INFO: "/x" }), "environ-script-name-form");
  });

  it("environ-script-name-root: SCRIPT_NAME is never a lone slash", async () => {
    await expectEnvironViolation(makeEnviron({ SCRIPT_NAME: "/", PATH_INFO: "" }), "environ-script-name-root");
  });

  it("environ-path-info-form: PATH_INFO starts with a slash", async () => {
    await expectEnvironViolation(makeEnviron({ SCRIPT_NAME: "", PATH_INFO: "index.html" }), "environ-path-info-form");
  });

  it("environ-content-length: CONTENT_LENGTH is a non-negative integer when not empty", async () => {
    await expectEnvironViolation(makeEnviron({ CONTENT_LENGTH: "-1" }), "environ-content-length");
    await expectEnvironViolation(makeEnviron({ CONTENT_LENGTH: "12abc" }), "environ-content-length");
  });

  it("environ-server-port: SERVER_PORT is a port number", async () => {
    await expectEnvironViolation(makeEnviron({ SERVER_PORT: "http" }), "environ-server-port");
    await expectEnvironViolation(makeEnviron({ SERVER_PORT: "" }), "environ-server-port");
    await expectEnvironViolation(makeEnviron({ SERVER_PORT: "-80" }), "environ-server-port");
  });

  it("environ-server-protocol: SERVER_PROTOCOL looks like HTTP/1.1", async () => {
    await expectEnvironViolation(makeEnviron({ SERVER_PROTOCOL: "1.1" }), "environ-server-protocol");
  });

  it("environ-input-interface: tsgi.input has read, readline, readlines and async iteration", async () => {
    await expectEnvironViolation(makeEnviron({ "tsgi.input": { read: async () => new Uint8Array() } }), "environ-input-interface");
    const { [Symbol.asyncIterator]: _omitted, ...notIterable } = {
      read: () => {},
      readline: () => {},
      readlines: () => {},
      [Symbol.asyncIterator]: () => {},
    };
    await expectEnvironViolation(makeEnviron({ "tsgi.input": notIterable }), "environ-input-interface");
  });

  it("environ-errors-interface: tsgi.errors has write, writelines and flush", async () => {
    await expectEnvironViolation(makeEnviron({ "tsgi.errors": { write: () => {} } }), "environ-errors-interface");
  });

  it("environ-file-wrapper-type: tsgi.file_wrapper is a function when present", async () => {
    await expectEnvironViolation(makeEnviron({ "tsgi.file_wrapper": { wrap: () => {} } }), "environ-file-wrapper-type");
  });

  // tsgi.websocket and tsgi.state are defined by the extension chapter (SPEC.md, "WebSocket and Lifespan").
  it.each(["tsgi.lifespan", "tsgi.upgrade", "tsgi.early_hints", "tsgi.trailers", "tsgi.push", "tsgi.http2", "tsgi.async_version", "tsgi.extensions", "tsgi.request_id"])(
    "environ-reserved-key: a server does not define %s (reserved by SPEC.md)",
    async (key) => {
      await expectEnvironViolation(makeEnviron({ [key]: true }), "environ-reserved-key");
    },
  );

  it("environ-reserved-key: server keys under the server's own prefix, and a reserved key left undefined, are fine", async () => {
    const { result } = await serve(validator(textApp("ok")), makeEnviron({ "tsgi_dev.raw_uri": "/", "tsgi.upgrade": undefined }));
    expect(result.error).toBeUndefined();
  });

  it("app-call-arguments: the app is called with exactly (environ, startResponse)", async () => {
    const app = validator(textApp("ok"));
    const call = app as unknown as (...args: unknown[]) => unknown;
    await expectViolation(() => call(makeEnviron()), "app-call-arguments");
    await expectViolation(() => call(makeEnviron(), () => {}, "extra"), "app-call-arguments");
    await expectViolation(() => call(makeEnviron(), "not a function"), "app-call-arguments");
  });

  it("a server running a validated app answers 500 and logs the broken environ rule", async () => {
    const served = await serve(validator(textApp("ok")), makeEnviron({ "tsgi.url_scheme": "gopher", SERVER_PORT: "70" }));
    expectRule(served.result.error, "environ-url-scheme");
    expect(served.sink.status).toBe("500 Internal Server Error");
    expect(served.log).toContain("[environ-url-scheme]");
  });

  it("accepts an environ with empty optional CGI values and a server's own keys", async () => {
    const environ = makeEnviron({ SCRIPT_NAME: "/mount", PATH_INFO: "", QUERY_STRING: "", CONTENT_TYPE: "", "tsgi_dev.request_id": 7 });
    const body = await callApplication(validator(textApp("ok")), environ, () => async () => {});
    expect(Symbol.iterator in body).toBe(true);
  });
});
