export type { TsgiWebSocket, WebSocketAcceptOptions, WebSocketCloseEvent, WebSocketMessage, WebSocketState } from "./types.js";
export { serveWebSocket, DEFAULT_MAX_MESSAGE_SIZE, type WebSocketOptions, type WebSocketRequest } from "./serveWebSocket.js";
export { isWebSocketUpgrade, checkWebSocketHandshake, offeredSubprotocols, type HandshakeRejection } from "./handshake.js";
export { WebSocketTracker } from "./tracker.js";
export { WebSocketStateError, WebSocketClosedError, InvalidCloseCodeError } from "./errors.js";
export { checkCloseFrame, CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CLOSE_SERVICE_RESTART } from "./closeCodes.js";
export { ServerWebSocket } from "./serverWebSocket.js";
