import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** What {@link trackConnections} knows of one open connection. */
interface ConnectionState {
  /** Responses begun and not yet finished on it. */
  responses: Set<ServerResponse>;
  /** At least one response finished on it: a client holding it open is keeping it alive. */
  served: boolean;
  /** Being closed by {@link ConnectionDrain.drain}: nothing more is answered on it. */
  closing: boolean;
}

/** The connections of an HTTP server, and a way to stop serving them without cutting a response. */
export interface ConnectionDrain {
  /**
   * Call first thing for each request. False when the request came in on a
   * connection being closed: it was destroyed and the request must not be
   * answered (the client retries it on a new connection).
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * Stops keeping connections alive: in-flight responses not yet begun are
   * sent with `Connection: close`, kept-alive connections are closed as soon as
   * they are idle. Resolves once no connection is left.
   */
  drain(): Promise<void>;
}

/**
 * Tracks the connections of `httpServer` for a graceful stop. Node's own
 * `closeIdleConnections()` cannot be used: it only knows the connections of a
 * server that called `listen()`, and does nothing for one that is handed its
 * sockets (`emit("connection")`), as an app process under autoreload is. Its
 * kept-alive connections would then go on being answered by the old code.
 *
 * A connection that has not served a response yet is left open when draining:
 * its first request, most likely already sent, is answered (with
 * `Connection: close`) rather than cut.
 *
 * @example
 * const connections = trackConnections(httpServer);
 * const handle = (req, res) => { if (connections.admit(req, res)) void listener(req, res); };
 * await connections.drain();
 */
export function trackConnections(httpServer: Server): ConnectionDrain {
  const states = new Map<Socket, ConnectionState>();
  let draining: { resolve(): void } | undefined;

  const settleIfDrained = (): void => {
    if (draining && states.size === 0) draining.resolve();
  };
  const closeIfIdle = (socket: Socket, state: ConnectionState): void => {
    if (!draining || state.responses.size > 0 || !state.served || state.closing) return;
    state.closing = true;
    // end() first: the last response may still sit in the socket's write buffer.
    socket.end(() => socket.destroy());
  };

  httpServer.on("connection", (socket: Socket) => {
    states.set(socket, { responses: new Set(), served: false, closing: false });
    socket.once("close", () => {
      states.delete(socket);
      settleIfDrained();
    });
  });

  return {
    admit(req, res) {
      const socket = req.socket;
      const state = states.get(socket);
      if (state?.closing) {
        socket.destroy();
        return false;
      }
      if (draining) res.shouldKeepAlive = false;
      if (!state) return true;
      state.responses.add(res);
      res.once("close", () => {
        state.responses.delete(res);
        state.served = true;
        closeIfIdle(socket, state);
      });
      return true;
    },
    drain() {
      return new Promise<void>((resolve) => {
        draining = { resolve };
        for (const [socket, state] of states) {
          for (const res of state.responses) if (!res.headersSent) res.shouldKeepAlive = false;
          closeIfIdle(socket, state);
        }
        settleIfDrained();
      });
    },
  };
}
