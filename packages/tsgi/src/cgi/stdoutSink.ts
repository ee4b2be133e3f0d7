import type { Writable } from "node:stream";
import { waitForDrain } from "../helpers/waitForDrain.js";
import type { ResponseSink } from "../server/sink.js";
import type { ResponseHeaders } from "../types.js";

/**
 * A ResponseSink that writes a CGI response (RFC 3875 §6) to a stream:
 * `Status: 200 OK`, the headers, an empty line, then the body. The web server
 * in front does the HTTP framing. Writes wait for `drain`, so a slow client
 * (behind a server that stops reading) pauses the app instead of filling memory.
 */
export class CgiOutputSink implements ResponseSink {
  readonly #out: Writable;
  readonly #closeWhenDone: boolean;
  readonly #gone = new AbortController();
  aborted = false;

  constructor(out: Writable, options: { closeWhenDone: boolean }) {
    this.#out = out;
    this.#closeWhenDone = options.closeWhenDone;
    // The web server closed our stdout (EPIPE): its client went away. Without a listener this would crash the script.
    out.on("error", () => this.#gone.abort());
  }

  /** Aborts when the response can no longer reach the client (stdout broken, or the server said stop). */
  get signal(): AbortSignal {
    return this.#gone.signal;
  }

  /** Stops the response because the web server asked the script to end (SIGTERM: its client went away). */
  terminate(): void {
    this.#gone.abort();
  }

  sendHeaders(status: string, headers: ResponseHeaders): void {
    let head = `Status: ${status}\r\n`;
    for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
    // Header values are latin-1 text: one byte per character.
    this.#out.write(Buffer.from(head + "\r\n", "latin1"));
  }

  write(chunk: Uint8Array): void | Promise<void> {
    const out = this.#out;
    if (out.destroyed) return;
    if (out.write(chunk)) return;
    // Also stop waiting when the response is abandoned: a reader that went away never drains the pipe.
    return waitForDrain(out, this.#gone.signal);
  }

  end(): Promise<void> {
    const out = this.#out;
    return new Promise((resolve) => {
      if (out.destroyed) return resolve();
      // process.stdout cannot be ended; an empty write's callback runs once earlier writes are flushed.
      if (this.#closeWhenDone) out.end(() => resolve());
      else out.write(Buffer.alloc(0), () => resolve());
    });
  }

  abort(): void {
    // CGI has no way to say "incomplete" in-band: the runner sees a non-zero exit status instead.
    this.aborted = true;
  }
}
