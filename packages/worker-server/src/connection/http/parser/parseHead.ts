import { reject, type Rejection } from "../../../http/rejection.js";
import { CR, HTAB, LF, SP } from "./chars.js";
import { checkFieldLine, equalsLowercase, type FieldLineBounds } from "./fieldLine.js";
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
  if (lineEnd < start || buffer[lineEnd] !== CR) return refuse(400, "bare LF in the request line (CRLF expected)");
  if (lineEnd - start > limits.requestLine) {
    return refuse(414, `request line is too large (${lineEnd - start} > ${limits.requestLine})`);
  }
  const line = parseRequestLine(buffer, start, lineEnd);
  if ("code" in line) return { kind: "reject", rejection: line };

  const rawHeaders: string[] = [];
  const fields = emptyFramingFields();
  const bounds: FieldLineBounds = { nameEnd: 0, valueStart: 0, valueEnd: 0 };
  let count = 0;
  let position = lineFeed + 1;
  for (;;) {
    if (position >= length) return partialFields(length, count, limits);
    const first = buffer[position];
    if (first === CR) {
      if (position + 1 === length) return partialFields(length, count, limits);
      if (buffer[position + 1] !== LF) return refuse(400, "bare CR in the header section (CRLF expected)");
      position += 2;
      break;
    }
    if (first === LF) return refuse(400, "bare LF in the header section (CRLF expected)");
    // RFC 9112 5.2: obs-fold is refused; so is whitespace before the first field (RFC 9112 2.2).
    if (first === SP || first === HTAB) return refuse(400, "obsolete line folding (or whitespace before a field name) is not accepted");
    const fieldFeed = buffer.indexOf(LF, position);
    count++;
    if (count > limits.fields) return refuse(431, `too many header fields (more than ${limits.fields})`);
    if (fieldFeed === -1) return partialField(buffer, position, count, limits);
    const fieldEnd = fieldFeed - 1;
    if (buffer[fieldEnd] !== CR) return refuse(400, "bare LF in the header section (CRLF expected)");
    if (fieldEnd - position + 2 > limits.fieldSize) {
      return refuse(431, `header field line is too large (${fieldEnd - position + 2} > ${limits.fieldSize})`);
    }
    const error = checkFieldLine(buffer, position, fieldEnd, bounds);
    if (error !== undefined) {
      return refuse(400, error === "name" ? "invalid header field name (a token followed at once by \":\" expected)" : "invalid character in a header field value");
    }
    const name = buffer.toString("latin1", position, bounds.nameEnd);
    const value = bounds.valueStart === bounds.valueEnd ? "" : buffer.toString("latin1", bounds.valueStart, bounds.valueEnd);
    rawHeaders.push(name, value);
    noteField(buffer, position, bounds.nameEnd - position, value, fields);
    position = fieldFeed + 1;
  }

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

/** Records the fields that decide framing; names are matched by length first, so most fields cost one switch. */
function noteField(buffer: Buffer, start: number, nameLength: number, value: string, fields: FramingFields): void {
  switch (nameLength) {
    case 4:
      if (equalsLowercase(buffer, start, "host")) {
        fields.hosts++;
        fields.host = value;
      }
      return;
    case 6:
      if (equalsLowercase(buffer, start, "expect")) fields.expect = joined(fields.expect, value);
      return;
    case 7:
      if (equalsLowercase(buffer, start, "upgrade")) fields.upgrade = joined(fields.upgrade, value);
      return;
    case 10:
      if (equalsLowercase(buffer, start, "connection")) fields.connection = joined(fields.connection, value);
      return;
    case 12:
      if (equalsLowercase(buffer, start, "content-type")) fields.contentTypes++;
      return;
    case 14:
      if (equalsLowercase(buffer, start, "content-length")) {
        fields.contentLengths++;
        fields.contentLength = value;
      }
      return;
    case 17:
      if (equalsLowercase(buffer, start, "transfer-encoding")) fields.transferEncoding = joined(fields.transferEncoding, value);
      return;
  }
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

/** A field line has not ended: 431 once it cannot fit the field size or the head buffer. */
function partialField(buffer: Buffer, position: number, count: number, limits: ParserLimits): HeadParse {
  const length = buffer.length;
  // The smallest this line can end up, CRLF included.
  const smallest = length - position + (buffer[length - 1] === CR ? 1 : 2);
  if (smallest > limits.fieldSize) return refuse(431, `header field line is too large (more than ${limits.fieldSize})`);
  return partialFields(length, count, limits);
}

/** The most bytes an unfinished head may hold: what the three limits allow, unless set lower. */
function headBufferOf(limits: ParserLimits): number {
  if (limits.headBuffer !== undefined) return limits.headBuffer;
  const line = limits.requestLine === Infinity ? UNLIMITED_LINE_BUFFER : limits.requestLine;
  const field = limits.fieldSize === Infinity ? DEFAULT_FIELD_SIZE : limits.fieldSize;
  return line + 2 + limits.fields * (field + 2) + 4;
}
