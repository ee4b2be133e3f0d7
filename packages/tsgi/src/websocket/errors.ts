/** The app used `tsgi.websocket` out of order (sending before `accept()`, accepting twice, `startResponse` after `accept()`). */
export class WebSocketStateError extends Error {
  override readonly name = "WebSocketStateError";
}

/** The connection is closed (by either side): a `send` or `accept` can no longer happen. `code` says how it ended. */
export class WebSocketClosedError extends Error {
  override readonly name = "WebSocketClosedError";
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`the WebSocket connection is closed (code ${code}${reason ? `, "${reason}"` : ""}); stop sending once receive() returns undefined or close() was called`);
  }
}

/** A close code an app may not send (RFC 6455 §7.4: 1000-1003, 1007-1014 or 3000-4999), or a reason over 123 bytes. */
export class InvalidCloseCodeError extends Error {
  override readonly name = "InvalidCloseCodeError";
}
