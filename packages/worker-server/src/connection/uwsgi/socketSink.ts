import type net from "node:net";
import type { ResponseHeaders, ResponseSink } from "tsgi";
import { waitForDrain } from "tsgi/helpers";

/**
 * A ResponseSink writing a raw HTTP/1.x response on a uwsgi connection, as uWSGI answers
 * nginx: status line, headers, body, then the connection is closed to end the response
 * (nginx's uwsgi module reads until close, so no chunked framing is needed).
 */
export class SocketResponseSink implements ResponseSink {
  readonly #socket: net.Socket;
  readonly #protocol: string;
  readonly #controller = new AbortController();
  #head: string | undefined;
  #ended = false;

  constructor(socket: net.Socket, protocol: string) {
    this.#socket = socket;
    this.#protocol = protocol === "HTTP/1.1" ? "HTTP/1.1" : "HTTP/1.0";
    socket.once("close", () => {
      if (!this.#ended) this.#controller.abort();
    });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  sendHeaders(status: string, headers: ResponseHeaders): void {
    let head = `${this.#protocol} ${status}\r\n`;
    for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
    // Held back to go out with the first body chunk in one write.
    this.#head = head + "\r\n";
  }

  write(chunk: Uint8Array): void | Promise<void> {
    const socket = this.#socket;
    if (socket.destroyed) return;
    const flushed = this.#takeHead();
    const ok = flushed ? socket.write(Buffer.concat([flushed, chunk])) : socket.write(chunk);
    if (ok) return;
    return waitForDrain(socket);
  }

  end(): void {
    this.#ended = true;
    const head = this.#takeHead();
    if (head) this.#socket.end(head);
    else this.#socket.end();
  }

  abort(): void {
    this.#ended = true;
    this.#socket.destroy();
  }

  #takeHead(): Buffer | undefined {
    if (this.#head === undefined) return undefined;
    const head = Buffer.from(this.#head, "latin1");
    this.#head = undefined;
    return head;
  }
}
