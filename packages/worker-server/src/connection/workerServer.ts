import type net from "node:net";
import type { AccessLog } from "../log/accessLog.js";
import type { ProxiedAddress } from "../proxy/proxyProtocol.js";
import { Acceptors } from "./acceptors.js";
import { DEFAULT_DRAIN_GRACE_MS } from "./http/httpProtocol.js";
import type { ConnectionProtocol, ServeTarget, WorkerHttpServer } from "./types.js";

/**
 * One worker's server, whatever the protocol: acceptors on the arbiter's sockets feed a
 * protocol; stopping follows Gunicorn's graceful shutdown (stop accepting, let in-flight
 * requests finish, close keep-alive connections, then force what is left after the timeout),
 * with a drain mode that never closes a connection a client may be sending on.
 */
export class WorkerServer implements WorkerHttpServer {
  readonly #acceptors: Acceptors;
  #closed = false;

  constructor(
    private readonly protocol: ConnectionProtocol,
    onConnection: (socket: net.Socket, proxied?: ProxiedAddress) => void,
    private readonly accessLog: AccessLog | undefined,
  ) {
    this.#acceptors = new Acceptors((socket) => onConnection(socket));
  }

  get inFlight(): number {
    return this.protocol.inFlight.count;
  }

  get connections(): number {
    return this.protocol.connections;
  }

  get websockets(): number {
    return this.protocol.websockets ?? 0;
  }

  serve(target: ServeTarget): Promise<void> {
    return this.#acceptors.add(target);
  }

  stopAccepting(): void {
    this.#acceptors.stop();
  }

  startDraining(graceMs = DEFAULT_DRAIN_GRACE_MS): void {
    this.protocol.startDraining(graceMs);
  }

  closeIdleConnections(): void {
    this.protocol.closeIdleConnections();
  }

  async drain(timeoutMs: number): Promise<void> {
    this.stopAccepting();
    this.startDraining();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    // Every connection closes by itself once drained: after its in-flight response, or idle past the grace.
    await Promise.race([Promise.all([this.protocol.inFlight.whenIdle(), this.protocol.whenClosed()]), timedOut]);
    clearTimeout(timer);
    // WebSockets still open past the graceful timeout are told the server is going away (1001), not cut.
    await this.protocol.closeWebSockets?.(1001, "server shutting down");
    await this.close();
  }

  async close(): Promise<void> {
    this.stopAccepting();
    if (this.#closed) return;
    this.#closed = true;
    this.protocol.destroyConnections();
    this.accessLog?.close();
  }

  closeWebSockets(code: number, reason: string): Promise<void> {
    return this.protocol.closeWebSockets?.(code, reason) ?? Promise.resolve();
  }

  reopenLogs(): void {
    this.accessLog?.reopen();
  }

  addresses(): Array<net.AddressInfo | string> {
    return this.#acceptors.addresses();
  }
}
