import type { ResponseHeaders } from "../types.js";

/** A WebSocket message: a string for a text frame, bytes for a binary one. */
export type WebSocketMessage = string | Uint8Array;

/** How a WebSocket connection ended: the close code and reason (RFC 6455 §7.1.5, §7.1.6). */
export interface WebSocketCloseEvent {
  /** 1000 for a normal close, 1005 when the peer sent none, 1006 when the connection dropped without a close frame. */
  code: number;
  reason: string;
}

/** What the app may add to the `101 Switching Protocols` response. */
export interface WebSocketAcceptOptions {
  /** One of `subprotocols` (the client's `Sec-WebSocket-Protocol` offer), or none. */
  subprotocol?: string;
  /** Extra response headers, e.g. `Set-Cookie`; never hop-by-hop or `Sec-WebSocket-*` ones. */
  headers?: ResponseHeaders;
}

/**
 * The life of a WebSocket request, as the app sees it:
 * `"pending"` (not yet accepted or rejected), `"open"`, `"closing"` (a close frame is out
 * or in), `"closed"`, or `"rejected"` (the app answered with an HTTP response instead).
 */
export type WebSocketState = "pending" | "open" | "closing" | "closed" | "rejected";

/**
 * `tsgi.websocket`: present in the environ of a WebSocket upgrade request on a server that
 * supports them (SPEC.md, "WebSocket and Lifespan"). The app accepts, exchanges messages and
 * closes through it, or rejects by answering through `startResponse` as usual.
 */
export interface TsgiWebSocket extends AsyncIterable<WebSocketMessage> {
  /** The subprotocols the client offered (`Sec-WebSocket-Protocol`), in its order; empty when none. */
  readonly subprotocols: readonly string[];
  readonly state: WebSocketState;
  /** The largest message the server takes, in bytes; a bigger one closes the connection with 1009. */
  readonly maxMessageSize: number;
  /** Completes the handshake (`101 Switching Protocols`); resolves once the response is on the socket. */
  accept(options?: WebSocketAcceptOptions): Promise<void>;
  /** Sends one message; resolves when it was handed to the socket, so a slow client slows the sender. */
  send(message: WebSocketMessage): Promise<void>;
  /** The next message from the client, or `undefined` once the connection is closed. */
  receive(): Promise<WebSocketMessage | undefined>;
  /**
   * Starts the close handshake (default code 1000) and resolves when the connection is closed.
   * Before `accept()` it rejects the upgrade with `403 Forbidden` instead.
   */
  close(code?: number, reason?: string): Promise<void>;
  /** Settles once the connection is closed, by either side: how it ended. */
  readonly closed: Promise<WebSocketCloseEvent>;
}
