import { fileWrapper as defaultFileWrapper } from "../file/fileWrapper.js";
import { stderrErrorStream } from "../input/errorStream.js";
import type { Environ, InputStream } from "../types.js";
import { splitHostPort, targetAuthority } from "./authority.js";
import { ReservedEnvironKeyError } from "./errors.js";
import { addRawRequestHeaders } from "./headers.js";
import { splitScriptName } from "./scriptName.js";
import { decodePathInfo, splitRequestTarget } from "./target.js";
import type { ConnectionInfo, EnvironSettings, RequestExtensions, RequestHead } from "./types.js";

/** Shared by every environ, so frozen: an app that writes to it cannot change another request's. */
const TSGI_VERSION = Object.freeze([1, 0] as const);

/** CGI variables the assembler writes; with every `HTTP_*` and `tsgi.*` key, no server may replace them. */
const ASSEMBLER_CGI_KEYS: ReadonlySet<string> = new Set([
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "PATH_INFO",
  "QUERY_STRING",
  "CONTENT_TYPE",
  "CONTENT_LENGTH",
  "SERVER_NAME",
  "SERVER_PORT",
  "SERVER_PROTOCOL",
  "REMOTE_ADDR",
  "REMOTE_PORT",
]);

/**
 * True for a key only {@link assembleEnviron} may write: the CGI defaults, `REMOTE_*`,
 * `CONTENT_*`, `HTTP_*` and `tsgi.*`. Adapters fed CGI variables use it to split them.
 *
 * @example
 * isAssemblerKey("HTTP_HOST"); // true
 * isAssemblerKey("RAW_URI");   // false: a server key
 */
export function isAssemblerKey(key: string): boolean {
  return ASSEMBLER_CGI_KEYS.has(key) || key.startsWith("HTTP_") || key.startsWith("tsgi.");
}

/**
 * Builds the environ for one request: the only code that writes `tsgi.*` keys and the CGI
 * defaults, so every server gives an app the same environ (wsgiref's `setup_environ`).
 *
 * - `PATH_INFO` is the target's path percent-decoded to latin-1 bytes, split at `settings.scriptName`;
 *   `QUERY_STRING` stays encoded. `OPTIONS *` gives `PATH_INFO` `"*"`; a CONNECT authority-form target gives `""`.
 * - `SERVER_NAME`/`SERVER_PORT` come from an absolute-form target's authority (RFC 9112 §3.2.2: its `Host`
 *   is ignored, and `HTTP_HOST` becomes that authority too), else from `Host`, else from the local address.
 * - `serverKeys` is the server's declared extension point (`RAW_URI`, `REQUEST_URI`, `myserver.*`): it may add
 *   keys, never replace one the assembler owns (that throws {@link ReservedEnvironKeyError}).
 * - `extensions` carries the per-request objects of TSGI's extensions (`tsgi.websocket` on an upgrade
 *   request); `settings.state` is the per-process lifespan state (`tsgi.state`). Absent ones leave their key out.
 *
 * Runs per request on the hot path: one object literal of fixed shape, no regex for origin-form targets.
 * Checking the head is the caller's job (`checkRequestHead`), before this runs.
 *
 * @example
 * const environ = assembleEnviron(
 *   { method: "GET", target: "/hello?x=1", httpVersion: "1.1", rawHeaders: ["Host", "example.com"] },
 *   { remoteAddress: "127.0.0.1", remotePort: 50000, localAddress: "127.0.0.1", localPort: 8000, scheme: "http" },
 *   createInputStream([]),
 *   { multiprocess: true },
 *   { RAW_URI: "/hello?x=1" },
 * );
 * environ.SERVER_NAME; // "example.com"
 */
