import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Application, RunResult } from "tsgi";
import { answerRefusedHeads, attachWebSocket } from "tsgi/node";
import { createDevListener, DEV_HEAD_LIMITS } from "./devListener.js";
import type { DevListenerOptions } from "./devListener.js";
import { listenOn, urlFor } from "./listen.js";

/** A bound server, in the shape of wsgiref's `WSGIServer`. */
export interface DevServer {
  /** `http://host:port/`, with the real port when 0 was asked for. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The underlying `node:http` server. */
  readonly httpServer: Server;
  /** Serves every request (concurrently) until `close()`; resolves once closed. */
  serveForever(): Promise<void>;
  /** Serves exactly one request (the next one to arrive) and resolves with what happened to it. */
  handleRequest(): Promise<RunResult>;
  /** Stops listening, lets in-flight requests finish, closes idle keep-alive connections. */
  close(): Promise<void>;
}

/** Options for {@link makeServer}: those of the listener (access log, error hooks, environ). */
export type MakeServerOptions = DevListenerOptions;

/** A request that arrived and waits for `serveForever()` or `handleRequest()`. */
interface PendingRequest {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * Binds `host:port` (0 picks a free port) and returns a server that serves `app`
 * once told to, like wsgiref's `make_server`. Requests that arrive before
 * `serveForever()`/`handleRequest()` wait for it. Throws `CannotBindError` when
 * the address is taken.
 *
 * @example
 * const server = await makeServer("127.0.0.1", 8000, demoApp);
 * console.log(`Serving on ${server.url}`);
 * await server.handleRequest(); // serve one request, then return
 * await server.close();
 */
export async function makeServer(host: string, port: number, app: Application, options: MakeServerOptions = {}): Promise<DevServer> {
  const listener = createDevListener(app, options);
  const pending: PendingRequest[] = [];
  const waiters: Array<(request: PendingRequest) => void> = [];
  let servingForever = false;
  let closing = false;
  let closed: Promise<void> | undefined;

  const run = async ({ req, res }: PendingRequest): Promise<RunResult> => {
    if (closing) res.shouldKeepAlive = false;
    try {
      return await listener(req, res);
    } finally {
      // After close(), a connection must not linger in keep-alive; it goes idle only after this tick.
      if (closing) setImmediate(() => httpServer.closeIdleConnections());
    }
  };
  const accept = (req: IncomingMessage, res: ServerResponse): void => {
    const request = { req, res };
    const waiter = waiters.shift();
    if (waiter) waiter(request);
    else if (servingForever) void run(request);
    else pending.push(request);
  };

  // A missing Host reaches the listener's head checks; heads node:http refuses itself, and CONNECT, get the same answers.
  const httpServer = answerRefusedHeads(createServer({ requireHostHeader: false }, accept), options.headLimits ?? DEV_HEAD_LIMITS);
  httpServer.on("checkContinue", accept);
  // WebSocket upgrades are served at once (they do not wait for serveForever()/handleRequest()).
  const { onRequestDone: _onRequestDone, ...webSocketOptions } = options;
  attachWebSocket(httpServer, app, { ...webSocketOptions, headLimits: options.headLimits ?? DEV_HEAD_LIMITS });
  await listenOn(httpServer, host, port);
  const address = httpServer.address() as AddressInfo;

  return {
    url: urlFor(host, address.port),
    host,
    port: address.port,
    httpServer,
    serveForever() {
      servingForever = true;
      for (const request of pending.splice(0)) void run(request);
      return new Promise<void>((resolve) => httpServer.once("close", () => resolve()));
    },
    async handleRequest() {
      const request = pending.shift() ?? (await new Promise<PendingRequest>((resolve) => waiters.push(resolve)));
      return run(request);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        httpServer.close(() => resolve());
        // Nobody will serve requests still waiting: tell their clients to come back later.
        for (const { res } of pending.splice(0)) {
          res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" }).end("Server is shutting down\n");
        }
        // In-flight responses finish (then their connections close, see run()); idle ones go now.
        httpServer.closeIdleConnections();
      });
      return closed;
    },
  };
}
