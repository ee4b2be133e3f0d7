import type net from "node:net";
import { assembleEnviron, createInputStream, isWebSocketUpgrade, serveWebSocket, type ConnectionInfo, type Environ, type RunResult } from "tsgi";
import type { HttpContext } from "./context.js";
import type { ParsedHead } from "./headParser.js";

const NO_BODY: Iterable<Uint8Array> = [];

/**
 * True when a parsed request asks for a WebSocket this server serves: the connection then hands
 * its socket over ({@link serveUpgrade}) instead of answering over HTTP.
 *
 * @example
 * if (wantsWebSocket(head, context)) return handOver(head);
 */
export function wantsWebSocket(head: ParsedHead, context: HttpContext): boolean {
  return context.websockets !== undefined && head.upgrade !== undefined && isWebSocketUpgrade(head);
}

/**
 * Serves a WebSocket request on a socket the HTTP connection let go of (its listeners removed,
 * the socket paused): tsgi's one `serveWebSocket`, with the environ built like every request's
 * (the assembler, `RAW_URI`/`REQUEST_URI`). The session counts as a request in flight until the
 * socket closes, so a graceful stop waits for it (then closes it with 1001).
 *
 * @example
 * serveUpgrade(socket, head, buffered, info, context).then((result) => log(result.status));
 */
export async function serveUpgrade(socket: net.Socket, head: ParsedHead, buffered: Buffer, info: ConnectionInfo, context: HttpContext): Promise<RunResult> {
  const startMs = performance.now();
  let environ: Environ | undefined;
  context.inFlight.start();
  try {
    const result = await serveWebSocket(
      context.app,
      {
        head,
        socket,
        buffered,
        environ: (websocket) =>
          (environ = assembleEnviron(head, info, createInputStream(NO_BODY), context.environSettings, { RAW_URI: head.target, REQUEST_URI: head.target }, { websocket })),
      },
      { ...context.websocketOptions, tracker: context.websockets, onError: (error, env) => context.reportError(error, env) },
    );
    // The access log line and onResponse (the stats' in_flight) see the session end, status 101 (or the refusal).
    if (environ !== undefined) context.observer.complete({ startMs, environ, bodyRefused: false }, result);
    return result;
  } finally {
    context.inFlight.finish();
  }
}
