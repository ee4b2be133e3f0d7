import type { TsgiWebSocket, WebSocketAcceptOptions, WebSocketCloseEvent, WebSocketMessage, WebSocketState } from "../websocket/types.js";
import type { ResponseState } from "./responseState.js";
import { check, describe } from "./validationError.js";

/**
 * `tsgi.websocket` as the validated app sees it: the server's object, with the app side of
 * SPEC.md's "WebSocket" checked on each call (accept once and not after startResponse, send
 * only between accept and close, messages of the right type). The app's view of whether it
 * saw the close is its own calls', so a send racing a client's close is not blamed on the app.
 *
 * @example
 * environ["tsgi.websocket"] = new ValidatedWebSocket(environ["tsgi.websocket"], state);
 */
export class ValidatedWebSocket implements TsgiWebSocket {
  #accepted = false;
  #appSawClose = false;

  constructor(
    readonly inner: TsgiWebSocket,
    readonly response: ResponseState,
  ) {}

  get subprotocols(): readonly string[] {
    return this.inner.subprotocols;
  }
  get state(): WebSocketState {
    return this.inner.state;
  }
  get maxMessageSize(): number {
    return this.inner.maxMessageSize;
  }
  get closed(): Promise<WebSocketCloseEvent> {
    return this.inner.closed;
  }

  accept(options?: WebSocketAcceptOptions): Promise<void> {
    check(!this.#accepted, "websocket-accept-twice", "accept() was already called for this WebSocket");
    check(!this.response.started, "websocket-accept-after-start-response", "the app answered through startResponse and then called accept(); do one or the other");
    this.#accepted = true;
    this.response.websocketAccepted = true;
    return this.inner.accept(options);
  }

  send(message: WebSocketMessage): Promise<void> {
    check(typeof message === "string" || message instanceof Uint8Array, "websocket-message-type", `send() takes a string or a Uint8Array, got ${describe(message)}`);
    check(this.#accepted, "websocket-send-before-accept", "send() before accept(): await websocket.accept() first");
    check(!this.#appSawClose, "websocket-send-after-close", "send() after the WebSocket was closed (the app called close(), or receive() returned undefined)");
    return this.inner.send(message);
  }

  async receive(): Promise<WebSocketMessage | undefined> {
    check(this.#accepted, "websocket-send-before-accept", "receive() before accept(): await websocket.accept() first");
    const message = await this.inner.receive();
    if (message === undefined) this.#appSawClose = true;
    return message;
  }

  close(code?: number, reason?: string): Promise<void> {
    this.#appSawClose = true;
    return this.inner.close(code, reason);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    for (;;) {
      const message = await this.receive();
      if (message === undefined) return;
      yield message;
    }
  }
}
