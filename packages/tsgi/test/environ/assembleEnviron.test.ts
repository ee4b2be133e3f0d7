import { describe, expect, it } from "vitest";
import {
  ReservedEnvironKeyError,
  assembleEnviron,
  createInputStream,
  fileWrapper,
  isAssemblerKey,
  type ConnectionInfo,
  type ErrorStream,
  type RequestHead,
} from "../../src/index.js";
import { checkEnviron } from "../../src/validator/checkEnviron.js";

const connection: ConnectionInfo = { remoteAddress: "127.0.0.1", remotePort: 50123, localAddress: "127.0.0.1", localPort: 8000, scheme: "http" };
const errors: ErrorStream = { write() {}, writelines() {}, flush() {} };

function head(target: string, rawHeaders: string[] = ["Host", "example.com"], method = "GET", httpVersion = "1.1"): RequestHead {
  return { method, target, httpVersion, rawHeaders };
}

function build(request: RequestHead, info: ConnectionInfo = connection, serverKeys?: Record<string, unknown>) {
  return assembleEnviron(request, info, createInputStream([]), { errors }, serverKeys);
}

describe("assembleEnviron: CGI keys", () => {
  it("builds every required key from an origin-form head, and passes the validator", () => {
    const environ = build(head("/a%20b/caf%C3%A9?x=1&y=%20", ["Host", "example.com:8080", "Accept", "text/html"]));
    expect(environ).toMatchObject({
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "",
      PATH_INFO: "/a b/caf\u00c3\u00a9",
      QUERY_STRING: "x=1&y=%20",
      SERVER_NAME: "example.com",
      SERVER_PORT: "8080",
      SERVER_PROTOCOL: "HTTP/1.1",
      REMOTE_ADDR: "127.0.0.1",
      REMOTE_PORT: "50123",
      HTTP_HOST: "example.com:8080",
      HTTP_ACCEPT: "text/html",
      "tsgi.version": [1, 0],
      "tsgi.url_scheme": "http",
      "tsgi.errors": errors,
      "tsgi.multithread": false,
      "tsgi.multiprocess": false,
      "tsgi.run_once": false,
      "tsgi.file_wrapper": fileWrapper,
    });
    checkEnviron(environ);
  });

  it("keeps the method's case and maps HTTP/1.0", () => {
    const environ = build(head("/", [], "patch", "1.0"));
    expect(environ.REQUEST_METHOD).toBe("patch");
    expect(environ.SERVER_PROTOCOL).toBe("HTTP/1.0");
  });

  it("maps Content-Type and Content-Length without the HTTP_ prefix, joins repeats, drops underscore names (SPEC.md, environ Variables)", () => {
    const environ = build(
      head("/", ["Host", "h", "Content-Type", "text/plain", "Content-Length", "5", "Accept", "a", "accept", "b", "Cookie", "a=1", "Cookie", "b=2", "X_Forwarded_For", "evil"]),
    );
    expect(environ.CONTENT_TYPE).toBe("text/plain");
    expect(environ.CONTENT_LENGTH).toBe("5");
    expect(environ.HTTP_CONTENT_TYPE).toBeUndefined();
    expect(environ.HTTP_ACCEPT).toBe("a, b");
    expect(environ.HTTP_COOKIE).toBe("a=1; b=2");
    expect(Object.keys(environ).some((key) => key.includes("FORWARDED"))).toBe(false);
  });

  it("splits SCRIPT_NAME at the mount point, and leaves paths outside it whole", () => {
    const mounted = (target: string) => assembleEnviron(head(target), connection, createInputStream([]), { scriptName: "/blog/" });
    expect(mounted("/blog/posts?p=2")).toMatchObject({ SCRIPT_NAME: "/blog", PATH_INFO: "/posts", QUERY_STRING: "p=2" });
    expect(mounted("/blog")).toMatchObject({ SCRIPT_NAME: "/blog", PATH_INFO: "" });
    expect(mounted("/blogger")).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "/blogger" });
  });

  it("drops a fragment sent in the target", () => {
    expect(build(head("/p#frag"))).toMatchObject({ PATH_INFO: "/p", QUERY_STRING: "" });
    expect(build(head("/p?q=1#frag"))).toMatchObject({ PATH_INFO: "/p", QUERY_STRING: "q=1" });
  });
});

describe("assembleEnviron: SERVER_NAME and SERVER_PORT", () => {
  it("uses the Host header's port, or the scheme's default when Host has none", () => {
    expect(build(head("/", ["Host", "example.com"]))).toMatchObject({ SERVER_NAME: "example.com", SERVER_PORT: "80" });
    const https = build(head("/", ["Host", "example.com"]), { ...connection, scheme: "https" });
    expect(https).toMatchObject({ SERVER_NAME: "example.com", SERVER_PORT: "443", "tsgi.url_scheme": "https" });
  });

  it("keeps IPv6 brackets", () => {
    expect(build(head("/", ["Host", "[::1]:8080"]))).toMatchObject({ SERVER_NAME: "[::1]", SERVER_PORT: "8080" });
    expect(build(head("/", ["Host", "[::1]"]))).toMatchObject({ SERVER_NAME: "[::1]", SERVER_PORT: "80" });
  });

  it("falls back to the local address without Host (HTTP/1.0), or to localhost and the scheme's port", () => {
    expect(build(head("/", [], "GET", "1.0"))).toMatchObject({ SERVER_NAME: "127.0.0.1", SERVER_PORT: "8000" });
    expect(build(head("/", []), { scheme: "https" })).toMatchObject({ SERVER_NAME: "localhost", SERVER_PORT: "443" });
  });

  it("takes an absolute-form target's authority over Host, and HTTP_HOST follows it (RFC 9112 §3.2.2)", () => {
    const environ = build(head("http://target.example:81/p?q=1", ["Host", "other.example"]));
    expect(environ).toMatchObject({ SERVER_NAME: "target.example", SERVER_PORT: "81", HTTP_HOST: "target.example:81", PATH_INFO: "/p", QUERY_STRING: "q=1" });
    const bare = build(head("https://user:pw@target.example", ["Host", "other.example"]));
    expect(bare).toMatchObject({ SERVER_NAME: "target.example", SERVER_PORT: "443", HTTP_HOST: "target.example", PATH_INFO: "/" });
  });

  it("uses the front server's name and port when a CGI-style gateway gives them", () => {
    const environ = build(head("/", ["Host", "example.com"]), { scheme: "http", serverName: "front.example", serverPort: "8443" });
    expect(environ).toMatchObject({ SERVER_NAME: "front.example", SERVER_PORT: "8443", HTTP_HOST: "example.com" });
  });
});

