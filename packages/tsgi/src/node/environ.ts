import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { assembleEnviron } from "../environ/assembleEnviron.js";
import type { ConnectionInfo, EnvironSettings, RequestHead } from "../environ/types.js";
import { createInputStream } from "../input/inputStream.js";
import type { Environ } from "../types.js";

export { splitScriptName } from "../environ/scriptName.js";

/** How a server builds environs from Node requests: the assembler's settings plus the node-specific parts. */
export interface EnvironOptions extends EnvironSettings {
  /** `tsgi.url_scheme`; by default `https` on TLS sockets, `http` otherwise. */
  urlScheme?: string;
  /**
   * The server's own keys for each request (`RAW_URI`, `myserver.*`): the declared extension point
   * of `assembleEnviron`, so they may add keys but never replace one it owns (that throws `ReservedEnvironKeyError`).
   */
  serverKeys?(req: IncomingMessage): Readonly<Record<string, unknown>> | undefined;
  /**
   * Keys assigned over the built environ, replacing any.
   * @deprecated Patches the environ after the assembler built it; use `serverKeys` (and ConnectionInfo facts
   * through `assembleEnviron`). Kept for tsgi-worker's node:http protocol until it builds its environ itself.
   */
  extraEnviron?(req: IncomingMessage): Record<string, unknown>;
}

const EMPTY_BODY: Iterable<Uint8Array> = [];

/**
 * The request head of a Node request, as `assembleEnviron` and `checkRequestHead` take it.
 *
 * @example
 * checkRequestHead(nodeRequestHead(req), GUNICORN_HEAD_LIMITS);
 */
export function nodeRequestHead(req: IncomingMessage): RequestHead {
  return { method: req.method ?? "GET", target: req.url ?? "/", httpVersion: req.httpVersion, rawHeaders: req.rawHeaders };
}

/**
 * The connection facts of a Node request: its socket's addresses and the scheme
 * (`urlScheme`, else `https` on a TLS socket).
 *
 * @example
 * nodeConnectionInfo(req).remoteAddress; // "127.0.0.1"
 */
export function nodeConnectionInfo(req: IncomingMessage, urlScheme?: string): ConnectionInfo {
  const socket = req.socket;
  return {
    remoteAddress: socket?.remoteAddress,
    remotePort: socket?.remotePort,
    localAddress: socket?.localAddress,
    localPort: socket?.localPort,
    scheme: urlScheme ?? ((socket as TLSSocket | undefined)?.encrypted ? "https" : "http"),
  };
}

/**
 * Builds the environ for a Node request through `assembleEnviron` (the node adapter).
 * `onFirstRead` runs when the app first reads `tsgi.input` (for `100 Continue`).
 *
 * @example
 * const environ = buildEnviron(req, { multiprocess: true });
 */
export function buildEnviron(req: IncomingMessage, options: EnvironOptions = {}, onFirstRead?: () => void): Environ {
  const headers = req.headers;
  const hasBody = headers["content-length"] !== undefined || headers["transfer-encoding"] !== undefined;
  const input = createInputStream(hasBody ? req : EMPTY_BODY, { onFirstRead });
  const environ = assembleEnviron(nodeRequestHead(req), nodeConnectionInfo(req, options.urlScheme), input, options, options.serverKeys?.(req));
  if (options.extraEnviron) Object.assign(environ, options.extraEnviron(req));
  return environ;
}
