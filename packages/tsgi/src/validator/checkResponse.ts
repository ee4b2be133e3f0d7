import { HOP_BY_HOP_HEADERS, hasInvalidValueChars, isToken, statusForbidsBody } from "../http/rules.js";
import type { ResponseHeaders } from "../types.js";
import { check, describe } from "./validationError.js";

const NOT_LATIN1 = /[^\u0000-\u00ff]/;
const STATUS_START = /^[0-9]{3} /;

/**
 * Checks a `startResponse` status (wsgiref's `check_status`) and returns its code.
 *
 * @example
 * checkStatus("404 Not Found"); // 404
 */
export function checkStatus(status: unknown): number {
  check(typeof status === "string", "status-type", `status must be a string like "200 OK", got ${describe(status)}`);
  check(
    STATUS_START.test(status),
    "status-format",
    `status must be three digits, a space and a reason phrase, like "200 OK"; got ${describe(status)}`,
  );
  const code = Number(status.slice(0, 3));
  check(
    code >= 200 && code <= 599,
    "status-code-range",
    `status code ${code} is outside 200..599: a final response's code (RFC 9110 §15; 1xx responses are interim, sent by the server)`,
  );
  const reason = status.slice(4);
  check(
    !hasInvalidValueChars(reason),
    "status-reason-chars",
    `the reason phrase of ${describe(status)} holds a control character or a character above U+00FF`,
  );
  return code;
}

/**
 * Checks the shape and characters of `startResponse` headers (wsgiref's `check_headers`).
 *
 * @example
 * checkHeaders([["Content-Type", "text/plain"]]);
 */
export function checkHeaders(headers: unknown): asserts headers is ResponseHeaders {
  check(Array.isArray(headers), "headers-type", `headers must be an array of [name, value] pairs, got ${describe(headers)}`);
  for (const item of headers as unknown[]) {
    check(
      Array.isArray(item) && item.length === 2,
      "header-item-shape",
      `each header must be a [name, value] array of two items, got ${describe(item)}`,
    );
    const [name, value] = item as unknown[];
    check(typeof name === "string", "header-name-type", `header names must be strings, got ${describe(name)}`);
    check(typeof value === "string", "header-value-type", `the value of header ${name} must be a string, got ${describe(value)}`);
    checkHeaderName(name);
    checkHeaderValue(name, value);
  }
}

function checkHeaderName(name: string): void {
  const lower = name.toLowerCase();
  check(lower !== "status", "header-status-forbidden", "a Status header is not allowed: give the status as startResponse's first argument");
  check(isToken(name), "header-name-token", `header name ${describe(name)} is not an RFC 9110 token (no spaces, colons, CR or LF)`);
  check(!/[-_]$/.test(name), "header-name-trailing-separator", `header name ${describe(name)} must not end in "-" or "_"`);
  check(
    !HOP_BY_HOP_HEADERS.has(lower),
    "header-hop-by-hop",
    `${name} is a hop-by-hop header: the server manages the connection and its framing, the app must not set it`,
  );
}

function checkHeaderValue(name: string, value: string): void {
  check(
    !NOT_LATIN1.test(value),
    "header-value-latin1",
    `the value of header ${name} has a character above U+00FF; encode it first (RFC 8187, or percent-encoding)`,
  );
  check(
    !hasInvalidValueChars(value),
    "header-value-chars",
    `the value of header ${name} holds CR, LF, NUL or another control character: ${describe(value)}`,
  );
}

/**
 * Checks the headers that depend on the status (wsgiref's `check_content_type`,
 * plus Content-Length) and returns the declared Content-Length, if any.
 *
 * @example
 * checkEntityHeaders(200, [["Content-Type", "text/plain"], ["Content-Length", "5"]]); // 5
 */
export function checkEntityHeaders(code: number, headers: ResponseHeaders): number | undefined {
  const noContent = statusForbidsBody(code);
  const hasContentType = headers.some(([name]) => name.toLowerCase() === "content-type");
  if (noContent) {
    check(!hasContentType, "content-type-forbidden", `a ${code} response has no content, so it must not have a Content-Type header`);
  } else {
    check(hasContentType, "content-type-required", `a ${code} response needs a Content-Type header (servers add no default)`);
  }
  const lengths = headers.filter(([name]) => name.toLowerCase() === "content-length").map(([, value]) => value);
  if (lengths.length === 0) return undefined;
  check(
    code >= 200 && code !== 204,
    "content-length-forbidden",
    `a ${code} response must not have a Content-Length header (RFC 9110 §8.6)`,
  );
  const [first] = lengths;
  check(
    lengths.length === 1 && first !== undefined && /^[0-9]+$/.test(first),
    "content-length-format",
    `Content-Length must be given once, as a non-negative integer; got ${lengths.map((value) => describe(value)).join(", ")}`,
  );
  return Number(first);
}
