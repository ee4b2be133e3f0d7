/**
 * Byte classes of RFC 9110/9112 as 256-entry lookup tables: one array read per byte on the
 * hot path instead of a regex or a chain of comparisons.
 */

/** RFC 9110 5.6.2 `tchar`: what a method, a field name and a chunk-extension name are made of. */
export const TOKEN = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~") TOKEN[char.charCodeAt(0)] = 1;
for (let byte = 0x30; byte <= 0x39; byte++) TOKEN[byte] = 1;
for (let byte = 0x41; byte <= 0x5a; byte++) TOKEN[byte] = 1;
for (let byte = 0x61; byte <= 0x7a; byte++) TOKEN[byte] = 1;

/**
 * RFC 9110 5.5 field-value bytes: field-vchar (VCHAR / obs-text), SP and HTAB. Every other
 * control byte (NUL, bare CR, bare LF, DEL...) makes the field invalid.
 */
export const FIELD_VALUE = new Uint8Array(256);
FIELD_VALUE[0x09] = 1;
for (let byte = 0x20; byte <= 0x7e; byte++) FIELD_VALUE[byte] = 1;
for (let byte = 0x80; byte <= 0xff; byte++) FIELD_VALUE[byte] = 1;

/**
 * Request-target bytes: visible ASCII (VCHAR; which of them RFC 3986 puts where, and
 * percent-encoding, are the app's business). SP, CTLs, DEL and raw non-ASCII bytes are refused:
 * RFC 3986 §2 has no place for them (they must be percent-encoded), as tsgi's vector table says.
 */
export const TARGET = new Uint8Array(256);
for (let byte = 0x21; byte <= 0x7e; byte++) TARGET[byte] = 1;

/** RFC 9110 5.6.4 `qdtext` of a quoted-string (HTAB, SP, VCHAR except `"` and `\`, obs-text). */
export const QDTEXT = new Uint8Array(256);
QDTEXT[0x09] = 1;
for (let byte = 0x20; byte <= 0x7e; byte++) QDTEXT[byte] = 1;
QDTEXT[0x22] = 0;
QDTEXT[0x5c] = 0;
for (let byte = 0x80; byte <= 0xff; byte++) QDTEXT[byte] = 1;

/** Hex digit values (RFC 5234 HEXDIG, either case), -1 for anything else. */
export const HEX = new Int8Array(256).fill(-1);
for (let digit = 0; digit <= 9; digit++) HEX[0x30 + digit] = digit;
for (let digit = 0; digit < 6; digit++) {
  HEX[0x41 + digit] = 10 + digit;
  HEX[0x61 + digit] = 10 + digit;
}

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
