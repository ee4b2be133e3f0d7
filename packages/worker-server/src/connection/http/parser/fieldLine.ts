import { COLON, FIELD_VALUE, HTAB, SP, TOKEN } from "./chars.js";

/**
 * Where the parts of one field line lie in a buffer (RFC 9112 5: `field-name ":" OWS field-value OWS`).
 * Reused for every line of a head, so parsing a field allocates nothing but its two strings.
 */
export interface FieldLineBounds {
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** Why a field line is invalid, or undefined when `bounds` was filled in. */
export type FieldLineError = "name" | "value";

/**
 * Checks the field line `buffer[start, end)` (CRLF excluded) and fills `bounds`.
 * The name must be a non-empty token followed at once by ":" (RFC 9112 5.1: no whitespace
 * before the colon); the value may hold field-vchar, SP and HTAB only (RFC 9110 5.5), so a
 * NUL, a bare CR or any other control byte is refused. Leading and trailing OWS are trimmed.
 *
 * @example
 * const bounds = { nameEnd: 0, valueStart: 0, valueEnd: 0 };
 * checkFieldLine(Buffer.from("Host: a"), 0, 7, bounds); // undefined; bounds = { nameEnd: 4, valueStart: 6, valueEnd: 7 }
 */
export function checkFieldLine(buffer: Buffer, start: number, end: number, bounds: FieldLineBounds): FieldLineError | undefined {
  let index = start;
  while (index < end && TOKEN[buffer[index] as number] === 1) index++;
  if (index === start || index === end || buffer[index] !== COLON) return "name";
  bounds.nameEnd = index;
  index++;
  while (index < end && (buffer[index] === SP || buffer[index] === HTAB)) index++;
  bounds.valueStart = index;
  let valueEnd = index;
  for (; index < end; index++) {
    const byte = buffer[index] as number;
    if (FIELD_VALUE[byte] !== 1) return "value";
    if (byte !== SP && byte !== HTAB) valueEnd = index + 1;
  }
  bounds.valueEnd = valueEnd;
  return undefined;
}

/**
 * True when `buffer[start, start + lower.length)` equals `lower` ignoring ASCII case.
 * `lower` must be lowercase letters and "-" only (field names the parser acts on).
 *
 * @example
 * equalsLowercase(Buffer.from("Content-Length"), 0, "content-length"); // true
 */
export function equalsLowercase(buffer: Buffer, start: number, lower: string): boolean {
  for (let offset = 0; offset < lower.length; offset++) {
    if (((buffer[start + offset] as number) | 0x20) !== lower.charCodeAt(offset)) return false;
  }
  return true;
}
