import { targetAuthority } from "../environ/authority.js";
import type { RequestHead } from "../environ/types.js";
import { NO_HEAD_LIMITS, type HeadLimits } from "./headLimits.js";
import { headRejection, type HeadRejection } from "./headRejection.js";

/**
 * The one set of request-head checks every tsgi server runs before it builds an environ
 * (`toNodeListener`, `createServer`, `tsgi-dev`, `tsgi-worker`'s engine). Returns the
 * rejection to answer with `Connection: close`, or undefined when the head may reach the app.
 *
 * Refused, in this order (RFC 9110/9112, with Gunicorn 26's limits and statuses):
 * - request line longer than `limits.requestLine` (CRLF excluded): 414;
 * - a version other than HTTP/1.x: 505 from 2.0 up, 400 below 1.0 or malformed;
 * - a target that is empty, `*` without OPTIONS, an absolute-form URL that does not parse or has a bad
 *   authority, authority-form without CONNECT, or anything else not starting with `/`: 400 (RFC 9112 §3.2);
 * - more than `limits.fields` fields, or a field longer than `limits.fieldSize` (`name: value` CRLF): 431;
 * - no Host on HTTP/1.1, more than one Host, or a Host that is not `uri-host[:port]`: 400 (RFC 9112 §3.2);
 * - Transfer-Encoding on HTTP/1.0, with Content-Length, or with `chunked` not last or repeated: 400
 *   (RFC 9112 §6.1, §6.3); a coding other than `chunked`: 501 (RFC 9112 §6.1);
 * - more than one Content-Length, or one that is not decimal digits: 400 (RFC 9112 §6.3);
 * - more than one Content-Type: 400 (RFC 9110 §5.3: not a list field);
 * - CONNECT (with a valid authority-form target): 405, as no TSGI server tunnels.
 *
 * The syntax (method and field-name tokens, CRLF, whitespace, obs-fold, control characters) is the
 * parser's job, before this runs: llhttp's in `node:http`, the engine's own in `tsgi-worker`.
 *
 * Header names with `_` are dropped by the environ assembler (SPEC.md, environ Variables), as Gunicorn's
 * default `--header-map drop`; with `options.underscoreHeaders: "refuse"` (Gunicorn's `refuse`) they get 400.
 *
 * @example
 * const rejection = checkRequestHead({ method: "GET", target: "/", httpVersion: "2.0", rawHeaders: [] });
 * rejection?.status; // 505
 */
export function checkRequestHead(head: RequestHead, limits: HeadLimits = NO_HEAD_LIMITS, options?: HeadCheckOptions): HeadRejection | undefined {
  const { method, target, httpVersion } = head;
  const lineLength = method.length + target.length + httpVersion.length + 7; // two spaces and "HTTP/"
  if (lineLength > limits.requestLine) {
    return headRejection(414, `request line is too large (${lineLength} > ${limits.requestLine})`);
  }
  return checkVersion(httpVersion) ?? checkTarget(method, target) ?? checkFields(head, limits, options?.underscoreHeaders === "refuse");
}

/** Policies beyond the RFCs, with Gunicorn's names. */
export interface HeadCheckOptions {
  /** Header names containing `_`: `"drop"` (default: the assembler leaves them out) or `"refuse"` (400), as Gunicorn's `--header-map`. */
  underscoreHeaders?: "drop" | "refuse";
}

function checkVersion(version: string): HeadRejection | undefined {
  if (version === "1.1" || version === "1.0") return undefined;
  const major = version.charCodeAt(0) - 0x30;
  const minor = version.charCodeAt(2) - 0x30;
  if (version.length !== 3 || version.charCodeAt(1) !== 0x2e || !(major >= 0 && major <= 9) || !(minor >= 0 && minor <= 9)) {
    return headRejection(400, `invalid HTTP version ${JSON.stringify(version.slice(0, 20))}`);
  }
  if (major === 1) return undefined; // RFC 9110 §2.5: a higher 1.x minor is answered as HTTP/1.1
  if (major > 1) return headRejection(505, `HTTP/${version} is not supported: this server speaks HTTP/1.1`);
  return headRejection(400, `HTTP/${version} is not supported: send HTTP/1.0 or HTTP/1.1`);
}

function checkTarget(method: string, target: string): HeadRejection | undefined {
  if (target.charCodeAt(0) === 0x2f) return method === "CONNECT" ? badTarget(method, target) : undefined;
  if (target === "*") return method === "OPTIONS" ? undefined : badTarget(method, target);
  const absolute = targetAuthority(target);
  if (absolute !== undefined) {
    if (method === "CONNECT" || !isScheme(target, target.indexOf(":")) || !URL.canParse(target)) return badTarget(method, target);
    // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid ("http:///p", "http://:80/").
    const http = absolute.scheme === "http" || absolute.scheme === "https";
    if (http && (absolute.authority === "" || absolute.authority.charCodeAt(0) === 0x3a || !isValidHost(absolute.authority, false))) {
      return badTarget(method, target);
    }
    return undefined;
  }
  if (method === "CONNECT" && isValidHost(target, true)) {
    return headRejection(405, "CONNECT is not supported: this server does not open tunnels");
  }
  return badTarget(method, target);
}

function badTarget(method: string, target: string): HeadRejection {
  return headRejection(
    400,
    `invalid request target ${JSON.stringify(target.slice(0, 100))} for ${method.slice(0, 20)}: ` +
      'use "/path" (origin-form), an absolute http(s) URL, "*" only with OPTIONS, "host:port" only with CONNECT',
  );
}

