import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type net from "node:net";
import type { Application, Environ } from "tsgi";
import { toNodeListener, type NodeListener } from "tsgi/node";
import { ContradictorySchemeHeadersError, resolveClientOrigin, type ClientOrigin } from "../proxy/forwarded.js";
import type { IpAllowList } from "../proxy/ipAllowList.js";
import { proxiedAddress } from "../proxy/proxyProtocolGate.js";
import { workerEnvironKeys } from "./environKeys.js";
import { handleClientError } from "./clientErrors.js";
import { InFlightCounter } from "./inFlight.js";
import { resolveLimits, type RequestLimits } from "./limits.js";
import { createNodeServer } from "./nodeServer.js";
import type { HttpServerOptions } from "./options.js";
import type { ConnectionProtocol } from "./protocol.js";
import { closeAfter, reject, rejectionBytes, respondWithRejection, type Rejection } from "./rejection.js";
import { checkRequestHead } from "./requestHead.js";
import { createRequestLineGate } from "./requestLineGate.js";
import { REQUEST_STATE, newRequestState, type RequestObserver, type RequestState } from "./requestObserver.js";
import { resolveTimeouts, type ConnectionTimeouts } from "./timeouts.js";

/** The state of a request the app is serving, on its IncomingMessage (a WeakMap per request is measurably slower for the GC). */
const PENDING: unique symbol = Symbol("tsgi-worker.pending");
type TrackedRequest = IncomingMessage & { [PENDING]?: RequestState };

/**
 * HTTP/1.1 (or HTTPS) on node:http, whose llhttp parser is strict and fast: keep-alive,
 * pipelining, chunked both ways, `100 Continue` when the app reads, HEAD. On top of it the
 * worker adds Gunicorn's request limits, the framing checks llhttp leaves to servers, trusted
 * proxy headers, and a clean answer-then-close for every malformed request.
 */
export class NodeHttpProtocol implements ConnectionProtocol {
  readonly inFlight = new InFlightCounter();
  readonly #server: Server;
  readonly #listener: NodeListener;
  readonly #limits: RequestLimits;
  readonly #timeouts: ConnectionTimeouts;
  /** Connections that end after a refused request: nothing more read on them reaches the app. */
  readonly #closing = new WeakSet<net.Socket>();
  readonly #active = new Set<ServerResponse>();
  readonly #rawSockets = new Set<net.Socket>();
  #draining = false;
  /** Where a newly accepted connection goes first (the request-line gate, or TLS). */
  readonly #accept: (socket: net.Socket) => void;

