import type { SocketByteReader } from "./byteReader.js";
import { ConnectionClosedError, HttpResponseFormatError } from "./errors.js";

/** A response's status line and header fields exactly as they came over the wire (latin-1 decoded). */
export interface ResponseHead {
  /** For example `HTTP/1.1`. */
  httpVersion: string;
  statusCode: number;
  /** The reason phrase, verbatim (may be empty). */
  reason: string;
  /** The whole status line, verbatim. */
  statusLine: string;
  /** Header fields in wire order, names with their original case. */
  headers: Array<[name: string, value: string]>;
}

const STATUS_LINE = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/;

/**
 * Reads and parses one response head (RFC 9112 section 4 and 5).
 *
 * @example
 * const head = await readResponseHead(reader);
 * head.statusCode; // 200
 */
export async function readResponseHead(reader: SocketByteReader): Promise<ResponseHead> {
  const statusLine = await reader.readLine("a response status line");
  if (statusLine === undefined) throw new ConnectionClosedError("a response status line");
  const match = STATUS_LINE.exec(statusLine);
  if (!match) throw new HttpResponseFormatError("status line is not `HTTP/x.y NNN reason`", statusLine);
  const headers = await readFieldLines(reader, "response header fields");
  return {
    httpVersion: match[1] ?? "",
    statusCode: Number(match[2]),
    reason: match[3] ?? "",
    statusLine,
    headers,
  };
}

/**
 * Reads header (or trailer) field lines up to the empty line that ends them.
 *
 * @example
 * const trailers = await readFieldLines(reader, "the trailer section");
 */
export async function readFieldLines(
  reader: SocketByteReader,
  waitingFor: string,
): Promise<Array<[name: string, value: string]>> {
  const fields: Array<[string, string]> = [];
  for (;;) {
    const line = await reader.readLine(waitingFor);
    if (line === undefined) throw new ConnectionClosedError(waitingFor);
    if (line === "") return fields;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpResponseFormatError("header field line without a name and colon", line);
    // Optional whitespace around the value is not part of it (RFC 9110 section 5.5).
    fields.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
}

/**
 * Every value of a header field, matched case-insensitively, in wire order.
 *
 * @example
 * headerValues(head.headers, "set-cookie"); // ["a=1", "b=2"]
 */
export function headerValues(headers: ReadonlyArray<readonly [string, string]>, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([field]) => field.toLowerCase() === wanted).map(([, value]) => value);
}

/**
 * One header field's value (repeats joined with `, `), or undefined when absent.
 *
 * @example
 * headerValue(head.headers, "content-length"); // "13"
 */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(", ");
}
