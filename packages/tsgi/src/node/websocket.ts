import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { assembleEnviron } from "../environ/assembleEnviron.js";
import { checkRequestHead } from "../http/headChecks.js";
import { GUNICORN_HEAD_LIMITS } from "../http/headLimits.js";
import { headRejectionBytes } from "../http/headRejection.js";
import { createInputStream } from "../input/inputStream.js";
import type { RunResult } from "../server/sink.js";
import type { Application } from "../types.js";
import { isWebSocketUpgrade } from "../websocket/handshake.js";
import { serveWebSocket, type WebSocketOptions } from "../websocket/serveWebSocket.js";
import type { TsgiWebSocket } from "../websocket/types.js";
import { nodeConnectionInfo, nodeRequestHead } from "./environ.js";
import type { NodeListenerOptions } from "./listener.js";

/** Options of {@link attachWebSocket}: the listener's (head limits, environ settings, `state`) and the WebSocket limits. */
export type NodeWebSocketOptions = NodeListenerOptions & WebSocketOptions;

/** Upgrade requests for another protocol (h2c, ...) are answered over HTTP/1.1 as RFC 9110 §7.8 allows: no body is read. */
const NO_BODY: Iterable<Uint8Array> = [];

/**
 * Serves WebSocket upgrades of a `node:http` (or `node:https`) server with a TSGI app: registers
 * its `upgrade` listener, checks the head like every request, builds the environ through
 * `assembleEnviron` with `tsgi.websocket`, and hands the socket to `serveWebSocket`. Works beside
 * `toNodeListener` in plain `node:http`, Express (`attachWebSocket(app.listen(8000), tsgiApp)`) and
 * Fastify (`attachWebSocket(fastify.server, tsgiApp)`). `createServer` calls it already.
 *
 * @example
 * const server = http.createServer(toNodeListener(app));
 * attachWebSocket(server, app, { maxMessageSize: 64 * 1024 });
 * server.listen(8000);
 */
export function attachWebSocket(server: Server, app: Application, options: NodeWebSocketOptions = {}): Server {
  server.on("upgrade", (req: IncomingMessage, socket: Socket, buffered: Buffer) => void serveUpgrade(app, req, socket, buffered, options));
  return server;
}

/**
 * Serves one `upgrade` event: a WebSocket goes to `serveWebSocket`; any other protocol is
 * answered by the app over HTTP/1.1 (the upgrade ignored), with `Connection: close`.
 *
 * @example
 * server.on("upgrade", (req, socket, buffered) => void serveUpgrade(app, req, socket, buffered));
 */
export function serveUpgrade(app: Application, req: IncomingMessage, socket: Socket, buffered: Buffer, options: NodeWebSocketOptions = {}): Promise<RunResult> {
  const head = nodeRequestHead(req);
  const rejection = checkRequestHead(head, options.headLimits ?? GUNICORN_HEAD_LIMITS, options.headChecks);
  if (rejection !== undefined) {
    socket.end(headRejectionBytes(rejection));
    return Promise.resolve({ status: `${rejection.status} ${rejection.reason}`, bytesSent: 0, aborted: false });
  }
  const websocket = isWebSocketUpgrade(head);
  return serveWebSocket(app, {
    head,
    socket,
    buffered,
    request: req,
    plainHttp: !websocket,
    environ: (handle: TsgiWebSocket) =>
      assembleEnviron(head, nodeConnectionInfo(req, options.urlScheme), createInputStream(NO_BODY), options, options.serverKeys?.(req), websocket ? { websocket: handle } : undefined),
  }, options);
}