  constructor(
    app: Application,
    options: HttpServerOptions,
    private readonly observer: RequestObserver,
    private readonly forwardedTrust: IpAllowList,
  ) {
    this.#limits = resolveLimits(options);
    this.#timeouts = resolveTimeouts(options);
    this.#listener = toNodeListener(observer.wrap(app), {
      multiprocess: true,
      multithread: false,
      ...(options.scriptName !== undefined ? { scriptName: options.scriptName } : {}),
      ...(options.errors !== undefined ? { errors: options.errors } : {}),
      onError: (error, environ) => reportAppError(error, environ, options),
      extraEnviron: (req) => this.#extraEnviron(req),
    });
    this.#server = createNodeServer(this.#limits, this.#timeouts, options.tls);
    this.#server.maxHeadersCount = this.#limits.fields + 1; // one more than allowed, so "too many" is seen without storing thousands
    this.#server.on("request", this.#handle);
    this.#server.on("checkContinue", this.#handle);
    this.#server.on("clientError", (error: Error, socket: net.Socket) =>
      handleClientError(error, socket, this.#limits, (req) => {
        const state = (req as TrackedRequest)[PENDING];
        if (state) state.bodyRefused = true;
      }),
    );
    this.#server.on("connect", (_req: IncomingMessage, socket: net.Socket) => {
      closeAfter(socket, rejectionBytes(reject(501, "CONNECT is not supported by this server")));
    });
    // Connections come from our own acceptors, not from listen(): this starts Node's
    // connection tracking (head/request timeouts, closeIdleConnections) all the same.
    this.#server.emit("listening");
    this.#accept = this.#gateRequestLines(options.tls !== undefined);
  }

  /**
   * Puts the request-line gate (immediate 414) in front of node:http: on the raw socket for
   * HTTP, on the decrypted TLSSocket (between the handshake and node:http) for HTTPS.
   */
  #gateRequestLines(tls: boolean): (socket: net.Socket) => void {
    const headersMs = this.#timeouts.headersMs;
    // A gate paused the socket and put bytes back: once node:http listens, let them flow.
    const resumed = (socket: net.Socket) => {
      if (socket.isPaused()) socket.resume();
    };
    if (!tls) {
      return createRequestLineGate((socket) => {
        this.#server.emit("connection", socket);
        resumed(socket);
      }, this.#limits, headersMs);
    }
    const [httpListener] = this.#server.listeners("secureConnection") as Array<(socket: net.Socket) => void>;
    if (httpListener !== undefined) {
      this.#server.removeListener("secureConnection", httpListener);
      this.#server.on(
        "secureConnection",
        createRequestLineGate((socket) => {
          httpListener.call(this.#server, socket);
          resumed(socket);
        }, this.#limits, headersMs),
      );
    }
    // The raw socket goes to the TLS layer, which reads bytes a PROXY gate put back itself.
    return (socket) => this.#server.emit("connection", socket);
  }

  handleConnection(socket: net.Socket): void {
    // Sockets come from our acceptors or from a handle the master passed, not from node:http's
    // own listener, so its noDelay option does not reach them: without it Nagle delays responses.
    socket.setNoDelay(true);
    this.#rawSockets.add(socket);
    socket.once("close", () => this.#rawSockets.delete(socket));
    this.#accept(socket);
  }

  startDraining(): void {
    this.#draining = true;
    for (const res of this.#active) if (!res.headersSent) res.shouldKeepAlive = false;
    this.#server.closeIdleConnections();
  }

  closeIdleConnections(): void {
    this.#server.closeIdleConnections();
  }

  destroyConnections(): void {
    this.#server.closeAllConnections();
    for (const socket of this.#rawSockets) socket.destroy();
    this.#server.close(() => {}); // stops Node's timeout checker
  }

  readonly #handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (this.#closing.has(req.socket)) return; // pipelined after a refused request: never parsed for the app
    this.inFlight.start();
    this.#active.add(res);
    if (this.#timeouts.keepAliveMs === 0 || this.#draining) res.shouldKeepAlive = false;

    const state = newRequestState();
    let origin: ClientOrigin | undefined;
    let rejection = checkRequestHead(req, this.#limits);
    if (rejection === undefined) {
      try {
        const peer = proxiedAddress(req.socket)?.address ?? req.socket.remoteAddress;
        origin = resolveClientOrigin(peer, req.headers, this.forwardedTrust);
      } catch (error) {
        if (!(error instanceof ContradictorySchemeHeadersError)) throw error;
        rejection = reject(400, error.message);
      }
    }
    if (rejection !== undefined) {
      this.#refuse(req, res, rejection);
      this.#done(res);
      return;
    }
    state.origin = origin;
    (req as TrackedRequest)[PENDING] = state;
    void this.#listener(req, res).then((result) => {
      try {
        this.observer.complete(state, result);
      } finally {
        this.#done(res); // a failing hook or log must never leave the request counted in flight
      }
    });
  };

  #done(res: ServerResponse): void {
    this.#active.delete(res);
    this.inFlight.finish();
    // While draining, close each connection as soon as its response is out (it is then idle).
    if (this.#draining) {
      const closeIdle = () => setImmediate(() => this.#server.closeIdleConnections());
      if (res.writableFinished) closeIdle();
      else res.once("finish", closeIdle);
    }
  }

  /** Answers a refused request and closes its connection (what follows on it is never parsed for the app). */
  #refuse(req: IncomingMessage, res: ServerResponse, rejection: Rejection): void {
    const socket = req.socket;
    this.#closing.add(socket);
    // Node ends a `Connection: close` response with destroySoon(), which destroys the socket as
    // soon as the answer is written: unread client bytes would then reset the connection and the
    // client could lose the answer. Linger instead, as for parse errors.
    (socket as net.Socket & { destroySoon(): void }).destroySoon = () => closeAfter(socket);
    respondWithRejection(res, rejection);
  }
  #extraEnviron(req: IncomingMessage): Record<string, unknown> {
    const state = (req as TrackedRequest)[PENDING];
    return workerEnvironKeys(req, state?.origin, state);
  }
}

/** Errors that follow a refused request body are the client's doing: not logged as app errors. */
function reportAppError(error: unknown, environ: Environ, options: HttpServerOptions): void {
  if ((environ as unknown as Record<symbol, RequestState | undefined>)[REQUEST_STATE]?.bodyRefused) return;
  if (options.onError) return options.onError(error);
  environ["tsgi.errors"].write(`tsgi-worker: error in app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}
