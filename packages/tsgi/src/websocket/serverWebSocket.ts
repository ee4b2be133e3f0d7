import type { WebSocket } from "ws";
import { checkCloseFrame } from "./closeCodes.js";
import { WebSocketClosedError, WebSocketStateError } from "./errors.js";
import type { TsgiWebSocket, WebSocketAcceptOptions, WebSocketCloseEvent, WebSocketMessage, WebSocketState } from "./types.js";

/** What the server does for the app's `accept()` and `close()` before accepting. */
export interface HandshakeDriver {
  /** Writes the 101 response and returns the open `ws` socket. */
  accept(options: WebSocketAcceptOptions): WebSocket;
  /** Answers the upgrade with 403 (the app closed before accepting). */
  reject(): void;
}

/** Messages queued for the app before the server stops reading from the client (backpressure on receive). */
const RECEIVE_HIGH_WATER = 16;

/**
 * The server side of `tsgi.websocket`, over a `ws` socket once accepted: the object the app
 * receives. Inbound messages queue until the app receives them; past {@link RECEIVE_HIGH_WATER}
 * the server stops reading the socket, so a slow app slows the client instead of growing memory.
 */
export class ServerWebSocket implements TsgiWebSocket {
  #state: WebSocketState = "pending";
  #socket: WebSocket | undefined;
  readonly #queue: WebSocketMessage[] = [];
  readonly #waiters: Array<(message: WebSocketMessage | undefined) => void> = [];
  #closeEvent: WebSocketCloseEvent | undefined;
  #resolveClosed!: (event: WebSocketCloseEvent) => void;
  /** True once the app called `close()` or saw the end (`receive()` gave `undefined`): sends after it are the app's bug. */
  appSawClose = false;
  readonly closed: Promise<WebSocketCloseEvent>;

  constructor(
    readonly subprotocols: readonly string[],
    readonly maxMessageSize: number,
    readonly driver: HandshakeDriver,
  ) {
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  get state(): WebSocketState {
    return this.#state;
  }

  /** The open `ws` socket (for the server's heartbeat and graceful close), once accepted. */
  get socket(): WebSocket | undefined {
    return this.#socket;
  }

  /** The server marks the request rejected when the app called `startResponse` before accepting. */
  markRejected(): void {
    if (this.#state === "pending") this.#state = "rejected";
  }

  async accept(options: WebSocketAcceptOptions = {}): Promise<void> {
    if (this.#state === "closed") throw new WebSocketClosedError(this.#closeEvent?.code ?? 1006, this.#closeEvent?.reason ?? "");
    if (this.#state !== "pending") {
      throw new WebSocketStateError(this.#state === "rejected"
        ? "accept() after startResponse(): the request was already answered over HTTP; accept before answering, or answer only"
        : "accept() called twice: the WebSocket is already accepted");
    }
    if (options.subprotocol !== undefined && !this.subprotocols.includes(options.subprotocol)) {
      throw new WebSocketStateError(`subprotocol ${JSON.stringify(options.subprotocol)} was not offered by the client (offered: ${this.subprotocols.join(", ") || "none"})`);
    }
    this.#state = "open";
    const socket = this.driver.accept(options);
    this.#socket = socket;
    socket.on("message", (data, isBinary) => this.#deliver(isBinary ? toBytes(data) : toBytes(data).toString("utf8")));
    socket.on("close", (code, reason) => this.#ended({ code, reason: reason.toString("utf8") }));
    socket.on("error", () => undefined); // ws closes the socket after an error (1002, 1007, 1009); the close event reports it
    if (socket.readyState === socket.CLOSED) this.#ended({ code: 1006, reason: "" });
  }

  send(message: WebSocketMessage): Promise<void> {
    const socket = this.#socket;
    if (this.#state === "pending" || this.#state === "rejected") {
      return Promise.reject(new WebSocketStateError("send() before accept(): call `await websocket.accept()` first"));
    }
    if (socket === undefined || this.#state !== "open") {
      return Promise.reject(new WebSocketClosedError(this.#closeEvent?.code ?? 1006, this.#closeEvent?.reason ?? ""));
    }
    const binary = typeof message !== "string";
    return new Promise((resolve, reject) => {
      // ws calls back once the frame was written to the socket: an unread client stops the callbacks (backpressure).
      socket.send(message, { binary }, (error) => {
        if (error) reject(new WebSocketClosedError(this.#closeEvent?.code ?? 1006, this.#closeEvent?.reason ?? ""));
        else resolve();
      });
    });
  }

  receive(): Promise<WebSocketMessage | undefined> {
    if (this.#state === "pending" || this.#state === "rejected") {
      return Promise.reject(new WebSocketStateError("receive() before accept(): call `await websocket.accept()` first"));
    }
    const message = this.#queue.shift();
    if (message !== undefined) {
      if (this.#queue.length < RECEIVE_HIGH_WATER / 2) this.#socket?.resume();
      return Promise.resolve(message);
    }
    if (this.#state === "closed" || this.#state === "closing") {
      this.appSawClose = true;
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async close(code = 1000, reason = ""): Promise<void> {
    checkCloseFrame(code, reason);
    this.appSawClose = true;
    if (this.#state === "pending") {
      this.#state = "rejected";
      this.driver.reject();
      return;
    }
    const socket = this.#socket;
    if (socket === undefined || this.#state === "rejected") return;
    if (this.#state === "open") {
      this.#state = "closing";
      socket.close(code, reason);
      this.#wakeWaiters();
    }
    await this.closed;
  }

  /** Ends the connection without a close handshake (a dropped client, a server past its grace period). */
  terminate(): void {
    if (this.#socket !== undefined) this.#socket.terminate();
    else this.#ended({ code: 1006, reason: "" });
  }

  /** The server learned the connection is gone before the app accepted (the client hung up). */
  socketLost(): void {
    if (this.#state === "pending") this.#ended({ code: 1006, reason: "" });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    for (;;) {
      const message = await this.receive();
      if (message === undefined) return;
      yield message;
    }
  }

  #deliver(message: WebSocketMessage): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) return waiter(message);
    this.#queue.push(message);
    if (this.#queue.length >= RECEIVE_HIGH_WATER) this.#socket?.pause();
  }

  #ended(event: WebSocketCloseEvent): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#closeEvent = event;
    this.#wakeWaiters();
    this.#resolveClosed(event);
  }

  #wakeWaiters(): void {
    // Waiters exist only while the queue is empty: each learns the connection is ending.
    for (const waiter of this.#waiters.splice(0)) {
      this.appSawClose = true;
      waiter(undefined);
    }
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
