import type { RequestHead } from "tsgi";
import type { Rejection } from "../../rejection.js";

/**
 * The limits the parser enforces, with Gunicorn's meaning (Infinity = unlimited). The worker's
 * `resolveLimits()` result fits as is.
 */
export interface ParserLimits {
  /** Max request-line bytes, CRLF excluded (`--limit-request-line`); over it: 414. */
  requestLine: number;
  /** Max header (or trailer) fields (`--limit-request-fields`); over it: 431. */
  fields: number;
  /** Max bytes of one field line, CRLF included (`--limit-request-field-size`); over it: 431. */
  fieldSize: number;
  /**
   * Max bytes of a head that has not ended yet, leading empty lines and request line included.
   * Defaults to what the three limits above allow (Gunicorn's `max_buffer_headers` plus the line).
   */
  headBuffer?: number;
}

/** How the body after the head is framed (RFC 9112 6.3). */
export type BodyFraming = { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" };

/**
 * A complete, checked request head (contract C). The `RequestHead` part (method and target as
 * sent, httpVersion "1.1"/"1.0"/"1.2"..., rawHeaders as flat name/value pairs with values
 * without OWS) is what tsgi's `assembleEnviron` and `checkRequestHead` take.
 */
export interface ParsedHead extends RequestHead {
  rawHeaders: string[];
  versionMinor: 0 | 1;
  /** Bytes of the head, leading empty lines and the final CRLF CRLF included. */
  headBytes: number;
  body: BodyFraming;
  /** RFC 9112 9.3: HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive". */
  keepAlive: boolean;
  /** "Expect: 100-continue" on HTTP/1.1 (RFC 9110 10.1.1: ignored on HTTP/1.0). */
  expectContinue: boolean;
  /** The Upgrade field value when Connection lists "upgrade". */
  upgrade: string | undefined;
  /** The single Host value (undefined only on HTTP/1.0 without one). */
  host: string | undefined;
}

/** What `parseHead` found at the start of a buffer. */
export type HeadParse =
  | { kind: "head"; head: ParsedHead }
  | { kind: "incomplete" }
  | { kind: "reject"; rejection: Rejection };
