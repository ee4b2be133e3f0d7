/**
 * The header and status rules of SPEC.md, shared by the server runtime and the validator.
 */

/** RFC 9110 token characters (field names, methods). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Any control character but horizontal tab, or a character outside latin-1. */
const INVALID_VALUE_CHAR = /[\u0000-\u0008\u000a-\u001f\u007f\u0100-\uffff]/;

/** Hop-by-hop headers belong to a connection, not to an app's response (RFC 9110 §7.6.1, PEP 3333). */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "trailers",
  "transfer-encoding",
  "upgrade",
]);

/** True when `name` is a non-empty RFC 9110 token. */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}

/** True when `value` holds CR, LF, NUL, another control character, or a character outside latin-1. */
export function hasInvalidValueChars(value: string): boolean {
  return INVALID_VALUE_CHAR.test(value);
}

/** A parsed status line: `"404 Not Found"` gives `{ code: 404, reason: "Not Found" }`. */
export interface ParsedStatus {
  code: number;
  reason: string;
}

// A final status: 200..599 (RFC 9110 §15; a 1xx is interim, and a client would wait on for the real response, taking
// the next one on the connection for it). A reason phrase of HTAB, SP, VCHAR and obs-text (RFC 9112 §4). Checked
// when startResponse is called, because node:http would otherwise throw only when the head is written, too late for a 500.
const STATUS = /^([2-5]\d\d) ([\t\x20-\x7e\x80-\xff]*)$/;

/**
 * Parses a TSGI status string; undefined when it is not `"NNN reason"` with a final code (200..599).
 *
 * @example
 * parseStatus("200 OK"); // { code: 200, reason: "OK" }
 */
export function parseStatus(status: string): ParsedStatus | undefined {
  const match = STATUS.exec(status);
  if (!match) return undefined;
  return { code: Number(match[1]), reason: match[2] ?? "" };
}

/** Statuses whose responses never carry a body (RFC 9110 §6.4.1). */
export function statusForbidsBody(code: number): boolean {
  return code < 200 || code === 204 || code === 304;
}
