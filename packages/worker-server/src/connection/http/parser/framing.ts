import { reject, type Rejection } from "../../rejection.js";
import type { BodyFraming } from "./types.js";

/** The fields of a head that decide its framing and connection handling, gathered while parsing. */
export interface FramingFields {
  host: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  connection: string | undefined;
  expect: string | undefined;
  upgrade: string | undefined;
}

/** A fresh, empty set of framing fields (one fixed shape for every request). */
export function emptyFramingFields(): FramingFields {
  return { host: undefined, contentLength: undefined, transferEncoding: undefined, connection: undefined, expect: undefined, upgrade: undefined };
}

/** What the framing fields decide. */
export interface Framing {
  body: BodyFraming;
  keepAlive: boolean;
  expectContinue: boolean;
  upgrade: string | undefined;
}

const NO_BODY: BodyFraming = Object.freeze({ kind: "none" });
const CHUNKED: BodyFraming = Object.freeze({ kind: "chunked" });
const MAX_LENGTH_DIGITS = 15; // below Number.MAX_SAFE_INTEGER, above any real body

/**
 * Decides body framing, persistence and expectations from the fields of a complete head that
 * tsgi's `checkRequestHead` has passed: Host, Content-Length and Transfer-Encoding are single,
 * well-formed and not together, and chunked is the only, final coding (RFC 9112 3.2, 6.1, 6.3).
 * What is left to refuse here: a Content-Length too large to count (400) and an expectation
 * other than 100-continue (417, RFC 9110 10.1.1, as Gunicorn).
 *
 * @example
 * decideFraming({ ...emptyFramingFields(), host: "a", contentLength: "5" }, 1); // { body: { kind: "length", length: 5 }, keepAlive: true, ... }
 */
export function decideFraming(fields: FramingFields, versionMinor: 0 | 1): Framing | Rejection {
  let body = NO_BODY;
  if (fields.transferEncoding !== undefined) body = CHUNKED;
  else if (fields.contentLength !== undefined) {
    const text = fields.contentLength;
    if (text.length > MAX_LENGTH_DIGITS) return reject(400, `Content-Length ${text.slice(0, 40)} is too large`);
    let length = 0;
    for (let index = 0; index < text.length; index++) length = length * 10 + (text.charCodeAt(index) - 0x30);
    body = { kind: "length", length };
  }
  let expectContinue = false;
  if (fields.expect !== undefined) {
    if (!equalsIgnoringCase(fields.expect, "100-continue")) {
      return { code: 417, reason: "Expectation Failed", message: `unsupported expectation "${fields.expect.slice(0, 100)}" (only 100-continue)` };
    }
    expectContinue = versionMinor === 1; // HTTP/1.0: MUST be ignored
  }
  // RFC 9112 9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
  let keepAlive = versionMinor === 1;
  let upgrade: string | undefined;
  const connection = fields.connection;
  if (connection !== undefined) {
    if (equalsIgnoringCase(connection, "keep-alive")) keepAlive = true;
    else if (equalsIgnoringCase(connection, "close")) keepAlive = false;
    else {
      const options = connection.toLowerCase();
      if (hasToken(options, "close")) keepAlive = false;
      else if (hasToken(options, "keep-alive")) keepAlive = true;
      // RFC 9110 7.8: an Upgrade received in an HTTP/1.0 request MUST be ignored.
      if (versionMinor === 1 && hasToken(options, "upgrade")) upgrade = fields.upgrade;
    }
  }
  return { body, keepAlive, expectContinue, upgrade };
}

/** True when `value` is `lower` (lowercase ASCII letters, digits and "-") ignoring case, without building a string. */
function equalsIgnoringCase(value: string, lower: string): boolean {
  if (value.length !== lower.length) return false;
  for (let index = 0; index < lower.length; index++) {
    const code = value.charCodeAt(index);
    if ((code >= 0x41 && code <= 0x5a ? code | 0x20 : code) !== lower.charCodeAt(index)) return false;
  }
  return true;
}

/** True when the comma-separated list `value` (lowercase) has `token` as a member. */
function hasToken(value: string, token: string): boolean {
  let start = 0;
  while (start <= value.length) {
    let end = value.indexOf(",", start);
    if (end === -1) end = value.length;
    if (value.slice(start, end).trim() === token) return true;
    start = end + 1;
  }
  return false;
}
