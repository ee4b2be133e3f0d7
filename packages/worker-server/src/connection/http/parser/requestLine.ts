import { reject, type Rejection } from "../../rejection.js";
import { SP, TARGET, TOKEN } from "./chars.js";

/** The three parts of a request line (RFC 9112 3). */
export interface RequestLine {
  method: string;
  target: string;
  httpVersion: string;
  versionMinor: 0 | 1;
}

/**
 * Parses the request line `buffer[start, end)` (CRLF excluded): `method SP request-target SP
 * HTTP-version`, one SP each (RFC 9112 3: no other whitespace). The method is any token; the
 * target one word of visible characters (its form is checked with the other semantic rules,
 * by tsgi's `checkRequestHead`); the version is `HTTP/` DIGIT "." DIGIT (RFC 9112 2.3),
 * 2.0 and above get 505, anything else 400.
 *
 * @example
 * parseRequestLine(Buffer.from("GET / HTTP/1.1"), 0, 14); // { method: "GET", target: "/", httpVersion: "1.1", versionMinor: 1 }
 * // `text`, when given, is `buffer` decoded as latin1 from `start`: the target is sliced from it.
 */
export function parseRequestLine(buffer: Buffer, start: number, end: number, text?: string): RequestLine | Rejection {
  let index = start;
  while (index < end && TOKEN[buffer[index] as number] === 1) index++;
  if (index === start || index === end || buffer[index] !== SP) return reject(400, "invalid method or request line");
  const methodEnd = index;
  const targetStart = ++index;
  while (index < end && TARGET[buffer[index] as number] === 1) index++;
  if (index === targetStart || index === end || buffer[index] !== SP) {
    return reject(400, "invalid request target (it must be one word of visible characters)");
  }
  const targetEnd = index;
  const version = checkVersion(buffer, index + 1, end);
  if (typeof version !== "number") return version;
  const method = methodName(buffer, start, methodEnd);
  const target = text === undefined ? buffer.toString("latin1", targetStart, targetEnd) : text.slice(targetStart - start, targetEnd - start);
  const minor = version === 0 ? 0 : 1;
  return { method, target, httpVersion: version === 0 ? "1.0" : version === 1 ? "1.1" : `1.${version}`, versionMinor: minor };
}

/** The minor version of an HTTP/1.x line, or the rejection for any other version. */
function checkVersion(buffer: Buffer, start: number, end: number): number | Rejection {
  if (
    end - start !== 8 ||
    buffer[start] !== 0x48 || buffer[start + 1] !== 0x54 || buffer[start + 2] !== 0x54 ||
    buffer[start + 3] !== 0x50 || buffer[start + 4] !== 0x2f || buffer[start + 6] !== 0x2e
  ) {
    return reject(400, `invalid HTTP version "${buffer.toString("latin1", start, Math.min(end, start + 32))}"`);
  }
  const major = (buffer[start + 5] as number) - 0x30;
  const minor = (buffer[start + 7] as number) - 0x30;
  if (major < 0 || major > 9 || minor < 0 || minor > 9 || major === 0) {
    return reject(400, `invalid HTTP version "${buffer.toString("latin1", start, end)}"`);
  }
  // RFC 9110 6.2/15.6.6: a version we do not speak over HTTP/1 framing.
  if (major > 1) return reject(505, `HTTP/${major}.${minor} is not supported here; speak HTTP/1.1`);
  return minor;
}

/** The method as a string; the common ones are constants, so no string is built for them. */
function methodName(buffer: Buffer, start: number, end: number): string {
  const length = end - start;
  const first = buffer[start];
  if (length === 3 && first === 0x47 && buffer[start + 1] === 0x45 && buffer[start + 2] === 0x54) return "GET";
  if (length === 4 && first === 0x50 && buffer[start + 1] === 0x4f && buffer[start + 2] === 0x53 && buffer[start + 3] === 0x54) {
    return "POST";
  }
  if (length === 4 && first === 0x48 && buffer[start + 1] === 0x45 && buffer[start + 2] === 0x41 && buffer[start + 3] === 0x44) {
    return "HEAD";
  }
  return buffer.toString("latin1", start, end);
}

/**
 * For a request line that has not ended yet: a rejection when its first bytes already cannot
 * be a method (binary junk, a TLS handshake), so such a client is not waited on.
 */
export function checkPartialRequestLine(buffer: Buffer, start: number, end: number): Rejection | undefined {
  for (let index = start; index < end; index++) {
    const byte = buffer[index] as number;
    if (byte === SP) return index === start ? reject(400, "invalid method or request line") : undefined;
    if (TOKEN[byte] !== 1) {
      if (byte === 0x0d && index === end - 1) return undefined; // a CR whose LF is on its way
      return reject(400, "invalid method or request line");
    }
  }
  return undefined;
}
