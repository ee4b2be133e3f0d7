import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TOKEN } from "./chars.js";

/**
 * Where the parts of one field line lie in a buffer (RFC 9112 5: `field-name ":" OWS field-value OWS`).
 * One is reused for every line of a head, so scanning a field allocates nothing.
 */
export interface FieldLineBounds {
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** `scanFieldLine` results other than the index of the line's CR. */
export const FIELD_INCOMPLETE = -1;
export const FIELD_BAD_NAME = -2;
export const FIELD_BAD_VALUE = -3;
export const FIELD_BARE_CR = -4;
export const FIELD_BARE_LF = -5;
export const FIELD_TOO_LARGE = -6;

/**
 * Scans the field line starting at `start` and fills `bounds`; returns the index of its CR
 * (the LF follows it) or one of the FIELD_* codes. The name must be a non-empty token followed
 * at once by ":" (RFC 9112 5.1: no whitespace before the colon); the value may hold
 * field-vchar, SP and HTAB only (RFC 9110 5.5): NUL, a bare CR, a bare LF or any other control
 * byte is refused. Leading and trailing OWS are left out of the value. `maxCr` is the last
 * index the CR may have for the line to fit its size limit; past it: FIELD_TOO_LARGE. The
 * first violation in byte order wins, so the answer does not depend on how the bytes arrived.
 *
 * @example
 * const bounds = { nameEnd: 0, valueStart: 0, valueEnd: 0 };
 * scanFieldLine(Buffer.from("Host: a\r\n"), 0, Infinity, bounds); // 7; bounds = { nameEnd: 4, valueStart: 6, valueEnd: 7 }
 */
export function scanFieldLine(buffer: Buffer, start: number, maxCr: number, bounds: FieldLineBounds): number {
  const length = buffer.length;
  // Past `maxCr` the line cannot fit whatever follows: scanning stops there.
  const capped = maxCr < length;
  const stop = capped ? maxCr + 1 : length;
  let index = start;
  while (index < stop && TOKEN[buffer[index] as number] === 1) index++;
  if (index === stop) return capped ? FIELD_TOO_LARGE : FIELD_INCOMPLETE;
  if (index === start || buffer[index] !== COLON) return FIELD_BAD_NAME;
  bounds.nameEnd = index;
  index++;
  while (index < stop && (buffer[index] === SP || buffer[index] === HTAB)) index++;
  bounds.valueStart = index;
  while (index < stop && FIELD_VALUE[buffer[index] as number] === 1) index++;
  // Trailing OWS is not part of the value (RFC 9112 5.1); the value starts with a non-OWS byte or is empty.
  let valueEnd = index;
  while (valueEnd > bounds.valueStart && (buffer[valueEnd - 1] === SP || buffer[valueEnd - 1] === HTAB)) valueEnd--;
  bounds.valueEnd = valueEnd;
  if (index === stop) return capped ? FIELD_TOO_LARGE : FIELD_INCOMPLETE;
  const byte = buffer[index];
  if (byte === CR) {
    if (index + 1 === length) return FIELD_INCOMPLETE;
    return buffer[index + 1] === LF ? index : FIELD_BARE_CR;
  }
  return byte === LF ? FIELD_BARE_LF : FIELD_BAD_VALUE;
}

/**
 * True when `buffer[start, start + lower.length)` equals `lower` ignoring ASCII case.
 * `lower` must be lowercase letters and "-" only, and the bytes a checked token.
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
