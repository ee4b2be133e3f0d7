import type { LifespanState } from "../lifespan/types.js";
import type { ErrorStream, FileWrapper } from "../types.js";
import type { TsgiWebSocket } from "../websocket/types.js";

/** The request head as any server knows it once parsed. */
export interface RequestHead {
  /** As sent, e.g. `"GET"` (case kept). */
  method: string;
  /** The raw request-target as sent: `"/a%20b?x=1"`, `"*"`, `"http://h:81/p?q"`, `"h:443"` (CONNECT). */
  target: string;
  /** `"1.1"` or `"1.0"`: `SERVER_PROTOCOL` is `"HTTP/"` + this. */
  httpVersion: string;
  /** Flat `[name, value, name, value, ...]` in wire order, values without the whitespace around them. */
  rawHeaders: readonly string[];
  /**
   * Only for gateways fed CGI variables by a front server (uwsgi, CGI): the front server's own
   * decoded split of the path. When `pathInfo` is set it is used instead of decoding `target`.
   */
  scriptName?: string;
  pathInfo?: string;
}

/** Facts about the connection, after PROXY protocol or trusted forwarded headers were applied by the server. */
export interface ConnectionInfo {
  remoteAddress?: string | undefined;
  remotePort?: number | string | undefined;
  localAddress?: string | undefined;
  localPort?: number | string | undefined;
  /** `tsgi.url_scheme`: `"http"` or `"https"`. */
  scheme: string;
  /**
   * Only for gateways behind a front server that reports the name and port it was addressed as
   * (CGI's and uwsgi's `SERVER_NAME`/`SERVER_PORT`): used instead of the Host header.
   */
  serverName?: string | undefined;
  serverPort?: string | undefined;
}

/** Per-server settings, resolved once at start-up, not per request. */
export interface EnvironSettings {
  /** Where the app is mounted: requests under it get it as `SCRIPT_NAME` and the rest as `PATH_INFO`. */
  scriptName?: string;
  /** `tsgi.multiprocess` (default false): true under a pre-fork server. */
  multiprocess?: boolean;
  /** `tsgi.multithread` (default false). */
  multithread?: boolean;
  /** `tsgi.run_once` (default false): true under the CGI runner. */
  runOnce?: boolean;
  /** `tsgi.errors` (default: standard error). */
  errors?: ErrorStream;
  /** `tsgi.file_wrapper` (default: the reference FileWrapper; `null` leaves the key out). */
  fileWrapper?: FileWrapper | null;
  /** `tsgi.state`: the process's lifespan state (SPEC.md, "Lifespan"); the key is absent when undefined. */
  state?: LifespanState;
}

/** Per-request objects of TSGI's extensions, written by the assembler under their `tsgi.*` keys. */
export interface RequestExtensions {
  /** `tsgi.websocket`, only on a WebSocket upgrade request a server can serve (SPEC.md, "WebSocket"). */
  websocket?: TsgiWebSocket;
}
