/**
 * The worker's connection layer as the rest of the worker sees it: what one worker's server
 * offers (`WorkerHttpServer`), the per-request callbacks it makes (`RequestEvents`), and the
 * interface each wire protocol implements (`ConnectionProtocol`). Interfaces only: every module
 * of the layer imports them from here, and nothing here imports back.
 */
import type net from "node:net";
import type { Environ } from "tsgi";
import type { ProxiedAddress } from "../proxy/proxyProtocol.js";
import type { InFlightCounter } from "./inFlight.js";

/** How one request ended (structurally the core's `RunResult`). */
export interface RequestOutcome {
  /** The status line the app chose, e.g. `"200 OK"`; absent when no response was started. */
  status?: string;
  /** Body bytes written to the client. */
  bytesSent: number;
  /** The app's error, when it raised one. */
  error?: unknown;
  /** True when the connection was cut (client gone, or app failed after headers). */
  aborted: boolean;
}

/** Per-request callbacks, for `preRequest`/`postRequest` hooks, stats and `--max-requests`. */
export interface RequestEvents {
  /** Called before the app sees the request (a throw becomes a 500). */
  onRequest?(environ: Environ): void;
  /** Called after the response is finished (or aborted), with its duration in milliseconds. */
  onResponse?(environ: Environ, outcome: RequestOutcome, durationMs: number): void;
}

/** Something `serve()` can listen on: a listening `net.Server` or handle received from the master, an inherited fd, or a fresh bind. */
export type ServeTarget = net.Server | { fd: number } | net.ListenOptions;

/** One worker's server: serves connections from the sockets the arbiter gives it. */
export interface WorkerHttpServer {
  /** Starts accepting on `target` (may be called once per bound socket); resolves once listening. */
  serve(target: ServeTarget): Promise<void>;
  /** Stops accepting new connections; existing ones keep being served. */
  stopAccepting(): void;
  /**
   * Enters drain mode without waiting (idempotent): every connection finishes the request it is
   * serving, answers the next request it reads with `Connection: close`, and an idle connection
   * is closed once it has been idle for `graceMs` (so a client that is sending never races a FIN).
   */
  startDraining(graceMs?: number): void;
  /** Closes keep-alive connections that have no request in progress (after the drain grace, when draining). */
  closeIdleConnections(): void;
  /**
   * Graceful stop: stop accepting, drain (as `startDraining`), let in-flight requests finish (their
   * connections close after the response), then close. After `timeoutMs` remaining connections are destroyed.
   */
  drain(timeoutMs: number): Promise<void>;
  /** Quick stop: destroys every connection now. */
  close(): Promise<void>;
  /** Closes every open WebSocket now with `code` (1012 on a development reload), waiting for the close handshakes. */
  closeWebSockets(code: number, reason: string): Promise<void>;
  /** Reopens the access log file (on `USR1`, for logrotate). */
  reopenLogs(): void;
  /** Requests started and not yet finished. */
  readonly inFlight: number;
  /** Open client connections (idle keep-alive ones included). */
  readonly connections: number;
  /** Open WebSockets (each also counts in `inFlight` and `connections`); 0 when the protocol serves none. */
  readonly websockets: number;
  /** Addresses currently listened on (for "Listening at:" lines and tests). */
  addresses(): Array<net.AddressInfo | string>;
}

/** A wire protocol spoken on accepted connections (HTTP/1.1 or uwsgi), as the worker server drives it. */
export interface ConnectionProtocol {
  /** Takes over a freshly accepted (or PROXY-unwrapped) connection; `proxied` is the client its PROXY preamble named. */
  handleConnection(socket: net.Socket, proxied?: ProxiedAddress): void;
  /** Requests in progress. */
  readonly inFlight: InFlightCounter;
  /** Open connections. */
  readonly connections: number;
  /** From now on every response closes its connection; idle connections close after `graceMs` of silence. */
  startDraining(graceMs: number): void;
  /** Resolves once no connection is left open (all closed by draining), or never if some stay busy. */
  whenClosed(): Promise<void>;
  /** Closes connections with no request in progress. */
  closeIdleConnections(): void;
  /** Destroys every connection now and stops timers. */
  destroyConnections(): void;
  /** Open WebSockets, for protocols that serve them. */
  readonly websockets?: number;
  /** Closes open WebSockets with `code` (SPEC.md, "WebSocket": 1001 on stop), for protocols that serve them. */
  closeWebSockets?(code: number, reason: string): Promise<void>;
}
