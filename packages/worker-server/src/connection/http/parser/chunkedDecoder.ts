import { reject, type Rejection } from "../../rejection.js";
import { CR, HEX, HTAB, LF, QDTEXT, SP, TOKEN } from "./chars.js";
import { parseTrailerLine } from "./trailerFields.js";
import type { ParserLimits } from "./types.js";

/** Thrown by `ChunkedDecoder.decode` on bad chunked framing; answer with `rejection` and close. */
export class ChunkedBodyError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`invalid chunked body: ${rejection.message} (the connection cannot be reused; answer ${rejection.code} and close it)`);
    this.name = "ChunkedBodyError";
  }
}

/** What one `decode` call found. */
export interface ChunkedDecodeResult {
  /** Body bytes, as views into the input. */
  data: Buffer[];
  /** Input bytes used; when `done`, the rest belongs to the next request. */
  consumed: number;
  /** The last chunk and the trailer section have been read. */
  done: boolean;
}

// States of the chunk grammar (RFC 9112 7.1): chunk-size [ chunk-ext ] CRLF chunk-data CRLF ... last-chunk trailer-section CRLF
const SIZE_START = 0;
const SIZE = 1;
const SIZE_BWS = 2; // whitespace after the size: only before ";"
const EXT_BEFORE_NAME = 3;
const EXT_NAME = 4;
const EXT_AFTER_NAME = 5; // whitespace after a name: "=" or ";" next
const EXT_BEFORE_VALUE = 6;
const EXT_TOKEN = 7;
const EXT_QUOTED = 8;
const EXT_QUOTED_PAIR = 9;
const EXT_AFTER_QUOTE = 10;
const EXT_AFTER_VALUE = 11; // whitespace after a value: ";" next
const SIZE_LF = 12;
const DATA = 13;
const DATA_CR = 14;
const DATA_LF = 15;
const TRAILER_START = 16;
const TRAILER_LINE = 17;
const END_LF = 18;
const DONE = 19;
const FAILED = 20;

const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest chunk-size line (size and extensions), as Node's own parser caps extensions at 16 KiB. */
const MAX_SIZE_LINE = 16 * 1024;
const MAX_SIZE_DIGITS = 16;
const DEFAULT_LIMITS: Pick<ParserLimits, "fields" | "fieldSize"> = { fields: 100, fieldSize: 8190 };

/**
 * Decodes one chunked request body (RFC 9112 7.1) incrementally, from any split of its bytes
 * (one byte at a time works). Strict: hex sizes without sign or overflow, chunk extensions
 * exactly as RFC 9112 7.1.1 allows (BWS around ";" and "=", token or quoted-string values),
 * CRLF after each chunk's data, trailer fields checked like header fields and refused when
 * RFC 9110 6.5.1 forbids them. Trailer fields are kept in `trailers`.
 *
 * @example
 * const decoder = new ChunkedDecoder(limits);
 * const { data, consumed, done } = decoder.decode(Buffer.from("5\r\nhello\r\n0\r\n\r\n"));
 * // data: [<hello>], consumed: 15, done: true
 */
export class ChunkedDecoder {
  /** Trailer fields as flat [name, value, ...] pairs, complete once `decode` reported done. */
  readonly trailers: string[] = [];
  private state = SIZE_START;
  private size = 0;
  private digits = 0;
  private lineBytes = 0;
  private remaining = 0;
  private trailerParts: Buffer[] = [];
  private trailerLength = 0;
  private failure: Rejection | undefined;

  constructor(private readonly limits: Pick<ParserLimits, "fields" | "fieldSize"> = DEFAULT_LIMITS) {}

  /** Decodes what it can of `input`; throws ChunkedBodyError on bad framing (and on every later call). */
  decode(input: Buffer): ChunkedDecodeResult {
    if (this.failure !== undefined) throw new ChunkedBodyError(this.failure);
    const data: Buffer[] = [];
    const length = input.length;
    let index = 0;
    while (index < length) {
      const state = this.state;
      if (state === DATA) {
        const take = Math.min(this.remaining, length - index);
        data.push(input.subarray(index, index + take));
        index += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = DATA_CR;
        continue;
      }
      if (state === TRAILER_LINE) {
        index = this.readTrailerLine(input, index);
        continue;
      }
      if (state === DONE) return { data, consumed: index, done: true };
      const byte = input[index] as number;
      index++;
      if (state <= SIZE_LF && ++this.lineBytes > MAX_SIZE_LINE) this.fail(400, `chunk size line longer than ${MAX_SIZE_LINE} bytes`);
      this.step(state, byte);
    }
    return { data, consumed: index, done: this.state === DONE };
  }

