/** What {@link requestBytes} serialises. */
export interface RawRequest {
  method?: string;
  /** The request target exactly as it goes on the wire (for example `/caf%C3%A9?x=1`). */
  target: string;
  /** Defaults to `HTTP/1.1`. */
  version?: string;
  /** Header fields in order; a `Host` field is added for HTTP/1.1 when missing. */
  headers?: Array<[name: string, value: string]>;
  /** Body bytes sent right after the head (no framing is added: set Content-Length or chunk it yourself). */
  body?: Uint8Array | string;
}

/**
 * Serialises a request to the exact bytes sent on a raw socket. Strings are
 * encoded as latin-1, so every byte of the target and the headers is under the
 * caller's control.
 *
 * @example
 * socket.write(requestBytes({ method: "GET", target: "/", headers: [["Connection", "close"]] }));
 */
export function requestBytes(request: RawRequest): Buffer {
  const version = request.version ?? "HTTP/1.1";
  const headers = [...(request.headers ?? [])];
  if (version === "HTTP/1.1" && !headers.some(([name]) => name.toLowerCase() === "host")) {
    headers.unshift(["Host", "127.0.0.1"]);
  }
  const head = `${request.method ?? "GET"} ${request.target} ${version}\r\n${headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  const body = typeof request.body === "string" ? Buffer.from(request.body, "latin1") : request.body;
  return body ? Buffer.concat([Buffer.from(head, "latin1"), body]) : Buffer.from(head, "latin1");
}

/**
 * Frames one piece of a chunked request body (`size CRLF data CRLF`); empty
 * input gives an empty buffer, since a zero-size chunk would end the body.
 *
 * @example
 * socket.write(chunkFrame("hello")); // "5\r\nhello\r\n"
 */
export function chunkFrame(part: Uint8Array | string): Buffer {
  const bytes = typeof part === "string" ? Buffer.from(part, "latin1") : Buffer.from(part);
  if (bytes.length === 0) return Buffer.alloc(0);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`, "latin1"), bytes, Buffer.from("\r\n", "latin1")]);
}

/**
 * Frames bytes as chunked transfer coding (RFC 9112 section 7.1), one chunk per
 * part, then the last chunk and an optional trailer section.
 *
 * @example
 * chunkedBody(["hello ", "world"]); // "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"
 */
export function chunkedBody(parts: Array<Uint8Array | string>, trailers: Array<[string, string]> = []): Buffer {
  const pieces = parts.map(chunkFrame);
  const trailerText = trailers.map(([name, value]) => `${name}: ${value}\r\n`).join("");
  pieces.push(Buffer.from(`0\r\n${trailerText}\r\n`, "latin1"));
  return Buffer.concat(pieces);
}
