import { assembleEnviron } from "../environ/assembleEnviron.js";
import { hasInvalidValueChars, isToken } from "../http/rules.js";
import { createInputStream } from "../input/inputStream.js";
import type { Environ } from "../types.js";
import { limitBytes } from "../util/limitBytes.js";
import { createMemoryErrorStream } from "../util/memoryErrorStream.js";
import { InvalidTestRequestError } from "./errors.js";

/** A request body for `callApp`: text (sent as UTF-8), bytes, or chunks (sent as a chunked body). */
export type TestRequestBody = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Request headers: an object (an array value repeats the header) or `[name, value]` pairs. */
export type TestRequestHeaders = Record<string, string | readonly string[]> | Iterable<readonly [string, string]>;

/** The request `callApp` sends. */
export interface TestRequest {
  /** HTTP method (default `GET`). */
  method?: string;
  /** Request target: `/path?query` (percent-encoded as on the wire) or an absolute `http(s)://host/path` URL. Default `/`. */
  path?: string;
  /** Request headers. */
  headers?: TestRequestHeaders;
  /** Request body; a string or bytes also sets `CONTENT_LENGTH` unless a `Content-Length` header is given. */
  body?: TestRequestBody;
  /** Environ keys set last, over everything else (e.g. `SCRIPT_NAME`, `REMOTE_ADDR`, server-specific keys). */
  environ?: Record<string, unknown>;
}

const encoder = new TextEncoder();

/** The test client's made-up connection: a loopback client talking to port 80. */
const TEST_CONNECTION = { remoteAddress: "127.0.0.1", remotePort: 50000, localAddress: "127.0.0.1", localPort: 80 } as const;

/**
 * Builds the environ a real server would build for this request, through `assembleEnviron` (the test
 * client's adapter): method, the path percent-decoded into `PATH_INFO`, headers mapped with the server
 * rules (a `Host` of `127.0.0.1`, or the absolute URL's authority, when none is given, as an HTTP/1.1
 * client sends one), a `tsgi.input` bounded at `CONTENT_LENGTH`, and an in-memory `tsgi.errors`.
 * `request.environ` is applied last, over everything: it is the test's own override.
 *
 * @example
 * const environ = buildTestEnviron({ method: "POST", path: "/notes?draft=1", body: "hi" });
 */
export function buildTestEnviron(request: TestRequest = {}): Environ {
  const method = request.method ?? "GET";
  if (typeof method !== "string" || !isToken(method)) {
    throw new InvalidTestRequestError(`method must be an HTTP token such as "GET" or "POST", got ${JSON.stringify(method)}`);
  }
  const target = request.path ?? "/";
  const url = parseTarget(target);

  const rawHeaders: string[] = [];
  let contentLength: string | undefined;
  let hasHost = false;
  let hasTransferEncoding = false;
  for (const [name, value] of headerPairs(request.headers)) {
    rawHeaders.push(name, value);
    const lower = name.toLowerCase();
    if (lower === "host") hasHost = true;
    else if (lower === "content-length") contentLength = contentLength === undefined ? value : `${contentLength}, ${value}`;
    else if (lower === "transfer-encoding") hasTransferEncoding = true;
  }
  if (!hasHost) rawHeaders.push("Host", url?.host ?? "127.0.0.1");

  let input = createInputStream([]);
  const body = request.body;
  if (body !== undefined) {
    const bytes = typeof body === "string" ? encoder.encode(body) : body instanceof Uint8Array ? body : undefined;
    if (bytes === undefined && (typeof body !== "object" || body === null || !(Symbol.iterator in body || Symbol.asyncIterator in body))) {
      throw new InvalidTestRequestError("body must be a string, a Uint8Array or an (async) iterable of Uint8Array");
    }
    if (contentLength !== undefined && !/^\d+$/.test(contentLength)) {
      throw new InvalidTestRequestError(`Content-Length must be a non-negative integer, got ${JSON.stringify(contentLength)}`);
    }
    if (bytes !== undefined && contentLength === undefined) {
      contentLength = String(bytes.length);
      rawHeaders.push("Content-Length", contentLength);
    }
    // Streamed bodies without a length go out chunked, as fetch or curl would send them.
    if (bytes === undefined && contentLength === undefined && !hasTransferEncoding) rawHeaders.push("Transfer-Encoding", "chunked");
    const source = bytes !== undefined ? [bytes] : (body as Iterable<Uint8Array> | AsyncIterable<Uint8Array>);
    input = createInputStream(contentLength === undefined ? source : limitBytes(source, Number(contentLength)));
  }

  const connection = { ...TEST_CONNECTION, scheme: url ? url.protocol.slice(0, -1) : "http" };
  const environ = assembleEnviron({ method, target, httpVersion: "1.1", rawHeaders }, connection, input, { errors: createMemoryErrorStream() });
  if (request.environ) Object.assign(environ, request.environ);
  return environ;
}

function parseTarget(target: string): URL | undefined {
  if (typeof target !== "string") {
    throw new InvalidTestRequestError(`path must be a string such as "/notes?page=2", got ${typeof target}`);
  }
  if (target.startsWith("/")) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0020\u007f-\uffff]/.test(target)) {
      throw new InvalidTestRequestError(
        `path ${JSON.stringify(target)} holds a space, control or non-ASCII character: percent-encode it as a client would (encodeURI)`,
      );
    }
    return undefined;
  }
  if (/^https?:\/\//i.test(target)) {
    try {
      return new URL(target);
    } catch {
      // fall through to the error below
    }
  }
  throw new InvalidTestRequestError(`path must start with "/" or be an absolute http(s) URL, got ${JSON.stringify(target)}`);
}

function* headerPairs(headers: TestRequestHeaders | undefined): Generator<[string, string]> {
  if (headers === undefined) return;
  const pairs: Iterable<readonly [string, string | readonly string[]]> =
    Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new InvalidTestRequestError(`each header must be a [name, value] pair, got ${JSON.stringify(pair)}`);
    }
    const [name, values] = pair;
    for (const value of Array.isArray(values) ? values : [values]) {
      if (typeof name !== "string" || !isToken(name)) {
        throw new InvalidTestRequestError(`header name ${JSON.stringify(name)} is not an HTTP token`);
      }
      if (typeof value !== "string" || hasInvalidValueChars(value)) {
        throw new InvalidTestRequestError(`header ${name}: the value must be latin-1 text without CR, LF or other control characters`);
      }
      yield [name, value];
    }
  }
}
