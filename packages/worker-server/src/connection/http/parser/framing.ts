import { reject, type Rejection } from "../../../http/rejection.js";
import type { BodyFraming } from "./types.js";

/** The fields of a head that decide its framing and connection handling, gathered while parsing. */
export interface FramingFields {
  hosts: number;
  host: string | undefined;
  contentLengths: number;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  contentTypes: number;
  connection: string | undefined;
  expect: string | undefined;
  upgrade: string | undefined;
}

/** A fresh, empty set of framing fields (one fixed shape for every request). */
export function emptyFramingFields(): FramingFields {
  return {
    hosts: 0, host: undefined, contentLengths: 0, contentLength: undefined, transferEncoding: undefined,
    contentTypes: 0, connection: undefined, expect: undefined, upgrade: undefined,
  };
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
 * Decides body framing, persistence and expectations from the fields of a complete head,
 * refusing every head whose end is ambiguous (RFC 9112 6.1, 6.3; RFC 9110 7.2, 8.6, 10.1.1).
 *
 * @example
 * decideFraming({ ...emptyFramingFields(), hosts: 1, host: "a" }, 1); // { body: { kind: "none" }, keepAlive: true, ... }
 */
export function decideFraming(fields: FramingFields, versionMinor: 0 | 1): Framing | Rejection {
  // RFC 9112 3.2: exactly one Host on HTTP/1.1, at most one on HTTP/1.0.
  if (fields.hosts > 1) return reject(400, "more than one Host header");
  if (fields.hosts === 0 && versionMinor === 1) return reject(400, "an HTTP/1.1 request needs a Host header");
  if (fields.host !== undefined && !isValidHost(fields.host)) {
    return reject(400, `invalid Host header "${fields.host.slice(0, 100)}"`);
  }
  // RFC 9110 5.3: Content-Type is a singleton field; two are ambiguous.
  if (fields.contentTypes > 1) return reject(400, "more than one Content-Type header");
  const body = bodyFraming(fields, versionMinor);
  if ("code" in body) return body;
  const expectContinue = checkExpect(fields.expect, versionMinor);
  if (typeof expectContinue !== "boolean") return expectContinue;
  let keepAlive = versionMinor === 1;
  let upgrade: string | undefined;
  if (fields.connection !== undefined) {
    const raw = fields.connection;
    if (equalsIgnoringCase(raw, "keep-alive")) keepAlive = true;
    else if (equalsIgnoringCase(raw, "close")) keepAlive = false;
    else {
      const connection = raw.toLowerCase();
      if (hasToken(connection, "close")) keepAlive = false;
      else if (hasToken(connection, "keep-alive")) keepAlive = true;
      if (hasToken(connection, "upgrade")) upgrade = fields.upgrade;
    }
  }
  return { body, keepAlive, expectContinue, upgrade };
}

function bodyFraming(fields: FramingFields, versionMinor: 0 | 1): BodyFraming | Rejection {
  if (fields.transferEncoding !== undefined) {
    // RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 is faulty framing; with Content-Length it is a smuggling attempt.
    if (versionMinor === 0) return reject(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    if (fields.contentLengths > 0) return reject(400, "Content-Length and Transfer-Encoding together are ambiguous");
    const codings = fields.transferEncoding.toLowerCase();
    if (codings === "chunked") return CHUNKED;
    return checkCodings(codings);
  }
  if (fields.contentLengths === 0) return NO_BODY;
  // RFC 9110 8.6: 1*DIGIT, once. A list, a sign or a second field is refused, even if equal.
  if (fields.contentLengths > 1) return reject(400, "more than one Content-Length header");
  const text = fields.contentLength as string;
  if (text.length === 0 || text.length > MAX_LENGTH_DIGITS) return reject(400, `invalid Content-Length "${text.slice(0, 40)}"`);
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return reject(400, `invalid Content-Length "${text.slice(0, 40)}"`);
    length = length * 10 + digit;
  }
  return { kind: "length", length };
}

/** RFC 9112 6.3 item 4 and 6.1: chunked must be the final coding, once; other codings are not implemented. */
function checkCodings(codings: string): Rejection {
  const list = codings.split(",").map((coding) => coding.trim()).filter((coding) => coding !== "");
  const chunkedAt = list.indexOf("chunked");
  if (list.length === 0 || list[list.length - 1] !== "chunked" || chunkedAt !== list.length - 1) {
    return reject(400, `invalid Transfer-Encoding "${codings.slice(0, 100)}": chunked must come last, once`);
  }
  const others = list.slice(0, -1).join(", ");
  return reject(501, `unsupported Transfer-Encoding "${others.slice(0, 100)}" (only chunked is implemented)`);
}

/** RFC 9110 10.1.1: 100-continue is the only expectation; anything else gets 417 as Gunicorn does. */
function checkExpect(expect: string | undefined, versionMinor: 0 | 1): boolean | Rejection {
  if (expect === undefined) return false;
  if (expect.toLowerCase() === "100-continue") return versionMinor === 1; // HTTP/1.0: MUST be ignored
  return { code: 417, reason: "Expectation Failed", message: `unsupported expectation "${expect.slice(0, 100)}"` };
}

/** True when `value` is `lower` (lowercase ASCII letters and "-") ignoring case, without building a string. */
function equalsIgnoringCase(value: string, lower: string): boolean {
  if (value.length !== lower.length) return false;
  for (let index = 0; index < lower.length; index++) {
    if ((value.charCodeAt(index) | 0x20) !== lower.charCodeAt(index)) return false;
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

/** RFC 3986 `uri-host [ ":" port ]` characters (reg-name, IPv4, IP-literal in brackets); empty is allowed (RFC 9112 3.2). */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::\d*)?$/;

function isValidHost(host: string): boolean {
  // The common case (letters, digits, dots, hyphens, an optional :port) without a regex.
  let colon = -1;
  for (let index = 0; index < host.length; index++) {
    const code = host.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) continue;
    if (colon === -1) {
      if ((code >= 0x61 && code <= 0x7a) || code === 0x2e || code === 0x2d || (code >= 0x41 && code <= 0x5a)) continue;
      if (code === 0x3a) {
        colon = index;
        continue;
      }
    }
    return HOST.test(host);
  }
  return true;
}
