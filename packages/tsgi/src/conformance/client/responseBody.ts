import type { SocketByteReader } from "./byteReader.js";
import { HttpResponseFormatError } from "./errors.js";
import { headerValue, readFieldLines, type ResponseHead } from "./responseHead.js";

/** How the end of a response body is marked (RFC 9112 section 6.3). */
export type BodyFraming = "none" | "content-length" | "chunked" | "close";

/**
 * Picks the framing of a response body the way a client must (RFC 9112 section 6.3).
 *
 * @example
 * bodyFraming(head, "HEAD"); // "none"
 */
export function bodyFraming(head: ResponseHead, requestMethod: string): BodyFraming {
  const code = head.statusCode;
  if (requestMethod.toUpperCase() === "HEAD" || (code >= 100 && code < 200) || code === 204 || code === 304) {
    return "none";
  }
  const transferEncoding = headerValue(head.headers, "transfer-encoding");
  if (transferEncoding !== undefined) {
    const codings = transferEncoding.split(",").map((coding) => coding.trim().toLowerCase());
    return codings.at(-1) === "chunked" ? "chunked" : "close";
  }
  if (headerValue(head.headers, "content-length") !== undefined) return "content-length";
  return "close";
}

/**
 * Streams one response body, undoing its framing. `next()` returns decoded body
 * bytes as they arrive and `null` at the end; `complete` then says whether the
 * framing finished properly or the server closed the connection early.
 *
 * @example
 * const body = new ResponseBodyReader(reader, head, "GET");
 * for (let part = await body.next(); part; part = await body.next()) hash.update(part);
 */
export class ResponseBodyReader {
  readonly framing: BodyFraming;
  /** Trailer fields of a chunked body. */
  readonly trailers: Array<[name: string, value: string]> = [];
  #complete = false;
  #done = false;
  #remaining: number;
  #chunkRemaining = 0;
  readonly #reader: SocketByteReader;

  constructor(reader: SocketByteReader, head: ResponseHead, requestMethod: string) {
    this.#reader = reader;
    this.framing = bodyFraming(head, requestMethod);
    this.#remaining = this.framing === "content-length" ? parseContentLength(head) : 0;
    if (this.framing === "none" || (this.framing === "content-length" && this.#remaining === 0)) {
      this.#complete = true;
      this.#done = true;
    }
  }

  /** True when the body ended as its framing says (false when the connection closed early). */
  get complete(): boolean {
    return this.#complete;
  }

  /** The next piece of decoded body, or `null` once the body is over (check `complete`). */
  async next(): Promise<Buffer | null> {
    if (this.#done) return null;
    switch (this.framing) {
      case "content-length":
        return this.#nextWithLength();
      case "chunked":
        return this.#nextChunked();
      default:
        return this.#nextUntilClose();
    }
  }

  /** Reads the rest of the body into one buffer. */
  async readAll(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let part = await this.next(); part; part = await this.next()) parts.push(part);
    return Buffer.concat(parts);
  }

  async #nextWithLength(): Promise<Buffer | null> {
    const part = await this.#reader.readSome("response body bytes (Content-Length framing)", this.#remaining);
    if (part.length === 0) return this.#end(false);
    this.#remaining -= part.length;
    if (this.#remaining === 0) {
      this.#done = true;
      this.#complete = true;
    }
    return part;
  }

  async #nextChunked(): Promise<Buffer | null> {
    while (this.#chunkRemaining === 0) {
      const sizeLine = await this.#reader.readLine("a chunk-size line");
      if (sizeLine === undefined) return this.#end(false);
      const size = Number.parseInt(sizeLine.split(";")[0]?.trim() ?? "", 16);
      if (!Number.isSafeInteger(size) || size < 0) throw new HttpResponseFormatError("bad chunk-size line", sizeLine);
      if (size === 0) {
        this.trailers.push(...(await readFieldLines(this.#reader, "the trailer section of a chunked body")));
        return this.#end(true);
      }
      this.#chunkRemaining = size;
    }
    const part = await this.#reader.readSome("chunk data", this.#chunkRemaining);
    if (part.length === 0) return this.#end(false);
    this.#chunkRemaining -= part.length;
    if (this.#chunkRemaining === 0) {
      const terminator = await this.#reader.readLine("the CRLF after chunk data");
      if (terminator === undefined) return this.#end(false, part);
      if (terminator !== "") throw new HttpResponseFormatError("chunk data longer than its chunk-size", terminator);
    }
    return part;
  }

  async #nextUntilClose(): Promise<Buffer | null> {
    const part = await this.#reader.readSome("response body bytes (close-delimited)");
    if (part.length === 0) return this.#end(true);
    return part;
  }

  #end(complete: boolean, last: Buffer | null = null): Buffer | null {
    this.#done = true;
    this.#complete = complete;
    return last;
  }
}

function parseContentLength(head: ResponseHead): number {
  const raw = headerValue(head.headers, "content-length") ?? "";
  // Repeated identical values ("5, 5") are allowed (RFC 9110 section 8.6).
  const values = new Set(raw.split(",").map((value) => value.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d+$/.test(only)) {
    throw new HttpResponseFormatError("invalid Content-Length", raw);
  }
  return Number(only);
}
