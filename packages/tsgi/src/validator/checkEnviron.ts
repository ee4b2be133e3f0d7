import { isToken } from "../http/rules.js";
import type { Environ } from "../types.js";
import { check, describe } from "./validationError.js";

/** Keys every environ carries (SPEC.md, "environ Variables"); CGI ones may be empty strings. */
const REQUIRED_KEYS = [
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
] as const;

/** Every tsgi.* key TSGI 1.0 defines; the rest of the namespace is reserved (SPEC.md, "Names Reserved"). */
const DEFINED_TSGI_KEYS: ReadonlySet<string> = new Set([
  ...REQUIRED_KEYS.filter((key) => key.startsWith("tsgi.")),
  "tsgi.file_wrapper",
  // The extension chapter (SPEC.md, "WebSocket and Lifespan").
  "tsgi.websocket",
  "tsgi.state",
]);

const NOT_LATIN1 = /[^\u0000-\u00ff]/;
const LINE_BREAK_OR_NUL = /[\r\n\u0000]/;
const DIGITS = /^[0-9]+$/;
const HTTP_PROTOCOL = /^HTTP\/[0-9](\.[0-9])?$/;

/**
 * Checks an environ as a server built it, before the app sees it (wsgiref's
 * `check_environ`, adapted). Throws a server-side `TsgiValidationError`.
 *
 * @example
 * checkEnviron(environ); // throws TsgiValidationError { rule: "environ-missing-key" } when PATH_INFO is absent
 */
export function checkEnviron(environ: unknown): asserts environ is Environ {
  check(isPlainObject(environ), "environ-not-object", `environ must be a plain object, got ${describe(environ)}`);
  for (const key of REQUIRED_KEYS) {
    check(environ[key] !== undefined, "environ-missing-key", `environ is missing the required key ${key}`);
  }
  for (const key of ["HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"]) {
    check(!(key in environ), "environ-forbidden-key", `environ must not have ${key}; the header goes in ${key.slice(5)}`);
  }
  checkCgiValues(environ);
  checkCgiForms(environ);
  checkTsgiKeys(environ);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Keys without a dot are CGI variables: latin-1 strings. Keys with a dot are extensions, whose types are their own. */
function checkCgiValues(environ: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(environ)) {
    if (key.includes(".") || value === undefined) continue;
    check(typeof value === "string", "environ-value-type", `environ ${key} must be a string, got ${describe(value)}`);
    check(
      !NOT_LATIN1.test(value),
      "environ-value-latin1",
      `environ ${key} has a character above U+00FF; carry the raw bytes as latin-1 characters (${describe(value)})`,
    );
    if (key.startsWith("HTTP_") || key === "CONTENT_TYPE") {
      check(!LINE_BREAK_OR_NUL.test(value), "environ-header-value", `environ ${key} holds CR, LF or NUL: ${describe(value)}`);
    }
  }
}

function checkCgiForms(environ: Record<string, unknown>): void {
  const method = environ.REQUEST_METHOD as string;
  check(isToken(method), "environ-request-method", `REQUEST_METHOD must be a method token like "GET", got ${describe(method)}`);

  const scriptName = environ.SCRIPT_NAME as string;
  check(
    scriptName === "" || scriptName.startsWith("/"),
    "environ-script-name-form",
    `SCRIPT_NAME must be empty or start with "/", got ${describe(scriptName)}`,
  );
  check(scriptName !== "/", "environ-script-name-root", 'SCRIPT_NAME must not be "/": use "" and put "/" in PATH_INFO');

  const pathInfo = environ.PATH_INFO as string;
  // OPTIONS * (RFC 9112 §3.2.4) asks about the server as a whole: its PATH_INFO is "*", as under Gunicorn and wsgiref.
  const asterisk = pathInfo === "*" && environ.REQUEST_METHOD === "OPTIONS" && scriptName === "";
  check(
    pathInfo === "" || pathInfo.startsWith("/") || asterisk,
    "environ-path-info-form",
    `PATH_INFO must be empty or start with "/" (or be "*" for OPTIONS * with an empty SCRIPT_NAME), got ${describe(pathInfo)}`,
  );

  const contentLength = environ.CONTENT_LENGTH;
  if (typeof contentLength === "string" && contentLength !== "") {
    check(DIGITS.test(contentLength), "environ-content-length", `CONTENT_LENGTH must be a non-negative integer, got ${describe(contentLength)}`);
  }

  const port = environ.SERVER_PORT as string;
  check(DIGITS.test(port), "environ-server-port", `SERVER_PORT must be decimal digits, got ${describe(port)}`);

  const protocol = environ.SERVER_PROTOCOL as string;
  check(HTTP_PROTOCOL.test(protocol), "environ-server-protocol", `SERVER_PROTOCOL must look like "HTTP/1.1", got ${describe(protocol)}`);
}

