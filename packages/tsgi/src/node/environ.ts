import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { addRawRequestHeaders } from "../environ/headers.js";
import { decodePathInfo, splitRequestTarget } from "../environ/target.js";
import { fileWrapper } from "../file/fileWrapper.js";
import { stderrErrorStream } from "../input/errorStream.js";
import { createInputStream } from "../input/inputStream.js";
import type { Environ, ErrorStream, FileWrapper } from "../types.js";
export { splitScriptName } from "../environ/scriptName.js";
import { splitScriptName } from "../environ/scriptName.js";

/** How a server builds environs from Node requests. */
export interface EnvironOptions {
  /** Where the app is mounted; requests under it get it as `SCRIPT_NAME` and the rest as `PATH_INFO`. */
  scriptName?: string;
  /** `tsgi.url_scheme`; by default `https` on TLS sockets, `http` otherwise. */
  urlScheme?: string;
  /** `tsgi.multiprocess`: true under a pre-fork server. */
  multiprocess?: boolean;
  /** `tsgi.multithread`: false in Node unless the server runs apps in worker threads. */
  multithread?: boolean;
  /** `tsgi.errors` (default: standard error). */
  errors?: ErrorStream;
  /** `tsgi.file_wrapper` (default: the reference FileWrapper; `null` leaves the key out). */
  fileWrapper?: FileWrapper | null;
  /** Server-specific keys for each request, under the server's own prefix. */
  extraEnviron?(req: IncomingMessage): Record<string, unknown>;
}

const EMPTY_BODY: Iterable<Uint8Array> = [];

/**
 * Builds the environ for a Node request, as SPEC.md defines each key.
 * `onFirstRead` runs when the app first reads `tsgi.input` (for `100 Continue`).
 *
 * @example
 * const environ = buildEnviron(req, { multiprocess: true });
 */
export function buildEnviron(req: IncomingMessage, options: EnvironOptions = {}, onFirstRead?: () => void): Environ {
  const socket = req.socket;
  const { path, query } = splitRequestTarget(req.url ?? "/");
  const { scriptName, pathInfo } = splitScriptName(decodePathInfo(path), options.scriptName ?? "");
  const scheme = options.urlScheme ?? ((socket as TLSSocket | undefined)?.encrypted ? "https" : "http");
  const [serverName, serverPort] = serverNameAndPort(req, scheme);
  const hasBody = req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;

  const environ: Environ = {
    REQUEST_METHOD: req.method ?? "GET",
    SCRIPT_NAME: scriptName,
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    SERVER_NAME: serverName,
    SERVER_PORT: serverPort,
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    "tsgi.version": [1, 0],
    "tsgi.url_scheme": scheme,
    "tsgi.input": createInputStream(hasBody ? req : EMPTY_BODY, { onFirstRead }),
    "tsgi.errors": options.errors ?? stderrErrorStream,
    "tsgi.multithread": options.multithread ?? false,
    "tsgi.multiprocess": options.multiprocess ?? false,
    "tsgi.run_once": false,
  };
  if (socket?.remoteAddress !== undefined) {
    environ.REMOTE_ADDR = socket.remoteAddress;
    environ.REMOTE_PORT = String(socket.remotePort);
  }
  if (options.fileWrapper !== null) environ["tsgi.file_wrapper"] = options.fileWrapper ?? fileWrapper;
  addRawRequestHeaders(environ, req.rawHeaders);
  if (options.extraEnviron) Object.assign(environ, options.extraEnviron(req));
  return environ;
}

/** SERVER_NAME and SERVER_PORT: from the Host header when present (as Gunicorn does), else the local socket. */
function serverNameAndPort(req: IncomingMessage, scheme: string): [string, string] {
  const defaultPort = scheme === "https" ? "443" : "80";
  const host = req.headers.host;
  if (host) {
    // Most Host headers are a plain name or "name:port": no regex for those.
    const colon = host.indexOf(":");
    if (colon === -1) return [host, defaultPort];
    if (host.charCodeAt(0) !== 0x5b && colon + 1 < host.length && colon === host.lastIndexOf(":") && isDigits(host, colon + 1)) {
      return [host.slice(0, colon), host.slice(colon + 1)];
    }
    const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host);
    if (match) return [match[1] as string, match[2] ?? defaultPort];
  }
  const socket = req.socket;
  return [socket?.localAddress ?? "localhost", String(socket?.localPort ?? defaultPort)];
}

/** True when every character of `text` from `start` on is an ASCII digit. */
function isDigits(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}
