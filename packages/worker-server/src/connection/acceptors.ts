import net from "node:net";
import type { ServeTarget } from "./types.js";

/** The listen queue of a socket `serve()` binds itself (Gunicorn's and `--backlog`'s default). */
const DEFAULT_BACKLOG = 2048;

/** Thrown when `serve()` cannot listen on a target. */
export class ServeError extends Error {
  constructor(target: string, cause: unknown) {
    super(`cannot serve on ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ServeError";
  }
}

/**
 * The listening sockets of one worker. Each accepted connection is handed to `onConnection`
 * (the protocol), so one protocol instance serves any number of binds, and a listening
 * handle received from the arbiter is used as it is (the kernel balances accepts between workers).
 */
export class Acceptors {
  readonly #servers: net.Server[] = [];

  constructor(private readonly onConnection: (socket: net.Socket) => void) {}

  /** Accepts connections on `target`; resolves once it is listening. */
  async add(target: ServeTarget): Promise<void> {
    const server = target instanceof net.Server ? target : net.createServer({ noDelay: true, allowHalfOpen: true });
    server.on("connection", this.onConnection);
    this.#servers.push(server);
    if (server.listening) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(new ServeError(describe(target), error));
      server.once("error", onError);
      // A fresh bind gets --backlog's default rather than Node's 511: a burst of connections must not overflow it.
      const options = target instanceof net.Server || "fd" in target || target.backlog !== undefined ? target : { ...target, backlog: DEFAULT_BACKLOG };
      server.listen(options, () => {
        server.off("error", onError);
        resolve();
      });
    });
  }

  /** Stops accepting (the arbiter's sockets stay open in the master and in other workers). */
  stop(): void {
    for (const server of this.#servers.splice(0)) {
      server.off("connection", this.onConnection);
      if (server.listening) server.close();
    }
  }

  addresses(): Array<net.AddressInfo | string> {
    return this.#servers.map((server) => server.address()).filter((address) => address !== null);
  }
}

function describe(target: ServeTarget): string {
  if (target instanceof net.Server) return "a listening server";
  if ("fd" in target) return `fd ${target.fd}`;
  const options = target as net.ListenOptions;
  return options.path ? `unix:${options.path}` : `${options.host ?? "0.0.0.0"}:${options.port ?? 0}`;
}