  /** One byte of everything but chunk data and trailer lines. */
  private step(state: number, byte: number): void {
    switch (state) {
      case SIZE_START:
      case SIZE: {
        const digit = HEX[byte] as number;
        if (digit >= 0) {
          if (++this.digits > MAX_SIZE_DIGITS) return this.fail(400, "chunk size has too many digits");
          this.size = this.size * 16 + digit;
          if (this.size > Number.MAX_SAFE_INTEGER) return this.fail(400, "chunk size is too large");
          this.state = SIZE;
          return;
        }
        if (state === SIZE_START) return this.fail(400, "chunk size expected (hex digits)");
        if (byte === CR) this.state = SIZE_LF;
        else if (byte === SEMICOLON) this.state = EXT_BEFORE_NAME;
        else if (byte === SP || byte === HTAB) this.state = SIZE_BWS;
        else this.fail(400, "invalid character in chunk size");
        return;
      }
      case SIZE_BWS:
      case EXT_AFTER_VALUE:
        if (byte === SEMICOLON) this.state = EXT_BEFORE_NAME;
        else if (byte !== SP && byte !== HTAB) this.fail(400, "whitespace in a chunk size line is allowed only before \";\"");
        return;
      case EXT_BEFORE_NAME:
        if (TOKEN[byte] === 1) this.state = EXT_NAME;
        else if (byte !== SP && byte !== HTAB) this.fail(400, "chunk extension name expected after \";\"");
        return;
      case EXT_NAME:
      case EXT_TOKEN:
        if (TOKEN[byte] === 1) return;
        if (byte === CR) this.state = SIZE_LF;
        else if (byte === SEMICOLON) this.state = EXT_BEFORE_NAME;
        else if (byte === EQUALS && state === EXT_NAME) this.state = EXT_BEFORE_VALUE;
        else if (byte === SP || byte === HTAB) this.state = state === EXT_NAME ? EXT_AFTER_NAME : EXT_AFTER_VALUE;
        else this.fail(400, "invalid character in a chunk extension");
        return;
      case EXT_AFTER_NAME:
        if (byte === EQUALS) this.state = EXT_BEFORE_VALUE;
        else if (byte === SEMICOLON) this.state = EXT_BEFORE_NAME;
        else if (byte !== SP && byte !== HTAB) this.fail(400, "\"=\" or \";\" expected after a chunk extension name");
        return;
      case EXT_BEFORE_VALUE:
        if (TOKEN[byte] === 1) this.state = EXT_TOKEN;
        else if (byte === DQUOTE) this.state = EXT_QUOTED;
        else if (byte !== SP && byte !== HTAB) this.fail(400, "chunk extension value expected after \"=\"");
        return;
      case EXT_QUOTED:
        if (byte === DQUOTE) this.state = EXT_AFTER_QUOTE;
        else if (byte === BACKSLASH) this.state = EXT_QUOTED_PAIR;
        else if (QDTEXT[byte] !== 1) this.fail(400, "invalid character in a quoted chunk extension value");
        return;
      case EXT_QUOTED_PAIR:
        // RFC 9110 5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (byte === HTAB || (byte >= 0x20 && byte !== 0x7f)) this.state = EXT_QUOTED;
        else this.fail(400, "invalid escaped character in a quoted chunk extension value");
        return;
      case EXT_AFTER_QUOTE:
        if (byte === CR) this.state = SIZE_LF;
        else if (byte === SEMICOLON) this.state = EXT_BEFORE_NAME;
        else if (byte === SP || byte === HTAB) this.state = EXT_AFTER_VALUE;
        else this.fail(400, "\";\" or CRLF expected after a quoted chunk extension value");
        return;
      case SIZE_LF:
        if (byte !== LF) return this.fail(400, "bare CR after a chunk size (CRLF expected)");
        this.lineBytes = 0;
        if (this.size === 0) {
          this.state = TRAILER_START;
        } else {
          this.remaining = this.size;
          this.state = DATA;
        }
        return;
      case DATA_CR:
        if (byte !== CR) return this.fail(400, "chunk data longer than its size (CRLF expected after it)");
        this.state = DATA_LF;
        return;
      case DATA_LF:
        if (byte !== LF) return this.fail(400, "bare CR after chunk data (CRLF expected)");
        this.size = 0;
        this.digits = 0;
        this.state = SIZE_START;
        return;
      case TRAILER_START:
        if (byte === CR) {
          this.state = END_LF;
          return;
        }
        if (byte === LF) return this.fail(400, "bare LF in the chunked trailer section (CRLF expected)");
        if (this.trailers.length / 2 >= this.limits.fields) return this.fail(431, `too many trailer fields (more than ${this.limits.fields})`);
        this.trailerParts.push(Buffer.of(byte));
        this.trailerLength = 1;
        this.state = TRAILER_LINE;
        return;
      case END_LF:
        if (byte !== LF) return this.fail(400, "bare CR at the end of a chunked body (CRLF expected)");
        this.state = DONE;
        return;
    }
  }

  /** Gathers a trailer line up to its LF (at most the field-size limit), then parses it. */
  private readTrailerLine(input: Buffer, index: number): number {
    const feed = input.indexOf(LF, index);
    const end = feed === -1 ? input.length : feed + 1;
    this.trailerParts.push(input.subarray(index, end));
    this.trailerLength += end - index;
    // Gunicorn counts a field line with its CRLF.
    const smallest = feed === -1 ? this.trailerLength + (input[end - 1] === CR ? 1 : 2) : this.trailerLength;
    if (smallest > this.limits.fieldSize) {
      this.fail(431, `trailer field line is too large (more than ${this.limits.fieldSize})`);
      return end;
    }
    if (feed === -1) return end;
    const line = this.trailerParts.length === 1 ? (this.trailerParts[0] as Buffer) : Buffer.concat(this.trailerParts, this.trailerLength);
    this.trailerParts = [];
    this.trailerLength = 0;
    const rejection = parseTrailerLine(line, this.trailers);
    if (rejection !== undefined) {
      this.failure = rejection;
      this.state = FAILED;
      throw new ChunkedBodyError(rejection);
    }
    this.state = TRAILER_START;
    return end;
  }

  private fail(code: number, message: string): never {
    this.failure = reject(code, message);
    this.state = FAILED;
    throw new ChunkedBodyError(this.failure);
  }
}