function checkFields(head: RequestHead, limits: HeadLimits, refuseUnderscores: boolean): HeadRejection | undefined {
  const raw = head.rawHeaders;
  const count = raw.length >> 1;
  if (count > limits.fields) return headRejection(431, `too many header fields (${count} > ${limits.fields})`);
  let hosts = 0;
  let host = "";
  let contentLengths = 0;
  let contentLength = "";
  let contentTypes = 0;
  let transferEncoding: string | undefined;
  const fieldSize = limits.fieldSize;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    // Gunicorn 26 counts the line as sent ("Name: value") plus its CRLF.
    if (name.length + value.length + 4 > fieldSize) {
      return headRejection(431, `header field ${name.slice(0, 100)} is too large (${name.length + value.length + 4} > ${fieldSize})`);
    }
    if (refuseUnderscores && name.includes("_")) {
      return headRejection(400, `header name ${JSON.stringify(name.slice(0, 100))} contains "_", which this server refuses (it could spoof its "-" twin)`);
    }
    switch (name.length) {
      case 4:
        if (isNamed(name, "host")) {
          hosts++;
          host = value;
        }
        break;
      case 12:
        if (isNamed(name, "content-type")) contentTypes++;
        break;
      case 14:
        if (isNamed(name, "content-length")) {
          contentLengths++;
          contentLength = value;
        }
        break;
      case 17:
        if (isNamed(name, "transfer-encoding")) transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
    }
  }
  if (hosts > 1) return headRejection(400, "more than one Host header (RFC 9112 §3.2)");
  if (hosts === 0 && head.httpVersion !== "1.0" && head.httpVersion.charCodeAt(0) === 0x31) {
    return headRejection(400, "an HTTP/1.1 request must have a Host header (RFC 9112 §3.2)");
  }
  if (hosts === 1 && !isValidHost(host, false)) return headRejection(400, `invalid Host header ${JSON.stringify(host.slice(0, 100))}`);
  if (contentLengths > 1) return headRejection(400, "more than one Content-Length header (RFC 9112 §6.3)");
  if (contentLengths === 1 && !isDigits(contentLength)) {
    return headRejection(400, `Content-Length must be decimal digits, got ${JSON.stringify(contentLength.slice(0, 40))}`);
  }
  if (transferEncoding !== undefined) {
    const rejection = checkTransferEncoding(transferEncoding, head.httpVersion, contentLengths > 0);
    if (rejection) return rejection;
  }
  if (contentTypes > 1) return headRejection(400, "more than one Content-Type header");
  return undefined;
}

function checkTransferEncoding(value: string, httpVersion: string, hasContentLength: boolean): HeadRejection | undefined {
  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means its framing is faulty.
  if (httpVersion === "1.0") return headRejection(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request (RFC 9112 §6.1)");
  // RFC 9112 §6.3: with both, the message may be read two ways (request smuggling); refuse it.
  if (hasContentLength) return headRejection(400, "Content-Length and Transfer-Encoding together (RFC 9112 §6.3)");
  if (value === "chunked" || isNamed(value, "chunked")) return undefined;
  const codings = value
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== ""); // RFC 9110 §5.6.1: empty list elements are ignored
  const chunked = codings.indexOf("chunked");
  if (chunked === -1 || chunked !== codings.length - 1) {
    return headRejection(400, `invalid Transfer-Encoding ${JSON.stringify(value.slice(0, 100))}: "chunked" must come last, once (RFC 9112 §6.3)`);
  }
  const others = codings.filter((coding) => coding !== "chunked");
  return headRejection(501, `unsupported transfer coding ${JSON.stringify(others.join(", ").slice(0, 100))}: only "chunked" is understood`);
}

/** Case-insensitive equality with a lower-case ASCII name, without allocating. */
function isNamed(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function isScheme(text: string, end: number): boolean {
  if (end <= 0 || !isAlpha(text.charCodeAt(0))) return false;
  for (let i = 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isAlpha(code) && !(code >= 0x30 && code <= 0x39) && code !== 0x2b && code !== 0x2d && code !== 0x2e) return false;
  }
  return true;
}

function isAlpha(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** RFC 3986 reg-name characters (unreserved, sub-delims, "%"). */
const REG_NAME = new Uint8Array(128);
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%") REG_NAME[char.charCodeAt(0)] = 1;

/** RFC 9112 §3.2 `Host = uri-host [ ":" port ]` (an empty Host is allowed); `needPort` for CONNECT's authority-form. */
function isValidHost(host: string, needPort: boolean): boolean {
  let i = 0;
  if (host.charCodeAt(0) === 0x5b) {
    const close = host.indexOf("]");
    if (close < 2) return false;
    for (i = 1; i < close; i++) {
      const code = host.charCodeAt(i);
      const hex = (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x66);
      if (!hex && code !== 0x3a && code !== 0x2e) return false;
    }
    i = close + 1;
  } else {
    while (i < host.length && host.charCodeAt(i) < 128 && REG_NAME[host.charCodeAt(i)] === 1) i++;
  }
  if (i === host.length) return !needPort;
  if (host.charCodeAt(i) !== 0x3a) return false;
  const port = host.slice(i + 1);
  return port === "" ? !needPort : isDigits(port);
}