describe("assembleEnviron: special targets", () => {
  it('gives PATH_INFO "*" for OPTIONS * and the environ passes the validator', () => {
    const environ = build(head("*", ["Host", "example.com"], "OPTIONS"));
    expect(environ).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "*", QUERY_STRING: "" });
    checkEnviron(environ);
  });

  it('gives PATH_INFO "*" even under a mount point', () => {
    const environ = assembleEnviron(head("*", ["Host", "h"], "OPTIONS"), connection, createInputStream([]), { scriptName: "/app" });
    expect(environ).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "*" });
  });

  it('gives PATH_INFO "" and the authority as SERVER_NAME for a CONNECT authority-form target', () => {
    const environ = build(head("db.example:5432", ["Host", "db.example:5432"], "CONNECT"));
    expect(environ).toMatchObject({ PATH_INFO: "", SERVER_NAME: "db.example", SERVER_PORT: "5432" });
  });

  it("uses a CGI front server's own PATH_INFO/SCRIPT_NAME split instead of decoding the target", () => {
    const request: RequestHead = { ...head("/app/x%2Fy"), scriptName: "/app", pathInfo: "/x/y" };
    expect(build(request)).toMatchObject({ SCRIPT_NAME: "/app", PATH_INFO: "/x/y" });
    const unmounted: RequestHead = { ...head("/app/x"), pathInfo: "/app/x" };
    const environ = assembleEnviron(unmounted, connection, createInputStream([]), { scriptName: "/app" });
    expect(environ).toMatchObject({ SCRIPT_NAME: "/app", PATH_INFO: "/x" });
  });
});

describe("assembleEnviron: settings and server keys", () => {
  it("applies the settings' flags, and leaves tsgi.file_wrapper out for fileWrapper: null", () => {
    const environ = assembleEnviron(head("/"), connection, createInputStream([]), { multiprocess: true, multithread: true, runOnce: true, fileWrapper: null });
    expect(environ).toMatchObject({ "tsgi.multiprocess": true, "tsgi.multithread": true, "tsgi.run_once": true });
    expect("tsgi.file_wrapper" in environ).toBe(false);
  });

  it("passes the input stream through as tsgi.input", () => {
    const input = createInputStream([new TextEncoder().encode("body")]);
    expect(assembleEnviron(head("/"), connection, input, {})["tsgi.input"]).toBe(input);
  });

  it("leaves REMOTE_ADDR/REMOTE_PORT out when the connection has no remote address (a unix socket)", () => {
    const environ = build(head("/"), { scheme: "http" });
    expect("REMOTE_ADDR" in environ).toBe(false);
    expect("REMOTE_PORT" in environ).toBe(false);
  });

  it("adds the server's declared keys", () => {
    const environ = build(head("/a?b"), connection, { RAW_URI: "/a?b", REQUEST_URI: "/a?b", "tsgi_worker.pid": 42 });
    expect(environ).toMatchObject({ RAW_URI: "/a?b", REQUEST_URI: "/a?b", "tsgi_worker.pid": 42 });
  });

  it.each(["REQUEST_METHOD", "PATH_INFO", "SERVER_NAME", "REMOTE_ADDR", "CONTENT_LENGTH", "HTTP_HOST", "tsgi.url_scheme", "tsgi.input"])(
    "refuses a server key that would replace %s, with an error naming the fix",
    (key) => {
      const attempt = () => build(head("/"), connection, { [key]: "x" });
      expect(attempt).toThrow(ReservedEnvironKeyError);
      expect(attempt).toThrow(/assembleEnviron owns it/);
      expect(isAssemblerKey(key)).toBe(true);
    },
  );

  it("names the prefix to use for a tsgi.* key and RequestHead for a header key", () => {
    expect(() => build(head("/"), connection, { "tsgi.pid": 1 })).toThrow(/myserver\.pid/);
    expect(() => build(head("/"), connection, { HTTP_X_ID: "1" })).toThrow(/rawHeaders/);
    expect(() => build(head("/"), connection, { REMOTE_ADDR: "10.0.0.1" })).toThrow(/ConnectionInfo\.remoteAddress/);
  });

  it("builds a fresh environ per call", () => {
    const request = head("/");
    const first = build(request);
    first.PATH_INFO = "/changed";
    expect(build(request).PATH_INFO).toBe("/");
  });
});