function checkTsgiKeys(environ: Record<string, unknown>): void {
  // A server that defined a reserved name now would clash with the asynchronous extension that will define it.
  for (const [key, value] of Object.entries(environ)) {
    if (!key.startsWith("tsgi.") || value === undefined) continue;
    check(
      DEFINED_TSGI_KEYS.has(key),
      "environ-reserved-key",
      `environ key ${key} is reserved by TSGI; put server-specific keys under the server's own prefix (e.g. myserver.${key.slice(5)})`,
    );
  }
  const version = environ["tsgi.version"];
  check(
    Array.isArray(version) && version.length === 2 && version[0] === 1 && version[1] === 0,
    "environ-version",
    `tsgi.version must be [1, 0], got ${describe(version)}`,
  );

  const scheme = environ["tsgi.url_scheme"];
  check(scheme === "http" || scheme === "https", "environ-url-scheme", `tsgi.url_scheme must be "http" or "https", got ${describe(scheme)}`);

  for (const key of ["tsgi.multithread", "tsgi.multiprocess", "tsgi.run_once"]) {
    check(typeof environ[key] === "boolean", "environ-flag-type", `${key} must be a boolean, got ${describe(environ[key])}`);
  }

  const input = environ["tsgi.input"];
  for (const method of ["read", "readline", "readlines", Symbol.asyncIterator] as const) {
    check(
      hasMethod(input, method),
      "environ-input-interface",
      `tsgi.input must have a ${String(method)} method (SPEC.md, "Input and Error Streams"), got ${describe(input)}`,
    );
  }

  const errors = environ["tsgi.errors"];
  for (const method of ["write", "writelines", "flush"] as const) {
    check(hasMethod(errors, method), "environ-errors-interface", `tsgi.errors must have a ${method} method, got ${describe(errors)}`);
  }

  const websocket = environ["tsgi.websocket"];
  if (websocket !== undefined) {
    for (const method of ["accept", "send", "receive", "close", Symbol.asyncIterator] as const) {
      check(hasMethod(websocket, method), "environ-websocket-interface", `tsgi.websocket must have a ${String(method)} method (SPEC.md, "WebSocket"), got ${describe(websocket)}`);
    }
    const { subprotocols, closed } = websocket as { subprotocols?: unknown; closed?: unknown };
    check(Array.isArray(subprotocols) && closed instanceof Promise, "environ-websocket-interface", "tsgi.websocket must have subprotocols (an array) and closed (a promise)");
  }
  const state = environ["tsgi.state"];
  check(state === undefined || (typeof state === "object" && state !== null), "environ-state-type", `tsgi.state must be an object when present, got ${describe(state)}`);

  const fileWrapper = environ["tsgi.file_wrapper"];
  check(
    fileWrapper === undefined || typeof fileWrapper === "function",
    "environ-file-wrapper-type",
    `tsgi.file_wrapper must be a function when present, got ${describe(fileWrapper)}`,
  );
}

function hasMethod(value: unknown, method: string | symbol): boolean {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  return typeof (value as Record<string | symbol, unknown>)[method] === "function";
}
