import { reject, type Rejection } from "../../rejection.js";
import { CR, HTAB, SP } from "./chars.js";
import { FIELD_BAD_NAME, scanFieldLine, type FieldLineBounds } from "./fieldLine.js";

/**
 * Fields a trailer may not carry, as Gunicorn 26 refuses them (RFC 9110 6.5.1): framing
 * (Content-Length, Transfer-Encoding, Trailer, TE), routing (Host) and authentication
 * (Authorization). Other trailers are parsed and kept apart from the header fields
 * (RFC 9110 6.5.2: never merged into them), so they cannot steer the request.
 */
const FORBIDDEN_TRAILERS = new Set(["host", "content-length", "transfer-encoding", "trailer", "te", "authorization"]);

/**
 * Parses one complete trailer field line `line` (CRLF included) into `trailers` (flat
 * name/value pairs), or returns why it is refused.
 *
 * @example
 * parseTrailerLine(Buffer.from("X-Checksum: abc\r\n"), trailers); // undefined; trailers = ["X-Checksum", "abc"]
 */
export function parseTrailerLine(line: Buffer, trailers: string[]): Rejection | undefined {
  const end = line.length - 1;
  if (end < 1 || line[end - 1] !== CR) return reject(400, "bare LF in the chunked trailer section (CRLF expected)");
  if (line[0] === SP || line[0] === HTAB) return reject(400, "obsolete line folding is not accepted in trailers");
  const bounds: FieldLineBounds = { nameEnd: 0, valueStart: 0, valueEnd: 0 };
  const crAt = scanFieldLine(line, 0, Infinity, bounds);
  if (crAt !== end - 1) return reject(400, crAt === FIELD_BAD_NAME ? "invalid trailer field name" : "invalid character in a trailer field value");
  const name = line.toString("latin1", 0, bounds.nameEnd);
  if (FORBIDDEN_TRAILERS.has(name.toLowerCase())) return reject(400, `the ${name} field is not allowed in a trailer (RFC 9110 6.5.1)`);
  trailers.push(name, line.toString("latin1", bounds.valueStart, bounds.valueEnd));
  return undefined;
}
