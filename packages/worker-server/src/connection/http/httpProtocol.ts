import type net from "node:net";
import { WebSocketTracker, type Application, type Environ } from "tsgi";
import type { IpAllowList } from "../../proxy/ipAllowList.js";
import type { ProxiedAddress } from "../../proxy/proxyProtocol.js";
import { InFlightCounter } from "../inFlight.js";
import { resolveLimits } from "../limits.js";
import type { HttpServerOptions } from "../options.js";
import type { RequestObserver } from "../requestObserver.js";
import { resolveTimeouts } from "../timeouts.js";
import { createTlsTerminator } from "../tls.js";
import type { ConnectionProtocol } from "../types.js";
import type { HttpContext } from "./context.js";
import { HttpConnection } from "./httpConnection.js";
import { describeError } from "tsgi/helpers";

/** How long a connection must have been idle before draining closes it, unless the caller says otherwise. */
export const DEFAULT_DRAIN_GRACE_MS = 250;

/**
 * HTTP/1.1 (or HTTPS) spoken by the worker itself on the sockets its acceptors own: one
 * {@link HttpConnection} per socket, one sweep timer for every connection's timeouts, and the
 * drain mode that retires connections without racing a client that is sending.
 *
 * @example
 * const protocol = new HttpProtocol(app, { keepAlive: 75 }, observer, parseIpAllowList("127.0.0.1"));
 * acceptor.on("connection", (socket) => protocol.handleConnection(socket));
 * protocol.startDraining(250); // on TERM: each connection closes after its current or next response
 */
export class HttpProtocol implements ConnectionProtocol {
  readonly inFlight = new InFlightCounter();
  readonly #connections = new Set<HttpConnection>();
  readonly #context: HttpContext & { draining: boolean; drainGraceMs: number };
  readonly #accept: (socket: net.Socket, proxied?: ProxiedAddress) => void;
  readonly #sweepIntervalMs: number;
  #sweep: NodeJS.Timeout | undefined;
  #closedWaiters: Array<() => void> = [];

  constructor(app: Application, options: HttpServerOptions, observer: RequestObserver, forwardedTrust: IpAllowList) {
    const timeouts = resolveTimeouts(options);
    const errors = options.errors;
    this.#sweepIntervalMs = timeouts.checkIntervalMs;
    this.#context = {
      app: observer.wrap(app),
      limits: resolveLimits(options),
      timeouts,
      observer,
      environSettings: {
        multiprocess: true,
        multithread: false,
        ...(options.scriptName !== undefined ? { scriptName: options.scriptName } : {}),
        ...(errors !== undefined ? { errors } : {}),
        ...(options.state !== undefined ? { state: options.state } : {}),
      },
      websockets: options.websocket === false ? undefined : new WebSocketTracker(),
      websocketOptions: options.websocket === false ? {} : (options.websocket ?? {}),
      forwardedTrust,
      inFlight: this.inFlight,
      keepAliveLines: `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.round(timeouts.keepAliveMs / 1000)}\r\n`,
      draining: false,
      drainGraceMs: DEFAULT_DRAIN_GRACE_MS,
      reportError: (error: unknown, environ?: Environ) => {
        if (options.onError) return options.onError(error);
        const text = `tsgi-worker: error in app: ${describeError(error)}\n`;
        if (environ !== undefined) environ["tsgi.errors"].write(text);
        else if (errors !== undefined) errors.write(text);
        else process.stderr.write(text);
      },
    };
    const open = (scheme: string) => (socket: net.Socket, proxied: ProxiedAddress | undefined) => {
      const connection = new HttpConnection(socket, this.#context, proxied, scheme, this.#closed);
      this.#connections.add(connection);
      this.#startSweep();
    };
    if (options.tls !== undefined) {
      this.#accept = createTlsTerminator(options.tls, timeouts.headersMs || 60_000, open("https"));
    } else {
      const plain = open("http");
      this.#accept = (socket, proxied) => {
        // Sockets from our acceptors or from a handle the master passed do not get node:http's
        // noDelay: without it Nagle's algorithm delays small responses.
        socket.setNoDelay(true);
        plain(socket, proxied);
      };
    }
  }

  get connections(): number {
    return this.#connections.size;
  }

  handleConnection(socket: net.Socket, proxied?: ProxiedAddress): void {
    this.#accept(socket, proxied);
  }

  startDraining(graceMs: number): void {
    const context = this.#context;
    if (!context.draining) {
      context.draining = true;
      context.drainGraceMs = graceMs;
      // Sweep often enough that an idle connection closes soon after its grace.
      this.#restartSweep(Math.max(10, Math.min(this.#sweepIntervalMs, Math.floor(graceMs / 4))));
    }
    this.closeIdleConnections();
  }

  whenClosed(): Promise<void> {
    if (this.#connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#closedWaiters.push(resolve));
  }

  closeIdleConnections(): void {
    const now = performance.now();
    for (const connection of this.#connections) connection.closeIfIdle(now);
  }

  /** Closes every open WebSocket with `code` (1001 when a graceful stop ran out of time), waiting for their close handshakes. */
  closeWebSockets(code: number, reason: string): Promise<void> {
    return this.#context.websockets?.closeAll(code, reason, 1_000) ?? Promise.resolve();
  }

  /** Open WebSockets, for the stats. */
  get websockets(): number {
    return this.#context.websockets?.size ?? 0;
  }

  destroyConnections(): void {
    this.#restartSweep(0);
    for (const connection of this.#connections) connection.destroy();
  }

  readonly #closed = (connection: HttpConnection): void => {
    this.#connections.delete(connection);
    if (this.#connections.size === 0) for (const resolve of this.#closedWaiters.splice(0)) resolve();
  };

  #startSweep(): void {
    if (this.#sweep === undefined) this.#restartSweep(this.#context.draining ? 10 : this.#sweepIntervalMs);
  }

  #restartSweep(intervalMs: number): void {
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    this.#sweep = undefined;
    if (intervalMs <= 0) return;
    this.#sweep = setInterval(() => {
      const now = performance.now();
      for (const connection of this.#connections) connection.sweep(now);
    }, intervalMs);
    this.#sweep.unref();
  }
}
