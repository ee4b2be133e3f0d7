import type { ResponseHeaders, ResponseSink } from "tsgi";
import { dateHeaderLine } from "./dateHeader.js";
import { statusCode, statusLine } from "./statusLines.js";

/** What a response writer needs from its connection. */
export interface ResponseTransport {
  /** Writes (or, while a batch of pipelined requests is being served, queues) bytes; false once the socket's buffer is past its high-water mark. */
  send(data: Buffer): boolean;
  /** Resolves when the socket can take more bytes, or has closed. */
  whenWritable(): Promise<void>;
  /** Whether the connection may stay open after this response (asked once, when its head is built). */
  mayKeepAlive(): boolean;
  /** `Connection: keep-alive` and `Keep-Alive: timeout=N` lines, encoded once per server. */
  readonly keepAliveLines: string;
  /** Every byte of the response was handed to `send`. */
  responseEnded(keepAlive: boolean): void;
  /** The client went away (or the connection answered for the request itself): nothing more is sent. */
  readonly gone: boolean;
  /** Abandons the connection. */
  destroy(): void;
}

const CHUNKED_END = Buffer.from("0\r\n\r\n", "latin1");
const CRLF = Buffer.from("\r\n", "latin1");
/** Bodies up to this size are copied next to their head, for one write; larger ones go out as their own buffer. */
const COPY_LIMIT = 16 * 1024;

/**
 * tsgi's `ResponseSink` on an HTTP/1.1 connection: encodes the head (cached status line and Date,
 * the connection's keep-alive lines), frames the body (Content-Length as the app declared,
 * chunked on HTTP/1.1 without a length, close-delimited on HTTP/1.0, nothing for HEAD, 1xx, 204
 * and 304), sends a complete response as one buffer, and asks to wait only when the socket is full.
 *
 * @example
 * const writer = new ResponseWriter(connection, "GET", true);
 * await runApplication(app, environ, writer);
 */
export class ResponseWriter implements ResponseSink {
  readonly #transport: ResponseTransport;
  readonly #isHead: boolean;
  readonly #http11: boolean;
  #head: string | undefined;
  #chunked = false;
  #keepAlive = false;
  #started = false;
  #ended = false;
  /** The client went away before the response was complete. */
  #lost = false;
  #controller: AbortController | undefined;

  constructor(transport: ResponseTransport, method: string, http11: boolean) {
    this.#transport = transport;
    this.#isHead = method === "HEAD";
    this.#http11 = http11;
  }

  /** True once the head was built (the app's answer started; a 100 Continue would now be out of place). */
  get started(): boolean {
    return this.#started;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get aborted(): boolean {
    return this.#lost;
  }

  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    if (this.#lost) this.#controller.abort();
    return this.#controller.signal;
  }

  /** The connection closed (or answered for the request itself) before the response was complete. */
  connectionLost(): void {
    if (this.#ended) return;
    this.#lost = true;
    this.#controller?.abort();
  }

  respond(status: string, headers: ResponseHeaders, body: Uint8Array): void {
    const head = this.#encodeHead(status, headers);
    if (this.#transport.gone) {
      this.#lost = true;
      return this.#end();
    }
    const bodyLength = this.#isHead || !this.#bodyAllowed(status) ? 0 : body.length;
    if (bodyLength > COPY_LIMIT) {
      this.#transport.send(Buffer.from(head, "latin1"));
      this.#transport.send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } else {
      const buffer = Buffer.allocUnsafe(head.length + bodyLength);
      buffer.write(head, 0, "latin1");
      if (bodyLength > 0) buffer.set(body, head.length);
      this.#transport.send(buffer);
    }
    this.#end();
  }

  sendHeaders(status: string, headers: ResponseHeaders): void {
    // Held back to go out with the first body chunk (or the end) in one write.
    this.#head = this.#encodeHead(status, headers);
  }

  write(chunk: Uint8Array): void | Promise<void> {
    const transport = this.#transport;
    if (transport.gone) {
      this.#lost = true;
      return;
    }
    const head = this.#head;
    this.#head = undefined;
    const headLength = head === undefined ? 0 : head.length;
    let ok: boolean;
    if (this.#chunked) {
      const size = chunk.length.toString(16) + "\r\n";
      if (chunk.length <= COPY_LIMIT) {
        const buffer = Buffer.allocUnsafe(headLength + size.length + chunk.length + 2);
        if (head !== undefined) buffer.write(head, 0, "latin1");
        buffer.write(size, headLength, "latin1");
        buffer.set(chunk, headLength + size.length);
        buffer.write("\r\n", buffer.length - 2, "latin1");
        ok = transport.send(buffer);
      } else {
        transport.send(Buffer.from((head ?? "") + size, "latin1"));
        transport.send(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        ok = transport.send(CRLF);
      }
    } else if (head !== undefined && chunk.length <= COPY_LIMIT) {
      const buffer = Buffer.allocUnsafe(headLength + chunk.length);
      buffer.write(head, 0, "latin1");
      buffer.set(chunk, headLength);
      ok = transport.send(buffer);
    } else {
      if (head !== undefined) transport.send(Buffer.from(head, "latin1"));
      ok = transport.send(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    if (!ok) return transport.whenWritable();
  }

  end(): void {
    if (this.#ended) return;
    const transport = this.#transport;
    if (!transport.gone) {
      const head = this.#head;
      this.#head = undefined;
      if (head !== undefined) {
        transport.send(this.#chunked ? Buffer.from(head + "0\r\n\r\n", "latin1") : Buffer.from(head, "latin1"));
      } else if (this.#chunked) {
        transport.send(CHUNKED_END);
      }
    }
    this.#end();
  }

  abort(_error: unknown): void {
    this.#ended = true;
    this.#transport.destroy();
  }

  #end(): void {
    this.#ended = true;
    this.#transport.responseEnded(this.#keepAlive);
  }

  #bodyAllowed(status: string): boolean {
    const code = statusCode(status);
    return code >= 200 && code !== 204 && code !== 304;
  }

  /** The status line and headers, plus Date, framing and connection headers as the response needs them. */
  #encodeHead(status: string, headers: ResponseHeaders): string {
    this.#started = true;
    let head = statusLine(status);
    let hasLength = false;
    let hasDate = false;
    for (let i = 0; i < headers.length; i++) {
      const [name, value] = headers[i] as [string, string];
      head += name + ": " + value + "\r\n";
      if (name.length === 14) hasLength ||= name.toLowerCase() === "content-length";
      else if (name.length === 4) hasDate ||= name.toLowerCase() === "date";
    }
    if (!hasDate) head += dateHeaderLine();
    const transport = this.#transport;
    let keepAlive = transport.mayKeepAlive();
    if (!hasLength && !this.#isHead && this.#bodyAllowed(status)) {
      // No length: chunked on HTTP/1.1; an HTTP/1.0 client can only learn the end from the close.
      if (this.#http11) {
        this.#chunked = true;
        head += "Transfer-Encoding: chunked\r\n";
      } else keepAlive = false;
    }
    this.#keepAlive = keepAlive;
    return head + (keepAlive ? transport.keepAliveLines : "Connection: close\r\n") + "\r\n";
  }
}
