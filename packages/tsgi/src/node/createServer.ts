import { createServer as createHttpServer, type Server, type ServerOptions } from "node:http";
import type { Application } from "../types.js";
import { answerRefusedHeads } from "./headRejection.js";
import { toNodeListener, type NodeListenerOptions } from "./listener.js";
import { attachWebSocket } from "./websocket.js";
import type { WebSocketOptions } from "../websocket/serveWebSocket.js";

/** Options for {@link createServer}: the listener's and `node:http`'s own. */
export interface CreateServerOptions extends NodeListenerOptions {
  http?: ServerOptions;
  /** WebSocket limits (SPEC.md, "WebSocket"), or `false` to serve none: `tsgi.websocket` is then absent. */
  websocket?: WebSocketOptions | false;
}

/**
 * A `node:http` server running a TSGI app, with `checkContinue` wired so
 * `100 Continue` goes out only when the app reads the body, and every refused
 * head (by `checkRequestHead` or by Node's own parser) answered with the same status, and
 * WebSocket upgrades served (`attachWebSocket`). Pass the lifespan's state as `state` (see `startLifespan`).
 *
 * @example
 * const server = createServer(app);
 * server.listen(0, "127.0.0.1");
 */
export function createServer(app: Application, options: CreateServerOptions = {}): Server {
  const listener = toNodeListener(app, options);
  // A missing Host reaches the listener, so checkRequestHead answers it like every other refused head.
  const server = createHttpServer({ requireHostHeader: false, ...options.http }, (req, res) => void listener(req, res));
  server.on("checkContinue", (req, res) => void listener(req, res));
  if (options.websocket !== false) attachWebSocket(server, app, { ...options, ...options.websocket });
  return answerRefusedHeads(server, options.headLimits);
}
