import type { Server } from "node:net";
import { CannotBindError, formatHostPort } from "../errors.js";
import type { TextSink } from "../log/errorLog.js";

const BIND_REASONS: Record<string, string> = {
  EADDRINUSE: "address in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "address not available on this machine",
  ENOTFOUND: "unknown host",
  EAI_AGAIN: "unknown host",
};

/** Options for {@link listenOn}. */
export interface ListenOptions {
  /**
   * When the port is taken, try up to this many following ports (as Vite does when no port was
   * asked for explicitly); 0 (the default) fails at once, for a port the user chose.
   */
  tryNextPorts?: number;
  /** Told about each taken port before the next one is tried. */
  onPortInUse?(port: number): void;
}

/**
 * Starts `server` listening and resolves with the bound port. A bind failure (port
 * taken, no permission, unknown host) rejects with a `CannotBindError` whose message
 * a person can act on; a taken port names how to choose another.
 *
 * @example
 * await listenOn(server, "127.0.0.1", 8000, { tryNextPorts: 10 });
 */
export async function listenOn(server: Server, host: string, port: number, options: ListenOptions = {}): Promise<number> {
  const tries = port === 0 ? 0 : Math.min(options.tryNextPorts ?? 0, 65535 - port);
  for (let attempt = 0; ; attempt++) {
    try {
      await listenOnce(server, host, port + attempt);
      return port + attempt;
    } catch (error) {
      if (!(error instanceof CannotBindError) || error.code !== "EADDRINUSE" || attempt >= tries) throw error;
      options.onPortInUse?.(port + attempt);
    }
  }
}

/**
 * The fallback for the CLI's default port: when neither --port nor PORT chose it, a taken port
 * moves on to the next ones (up to 10), saying so, as Vite does; a chosen port never moves.
 *
 * @example
 * await listenOn(server, host, port, portFallback({ portExplicit: false, stdout: process.stdout }));
 */
export function portFallback(options: { portExplicit?: boolean | undefined; stdout: TextSink }): ListenOptions {
  if (options.portExplicit !== false) return {};
  return { tryNextPorts: 10, onPortInUse: (port) => options.stdout.write(`Port ${port} is in use, trying another one...\n`) };
}

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off("listening", onListening);
      const reason = (error.code && BIND_REASONS[error.code]) ?? error.message;
      reject(new CannotBindError(host, port, reason, { cause: error, code: error.code }));
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ host, port });
  });
}

/** The URL a browser uses for a bound address; wildcard hosts are shown as localhost. */
export function urlFor(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" || host === "" ? "localhost" : host;
  return `http://${formatHostPort(shown, port)}/`;
}
