import { checkRequestHead, NO_HEAD_LIMITS } from "tsgi";
import { reject, type Rejection } from "../../rejection.js";
import { CR, HTAB, LF, SP } from "./chars.js";
import { equalsLowercase, FIELD_INCOMPLETE, scanFieldLine, type FieldLineBounds } from "./fieldLine.js";
import { decideFraming, emptyFramingFields, type FramingFields } from "./framing.js";
import { checkPartialRequestLine, parseRequestLine } from "./requestLine.js";
import type { HeadParse, ParsedHead, ParserLimits } from "./types.js";

const INCOMPLETE: HeadParse = Object.freeze({ kind: "incomplete" });
/** Gunicorn's stand-ins for "unlimited" when sizing the head buffer. */
const UNLIMITED_LINE_BUFFER = 1024 * 1024;
const DEFAULT_FIELD_SIZE = 8190;

/**
 * Parses the request head at the start of `buffer` (RFC 9112 2-6), strictly: a head that is
 * ambiguous about where it ends, or that breaks a limit, is refused, never guessed at.
 * Line endings are CRLF only (RFC 9112 2.2 allows refusing a bare LF; a bare CR is invalid);
 * empty lines before the request line are skipped. Returns `incomplete` only while the bytes
 * so far could still become a head within the limits: as soon as they cannot, 414 (request
 * line) or 431 (fields), so a slow client never makes the caller buffer more than that.
 *
 * @example
 * const result = parseHead(Buffer.from("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), resolveLimits({}));
 * if (result.kind === "head") result.head.body; // { kind: "none" }
 */
export function parseHead(buffer: Buffer, limits: ParserLimits): HeadParse {
  const length = buffer.length;
  let start = 0;
  while (start + 1 < length && buffer[start] === CR && buffer[start + 1] === LF) start += 2;
  const lineFeed = buffer.indexOf(LF, start);
  if (lineFeed === -1) return partialRequestLine(buffer, start, limits);
  const lineEnd = lineFeed - 1;
  if (lineEnd - start > limits.requestLine) {
    // The method is judged before the length, as for a partial line: the first fault in byte order wins.
    const methodError = checkPartialRequestLine(buffer, start, start + limits.requestLine + 1);
    if (methodError !== undefined) return { kind: "reject", rejection: methodError };
    return refuse(414, `request line is too large (${lineEnd - start} > ${limits.requestLine})`);
  }
  if (lineEnd < start || buffer[lineEnd] !== CR) return refuse(400, "bare LF in the request line (CRLF expected)");
  const scanned = scanFields(buffer, lineFeed + 1, limits);
  if (typeof scanned !== "number") {
    // The request line came first on the wire, so its fault is the one to report.
    const line = parseRequestLine(buffer, start, lineEnd);
    return "code" in line ? { kind: "reject", rejection: line } : scanned;
  }
  const count = scanned;
  const position = scannedEnd;
  // The complete head is decoded once; target, names and values are slices of that string.
  const text = buffer.toString("latin1", start, position);
  const line = parseRequestLine(buffer, start, lineEnd, text);
  if ("code" in line) return { kind: "reject", rejection: line };
  const offsets = scratch;
  const rawHeaders: string[] = [];
  const fields = emptyFramingFields();
  for (let field = 0; field < count; field++) {
    const slot = field * 4;
    const nameStart = offsets[slot] as number;
    const nameEnd = offsets[slot + 1] as number;
    const valueStart = offsets[slot + 2] as number;
    const valueEnd = offsets[slot + 3] as number;
    const value = valueStart === valueEnd ? "" : text.slice(valueStart - start, valueEnd - start);
    rawHeaders.push(text.slice(nameStart - start, nameEnd - start), value);
    if (!noteField(buffer, nameStart, nameEnd - nameStart, valueEnd, value, fields)) {
      return refuse(400, `${rawHeaders[rawHeaders.length - 2]} ends in a tab, which other HTTP parsers (llhttp) refuse; send the value without it`);
    }
  }

  // The semantic rules (target forms, Host, Content-Length, Transfer-Encoding, singletons) are
  // tsgi's one set, shared with every other server; the wire-level limits were applied above.
  const semantic = checkRequestHead({ method: line.method, target: line.target, httpVersion: line.httpVersion, rawHeaders }, NO_HEAD_LIMITS);
  if (semantic !== undefined) return { kind: "reject", rejection: { code: semantic.status, reason: semantic.reason, message: semantic.message } };
  const framing = decideFraming(fields, line.versionMinor);
  if ("code" in framing) return { kind: "reject", rejection: framing };
  const head: ParsedHead = {
    method: line.method,
    target: line.target,
    httpVersion: line.httpVersion,
    rawHeaders,
    versionMinor: line.versionMinor,
    headBytes: position,
    body: framing.body,
    keepAlive: framing.keepAlive,
    expectContinue: framing.expectContinue,
    upgrade: framing.upgrade,
    host: fields.host,
  };
  return { kind: "head", head };
}

// parseHead runs to completion synchronously, so these are reused by every call rather than allocated per head.
/** Where the fields of the head being parsed lie: [nameStart, nameEnd, valueStart, valueEnd] each. */
let scratch: Int32Array = new Int32Array(4 * 128);
/** Where the head `scanFields` last completed ends. */
let scannedEnd = 0;
const fieldBounds: FieldLineBounds = { nameEnd: 0, valueStart: 0, valueEnd: 0 };

function grow(offsets: Int32Array): Int32Array {
  const larger = new Int32Array(offsets.length * 2);
  larger.set(offsets);
  return larger;
}
/** Messages and codes of the FIELD_* results of scanFieldLine, by their negated value. */
const FIELD_ERRORS = [
  "",
  "",
  "invalid header field name (a token followed at once by \":\" expected)",
  "invalid character in a header field value",
  "bare CR in the header section (CRLF expected)",
  "bare LF in the header section (CRLF expected)",
  "a header field line is too large",
];
const FIELD_ERRORS_CODE = [0, 0, 400, 400, 400, 400, 431];