export function assembleEnviron(
  head: RequestHead,
  connection: ConnectionInfo,
  input: InputStream,
  settings: EnvironSettings,
  serverKeys?: Readonly<Record<string, unknown>>,
  extensions?: RequestExtensions,
): Environ {
  const target = head.target;
  const scheme = connection.scheme;
  let path: string;
  let query = "";
  let authority: string | undefined;
  let authorityScheme = scheme;
  if (target.charCodeAt(0) === 0x2f) {
    const question = target.indexOf("?");
    const hash = target.indexOf("#");
    if (question === -1 && hash === -1) path = target;
    else ({ path, query } = splitRequestTarget(target));
  } else if (target === "*") {
    path = "*";
  } else {
    const absolute = targetAuthority(target);
    if (absolute) {
      authority = absolute.authority;
      authorityScheme = absolute.scheme;
      ({ path, query } = splitRequestTarget(target));
    } else {
      authority = target; // authority-form (CONNECT): no path
      path = "";
    }
  }

  let scriptName: string;
  let pathInfo: string;
  if (head.pathInfo !== undefined) {
    ({ scriptName, pathInfo } = head.scriptName ? { scriptName: head.scriptName, pathInfo: head.pathInfo } : splitScriptName(head.pathInfo, settings.scriptName ?? ""));
  } else if (path === "*" || path === "") {
    scriptName = "";
    pathInfo = path;
  } else {
    ({ scriptName, pathInfo } = splitScriptName(decodePathInfo(path), settings.scriptName ?? ""));
  }

  const environ: Environ = {
    REQUEST_METHOD: head.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    SERVER_NAME: "",
    SERVER_PORT: "",
    SERVER_PROTOCOL: "HTTP/" + head.httpVersion,
    "tsgi.version": TSGI_VERSION,
    "tsgi.url_scheme": scheme,
    "tsgi.input": input,
    "tsgi.errors": settings.errors ?? stderrErrorStream,
    "tsgi.multithread": settings.multithread ?? false,
    "tsgi.multiprocess": settings.multiprocess ?? false,
    "tsgi.run_once": settings.runOnce ?? false,
  };
  if (connection.remoteAddress !== undefined) {
    environ.REMOTE_ADDR = connection.remoteAddress;
    if (connection.remotePort !== undefined) environ.REMOTE_PORT = String(connection.remotePort);
  }
  const fileWrapper = settings.fileWrapper;
  if (fileWrapper !== null) environ["tsgi.file_wrapper"] = fileWrapper ?? defaultFileWrapper;
  if (settings.state !== undefined) environ["tsgi.state"] = settings.state;
  if (extensions?.websocket !== undefined) environ["tsgi.websocket"] = extensions.websocket;
  addRawRequestHeaders(environ, head.rawHeaders);
  setServerNameAndPort(environ, connection, authority, authorityScheme);

  if (serverKeys !== undefined) {
    for (const key in serverKeys) {
      if (isAssemblerKey(key)) throw new ReservedEnvironKeyError(key);
      environ[key] = serverKeys[key];
    }
  }
  return environ;
}

function setServerNameAndPort(environ: Environ, connection: ConnectionInfo, authority: string | undefined, authorityScheme: string): void {
  if (authority !== undefined) {
    const split = splitHostPort(authority);
    if (split !== undefined) {
      // RFC 9112 §3.2.2: the target's authority wins over Host; HTTP_HOST follows so both agree.
      environ.HTTP_HOST = authority;
      environ.SERVER_NAME = split.name;
      environ.SERVER_PORT = split.port || defaultPort(authorityScheme);
      return;
    }
  }
  if (connection.serverName !== undefined) {
    environ.SERVER_NAME = connection.serverName;
    environ.SERVER_PORT = connection.serverPort ?? defaultPort(connection.scheme);
    return;
  }
  const host = environ.HTTP_HOST;
  const split = host === undefined ? undefined : splitHostPort(host);
  if (split !== undefined) {
    environ.SERVER_NAME = split.name;
    environ.SERVER_PORT = split.port || defaultPort(connection.scheme);
    return;
  }
  environ.SERVER_NAME = connection.localAddress ?? "localhost";
  environ.SERVER_PORT = connection.localPort !== undefined ? String(connection.localPort) : defaultPort(connection.scheme);
}

function defaultPort(scheme: string): string {
  return scheme === "https" ? "443" : "80";
}
