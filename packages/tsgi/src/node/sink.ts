import type { ServerResponse } from "node:http";
import { waitForDrain } from "../helpers/waitForDrain.js";
import { parseStatus } from "../http/rules.js";
import type { ResponseSink } from "../server/sink.js";
import type { ResponseHeaders } from "../types.js";

/** Bytes a response may hold unsent before the app is asked to wait (backpressure). */
const RESPONSE_BUFFER_LIMIT = 256 * 1024;

/**
 * A ResponseSink over a Node `ServerResponse`: Node does the framing (chunked
 * when no length, close-delimited on HTTP/1.0, no body on HEAD).
 */
export class NodeResponseSink implements ResponseSink {
  readonly #res: ServerResponse;
  #controller: AbortController | undefined;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** The client went away before the response was complete (Node marks the response destroyed when its socket closes). */
  get aborted(): boolean {
    return this.#res.destroyed && !this.#res.writableFinished;
  }

  /** Created on first use: most responses never wait, and an AbortController plus a listener per request is measurable. */
  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = (this.#controller = new AbortController());
    const res = this.#res;
    if (this.aborted) controller.abort();
    else if (!res.writableFinished) {
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
    }
    return controller.signal;
  }

  sendHeaders(status: string, headers: ResponseHeaders): void {
    const parsed = parseStatus(status) ?? { code: 500, reason: "Internal Server Error" };
    // A flat [name, value, name, value] list keeps order and repeated headers such as Set-Cookie.
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    this.#res.writeHead(parsed.code, parsed.reason, flat);
  }

  /** Head and body in one `end(body)`: Node writes them together, cheaper than write() then end(). */
  respond(status: string, headers: ResponseHeaders, body: Uint8Array): void {
    if (this.#res.destroyed) return;
    this.sendHeaders(status, headers);
    this.#res.end(body);
  }

  write(chunk: Uint8Array): void | Promise<void> {
    const res = this.#res;
    if (res.destroyed) return;
    // Node corks the socket for the first writes of a response, so write() says "wait" for nearly
    // every chunk of a small streamed body; waiting each time costs an event-loop turn per chunk.
    // Wait only once this response holds a real backlog: memory stays bounded per connection.
    if (res.write(chunk) || res.writableLength < RESPONSE_BUFFER_LIMIT) return;
    return waitForDrain(res);
  }

  end(): void {
    this.#res.end();
  }

  abort(): void {
    const socket = this.#res.socket;
    if (!socket || socket.destroyed) return void this.#res.destroy();
    // Node corks the socket while a response is written and uncorks on the next tick: destroy() now would drop
    // the head and chunks already written, and the client would see no response at all instead of a cut one.
    while (socket.writableCorked > 0) socket.uncork();
    socket.destroySoon();
  }
}