/**
 * Checks every field line from `position` to the empty line and notes where each name and
 * value lies in `scratch`. Returns the field count (the head's end in `scannedEnd`), or the
 * incomplete or reject result.
 */
function scanFields(buffer: Buffer, position: number, limits: ParserLimits): number | HeadParse {
  const length = buffer.length;
  const bounds = fieldBounds;
  const fieldSize = limits.fieldSize;
  let offsets = scratch;
  let count = 0;
  for (;;) {
    if (position >= length) return partialFields(length, count, limits);
    const first = buffer[position];
    if (first === CR) {
      if (position + 1 === length) return partialFields(length, count, limits);
      if (buffer[position + 1] !== LF) return refuse(400, "bare CR in the header section (CRLF expected)");
      scannedEnd = position + 2;
      return count;
    }
    if (first === LF) return refuse(400, "bare LF in the header section (CRLF expected)");
    // RFC 9112 5.2: obs-fold is refused; so is whitespace before the first field (RFC 9112 2.2).
    if (first === SP || first === HTAB) return refuse(400, "obsolete line folding (or whitespace before a field name) is not accepted");
    if (++count > limits.fields) return refuse(431, `too many header fields (more than ${limits.fields})`);
    // Gunicorn counts a field line with its CRLF: its CR may sit at position + fieldSize - 2 at the latest.
    const crAt = scanFieldLine(buffer, position, position + fieldSize - 2, bounds);
    if (crAt < 0) {
      if (crAt === FIELD_INCOMPLETE) return partialFields(length, count, limits);
      return refuse(FIELD_ERRORS_CODE[-crAt] as number, FIELD_ERRORS[-crAt] as string);
    }
    const slot = (count - 1) * 4;
    if (slot + 4 > offsets.length) offsets = scratch = grow(offsets);
    offsets[slot] = position;
    offsets[slot + 1] = bounds.nameEnd;
    offsets[slot + 2] = bounds.valueStart;
    offsets[slot + 3] = bounds.valueEnd;
    position = crAt + 2;
  }
}

/**
 * Records the fields that decide framing; names are matched by length first, so most fields
 * cost one switch. Returns false for a Content-Length or Transfer-Encoding whose trailing OWS
 * holds a tab: RFC 9110 allows it, but llhttp refuses it, so a proxy built on it could frame the
 * request differently from us; refusing is the one reading nobody can get wrong.
 */
function noteField(buffer: Buffer, start: number, nameLength: number, valueEnd: number, value: string, fields: FramingFields): boolean {
  switch (nameLength) {
    case 4:
      if (equalsLowercase(buffer, start, "host")) fields.host = value;
      return true;
    case 6:
      if (equalsLowercase(buffer, start, "expect")) fields.expect = joined(fields.expect, value);
      return true;
    case 7:
      if (equalsLowercase(buffer, start, "upgrade")) fields.upgrade = joined(fields.upgrade, value);
      return true;
    case 10:
      if (equalsLowercase(buffer, start, "connection")) fields.connection = joined(fields.connection, value);
      return true;
    case 14:
      if (!equalsLowercase(buffer, start, "content-length")) return true;
      fields.contentLength = value;
      return !trailingTab(buffer, valueEnd);
    case 17:
      if (!equalsLowercase(buffer, start, "transfer-encoding")) return true;
      fields.transferEncoding = joined(fields.transferEncoding, value);
      return !trailingTab(buffer, valueEnd);
  }
  return true;
}

/** True when the OWS between a value's end and its line's CR holds a tab. */
function trailingTab(buffer: Buffer, valueEnd: number): boolean {
  for (let index = valueEnd; buffer[index] !== CR; index++) if (buffer[index] === HTAB) return true;
  return false;
}

/** RFC 9110 5.3: repeated list fields combine with ", ". */
function joined(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}

function refuse(code: number, message: string): HeadParse {
  return { kind: "reject", rejection: reject(code, message) };
}

/** The request line has not ended: 414 once it cannot fit any more, 400 once it cannot be one. */
function partialRequestLine(buffer: Buffer, start: number, limits: ParserLimits): HeadParse {
  const length = buffer.length;
  const bytes = length - start;
  // A line of exactly the limit may still have its CR here and its LF on the way.
  const fits = bytes <= limits.requestLine || (bytes === limits.requestLine + 1 && buffer[length - 1] === CR);
  if (!fits || length > headBufferOf(limits)) return refuse(414, `request line is too large (more than ${limits.requestLine})`);
  const rejection: Rejection | undefined = checkPartialRequestLine(buffer, start, length);
  return rejection === undefined ? INCOMPLETE : { kind: "reject", rejection };
}

/** The header section has not ended, between lines: 431 once the head outgrows its buffer. */
function partialFields(length: number, count: number, limits: ParserLimits): HeadParse {
  if (length > headBufferOf(limits)) return refuse(431, `request header fields are too large (${count} fields so far)`);
  return INCOMPLETE;
}

/** The most bytes an unfinished head may hold: what the three limits allow, unless set lower. */
export function headBufferOf(limits: ParserLimits): number {
  if (limits.headBuffer !== undefined) return limits.headBuffer;
  const line = limits.requestLine === Infinity ? UNLIMITED_LINE_BUFFER : limits.requestLine;
  const field = limits.fieldSize === Infinity ? DEFAULT_FIELD_SIZE : limits.fieldSize;
  return line + 2 + limits.fields * (field + 2) + 4;
}
