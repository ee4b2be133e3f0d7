import type { WebSocketOptions } from "tsgi";
import type { Settings } from "../config/settings.js";

/**
 * The connection layer's WebSocket options from the worker's settings: `--ws none` serves none
 * (`tsgi.websocket` absent), otherwise `--ws-max-size`, `--ws-max-connections` (0: no cap) and
 * `--ws-ping-interval` (seconds on the command line, milliseconds in tsgi's options) and
 * `--ws-per-message-deflate`.
 *
 * @example
 * createWorkerServer(app, { websocket: websocketOptionsFrom(settings) });
 */
export function websocketOptionsFrom(settings: Pick<Settings, "ws" | "wsMaxSize" | "wsMaxConnections" | "wsPingInterval" | "wsPerMessageDeflate">): WebSocketOptions | false {
  if (settings.ws === "none") return false;
  return {
    maxMessageSize: settings.wsMaxSize,
    pingInterval: Math.round(settings.wsPingInterval * 1000),
    perMessageDeflate: settings.wsPerMessageDeflate,
    ...(settings.wsMaxConnections > 0 ? { maxOpen: settings.wsMaxConnections } : {}),
  };
}
