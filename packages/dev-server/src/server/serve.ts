import type { Application } from "tsgi";
import { buildDevApplication } from "./devApp.js";
import type { DevApplicationOptions } from "./devApp.js";
import { makeServer } from "./makeServer.js";
import type { DevServer, MakeServerOptions } from "./makeServer.js";

/** Options for {@link serve}. */
export interface ServeOptions extends DevApplicationOptions, Omit<MakeServerOptions, "onError"> {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Wrap the app in the `tsgi` validator. Default false here (`tsgi-dev` turns it on). */
  validate?: boolean;
  /** Answer errors raised before headers with the debug page. Default false here (`tsgi-dev` turns it on). */
  debug?: boolean;
}

/** A running server, as {@link serve} resolves it. */
export interface ServingHandle {
  url: string;
  host: string;
  port: number;
  server: DevServer;
  close(): Promise<void>;
}

/**
 * Serves an app until `close()`, for scripts and tests. By default it is the
 * plain reference server (like wsgiref's `make_server` + `serve_forever`, with a
 * bare 500 that reveals nothing); `tsgi-dev`'s features are opt-in: the
 * validator, the debug page, static files and an access log hook.
 *
 * @example
 * const { url, close } = await serve(app, { port: 0, validate: true, debug: true });
 * const response = await fetch(url);
 * await close();
 */
export async function serve(app: Application, options: ServeOptions = {}): Promise<ServingHandle> {
  const { host = "127.0.0.1", port = 8000, validate = false, debug = false, staticMounts, onError, ...listenerOptions } = options;
  const devApp = buildDevApplication(app, { validate, debug, staticMounts, onError });
  const server = await makeServer(host, port, devApp, { ...listenerOptions, ...(onError ? { onError } : {}) });
  void server.serveForever();
  return { url: server.url, host: server.host, port: server.port, server, close: () => server.close() };
}
