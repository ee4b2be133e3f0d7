import type { ServerWebSocket } from "./serverWebSocket.js";

/**
 * The WebSocket connections a server has open: counted as in flight (stats, graceful stop) and
 * closed together with one code when the server stops (1001) or reloads (1012).
 *
 * @example
 * const sockets = new WebSocketTracker();
 * attachWebSocket(server, app, { tracker: sockets });
 * // on shutdown, after the grace period:
 * await sockets.closeAll(1001, "server shutting down");
 */
export class WebSocketTracker {
  readonly #open = new Set<ServerWebSocket>();
  readonly #idleWaiters: Array<() => void> = [];

  /** Open (or being opened) WebSocket requests. */
  get size(): number {
    return this.#open.size;
  }

  add(socket: ServerWebSocket): void {
    this.#open.add(socket);
  }

  delete(socket: ServerWebSocket): void {
    this.#open.delete(socket);
    if (this.#open.size === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /** Resolves once no WebSocket is open (at once when none is). */
  idle(): Promise<void> {
    if (this.#open.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Closes every open WebSocket with `code` and resolves when all are closed; a socket whose
   * client does not answer the close frame within `timeout` ms is cut.
   */
  async closeAll(code: number, reason = "", timeout = 5_000): Promise<void> {
    const sockets = [...this.#open];
    await Promise.all(sockets.map(async (socket) => {
      if (socket.state === "pending" || socket.state === "rejected") return socket.terminate();
      const timer = setTimeout(() => socket.terminate(), timeout);
      timer.unref();
      try {
        await socket.close(code, reason);
      } finally {
        clearTimeout(timer);
      }
    }));
  }
}
