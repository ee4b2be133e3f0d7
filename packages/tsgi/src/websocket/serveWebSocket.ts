import { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { callApplication } from "../application.js";
import type { RequestHead } from "../environ/types.js";
import { describeError } from "../helpers/describeError.js";
import { hasInvalidValueChars, HOP_BY_HOP_HEADERS, isToken } from "../http/rules.js";
import { stderrErrorStream } from "../input/errorStream.js";
import { runApplication } from "../server/runApplication.js";
import type { RunOptions, RunResult } from "../server/sink.js";
import type { Application, Environ, ErrorStream, ResponseBody, StartResponse } from "../types.js";
import { CLOSE_INTERNAL_ERROR } from "./closeCodes.js";
import { WebSocketStateError } from "./errors.js";
import { checkWebSocketHandshake, headerRecord, offeredSubprotocols, type HandshakeRejection } from "./handshake.js";
import { startHeartbeat } from "./heartbeat.js";
import { ServerWebSocket } from "./serverWebSocket.js";
import { UpgradeSocketSink } from "./socketSink.js";
import type { WebSocketTracker } from "./tracker.js";
import type { TsgiWebSocket, WebSocketAcceptOptions } from "./types.js";

/** One WebSocket upgrade request as a server hands it over, after its head was parsed and checked. */
export interface WebSocketRequest {
  head: RequestHead;
  /** The connection, taken off the server's HTTP parser. */
  socket: Socket;
  /** Bytes the server read past the request head (frames the client sent early). */
  buffered: Buffer;
  /** Builds the environ through `assembleEnviron`, passing `{ websocket }` as its `extensions`. */
  environ(websocket: TsgiWebSocket): Environ;
  /** True for an upgrade to another protocol: the app answers over HTTP/1.1, without `tsgi.websocket`. */
  plainHttp?: boolean;
  /** The `node:http` request when the server has one; built from `head` otherwise. */
  request?: IncomingMessage;
}

/** Limits and timers of a server's WebSockets (SPEC.md, "WebSocket"). */
export interface WebSocketOptions extends RunOptions {
  /** The largest message taken, in bytes (default 1 MiB); a bigger one closes the connection with 1009. */
  maxMessageSize?: number;
  /** Milliseconds between pings; a client that did not answer the last one is cut (default 30 000; 0 turns pings off). */
  pingInterval?: number;
  /** Offer permessage-deflate (RFC 7692) to clients that ask (default false: it costs memory per socket). */
  perMessageDeflate?: boolean;
  /** Counts open sockets and closes them on stop or reload. */
  tracker?: WebSocketTracker;
  /** The most WebSockets open at once through `tracker` (default: no cap); past it, handshakes get 503 without calling the app. */
  maxOpen?: number;
  /** Where errors go when the app left no `onError` (default: standard error). */
  errors?: ErrorStream;
}

/** RFC 6455's default limit would be none; 1 MiB, as the issue and most peers choose, keeps a worker's memory bounded. */
export const DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
const SWITCHING = "101 Switching Protocols";
const SERVER_FULL: HandshakeRejection = { status: 503, reason: "Service Unavailable", message: "this server has as many WebSockets open as it takes; retry later", headers: [["Retry-After", "5"]] };

/**
 * Serves one WebSocket upgrade request: the one implementation every server calls (node:http's
 * `upgrade` event, tsgi-dev, tsgi-worker's engine). It refuses a malformed handshake (400/426)
 * without calling the app, runs the app with `tsgi.websocket` in its environ, completes the
 * handshake with `ws` when the app accepts, and otherwise sends the app's HTTP answer through
 * `runApplication`, as for any request.
 *
 * @example
 * server.on("upgrade", (req, socket, buffered) => {
 *   const head = nodeRequestHead(req);
 *   void serveWebSocket(app, { head, socket, buffered, request: req,
 *     environ: (websocket) => assembleEnviron(head, nodeConnectionInfo(req), createInputStream([]), {}, undefined, { websocket }) });
 * });
 */
export async function serveWebSocket(app: Application, request: WebSocketRequest, options: WebSocketOptions = {}): Promise<RunResult> {
  const { head, socket } = request;
  socket.on("error", () => undefined); // a reset while the app decides is reported as the socket closing
  const full = !request.plainHttp && options.maxOpen !== undefined && (options.tracker?.size ?? 0) >= options.maxOpen;
  const refusal = request.plainHttp ? undefined : full ? SERVER_FULL : checkWebSocketHandshake(head);
  if (refusal !== undefined) {
    const body = `${refusal.status} ${refusal.reason}: ${refusal.message}\n`;
    const extra = refusal.headers.map(([name, value]) => `${name}: ${value}\r\n`).join("");
    socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`, "latin1");
    return { status: `${refusal.status} ${refusal.reason}`, bytesSent: 0, aborted: false };
  }
  const sink = new UpgradeSocketSink(socket);
  const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  let closedBeforeAccept = false;
  let answeredOverHttp = false;
  const websocket: ServerWebSocket = new ServerWebSocket(offeredSubprotocols(head.rawHeaders), maxMessageSize, {
    accept: (acceptOptions) => {
      sink.accepted = true;
      const open = completeHandshake(request, acceptOptions, maxMessageSize, options.perMessageDeflate ?? false);
      startHeartbeat(open, options.pingInterval ?? 30_000);
      return open;
    },
    reject: () => {
      closedBeforeAccept = true;
    },
  });
  socket.once("close", () => websocket.socketLost());

  let environ: Environ;
  try {
    environ = request.environ(websocket);
  } catch (error) {
    (options.errors ?? stderrErrorStream).write(`tsgi: could not build the environ: ${describeError(error)}\n`);
    socket.end("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "latin1");
    return { status: "500 Internal Server Error", bytesSent: 0, error, aborted: false };
  }

  const report = options.onError ?? ((error: unknown) => (environ["tsgi.errors"] ?? stderrErrorStream).write(`tsgi: WebSocket app failed: ${describeError(error)}\n`));
  const accepted = () => websocket.state !== "pending" && websocket.state !== "rejected";
  const session = async (env: Environ, startResponse: StartResponse): Promise<ResponseBody> => {
    const guarded: StartResponse = (status, headers, excInfo) => {
      if (accepted()) throw new WebSocketStateError("startResponse() after accept(): the connection is a WebSocket now; close it with websocket.close(code, reason)");
      websocket.markRejected();
      answeredOverHttp = true;
      return startResponse(status, headers, excInfo);
    };
    let body: ResponseBody;
    try {
      body = await callApplication(app, env, guarded);
    } catch (error) {
      if (!accepted()) throw error; // answered over HTTP as any app error: a 500
      report(error, env);
      await websocket.close(CLOSE_INTERNAL_ERROR).catch(() => undefined);
      return answerAccepted(startResponse, []);
    }
    if (accepted()) {
      // The app's call spans the connection: once it returns, the server ends an open socket normally.
      if (websocket.state === "open") await websocket.close(1000).catch(() => undefined);
      else await websocket.closed;
      return answerAccepted(startResponse, body);
    }
    if (closedBeforeAccept && !answeredOverHttp) {
      // close() before accept() is the short way to refuse (ASGI's too): 403, the app's body unused.
      await body.close?.();
      startResponse("403 Forbidden", [["Content-Type", "text/plain; charset=utf-8"]]);
      return [FORBIDDEN];
    }
    return body;
  };

  options.tracker?.add(websocket);
  try {
    const result = await runApplication(session, environ, sink, options);
    return accepted() ? { status: SWITCHING, bytesSent: 0, error: result.error, aborted: false } : result;
  } finally {
    options.tracker?.delete(websocket);
  }
}

const FORBIDDEN = new TextEncoder().encode("403 Forbidden\n");

/**
 * After an accepted session, `runApplication` still expects a response: a status that never
 * reaches the wire (the sink ignores everything once the 101 went out through `ws`).
 */
function answerAccepted(startResponse: StartResponse, body: ResponseBody): ResponseBody {
  startResponse("200 OK", []);
  return body;
}

function completeHandshake(request: WebSocketRequest, options: WebSocketAcceptOptions, maxPayload: number, perMessageDeflate: boolean): WebSocket {
  const extra = (options.headers ?? []).map(([name, value]) => {
    const lower = name.toLowerCase();
    if (!isToken(name) || hasInvalidValueChars(value) || HOP_BY_HOP_HEADERS.has(lower) || lower.startsWith("sec-websocket-")) {
      throw new WebSocketStateError(`accept() header ${JSON.stringify(name)} cannot be sent: use a valid field that is not hop-by-hop or Sec-WebSocket-* (choose the subprotocol with the subprotocol option)`);
    }
    return `${name}: ${value}`;
  });
  const server = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload, perMessageDeflate, handleProtocols: () => options.subprotocol ?? false });
  if (extra.length > 0) server.on("headers", (lines: string[]) => void lines.push(...extra));
  let opened: WebSocket | undefined;
  server.handleUpgrade(request.request ?? incomingMessage(request), request.socket, request.buffered, (socket) => {
    opened = socket;
  });
  if (opened === undefined) throw new WebSocketStateError("the client went away before the handshake completed");
  // A server that paused the socket while the app decided (tsgi-worker's engine) lets ws read it now.
  request.socket.resume();
  return opened;
}

/** The request object `ws` reads (method, url, headers) for servers that parse HTTP themselves. */
function incomingMessage(request: WebSocketRequest): IncomingMessage {
  const message = new IncomingMessage(request.socket);
  message.method = request.head.method;
  message.url = request.head.target;
  message.httpVersion = request.head.httpVersion;
  message.headers = headerRecord(request.head.rawHeaders);
  return message;
}
