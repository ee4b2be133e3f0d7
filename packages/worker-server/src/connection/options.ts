import type { ErrorStream, LifespanState, WebSocketOptions } from "tsgi";

/** `--access-logfile` / `--access-log-format`: where and how each finished request is logged. */
export interface AccessLogOptions {
  /** A file path (opened for append, reopened on `reopenLogs()`), or `"-"` for stdout. */
  file: string;
  /**
   * Gunicorn's format language, e.g. `%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"` (the default),
   * or the word `"json"` for one JSON object per line.
   */
  format?: string;
}

/** `--certfile` / `--keyfile`: serve HTTPS. Strings are file paths, Buffers are PEM contents. */
export interface TlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
}

/** Everything that shapes what happens on a connection inside one worker. All durations are in seconds, as on the CLI. */
export interface HttpServerOptions {
  /** Wire protocol spoken on the listening socket: plain HTTP/1.1 (default) or uwsgi (behind nginx `uwsgi_pass`). */
  protocol?: "http" | "uwsgi";
  /** `--limit-request-line`: max bytes of the request line, 0 = unlimited (default 4094, at most 8190). Over it: 414. */
  limitRequestLine?: number;
  /** `--limit-request-fields`: max number of header fields, 0 = unlimited (default 100, at most 32768). Over it: 431. */
  limitRequestFields?: number;
  /** `--limit-request-field-size`: max bytes of one header line, 0 = unlimited (default 8190). Over it: 431. */
  limitRequestFieldSize?: number;
  /** `--keep-alive`: idle seconds a keep-alive connection is kept open (default 75, above common load balancers' 60); 0 disables keep-alive. */
  keepAlive?: number;
  /** Seconds a client has to send the complete request head (default keepAlive + 1, so a reused connection never races it). */
  headersTimeout?: number;
  /** Seconds a client has to send the complete request, body included (default 300, as Node). */
  requestTimeout?: number;
  /** `--forwarded-allow-ips`: peers whose X-Forwarded-For/-Proto and Forwarded headers are trusted; `"*"` trusts all (default 127.0.0.1,::1). */
  forwardedAllowIps?: string | readonly string[];
  /** `--proxy-protocol`: every connection starts with a PROXY protocol v1 or v2 preamble (HAProxy, AWS NLB). */
  proxyProtocol?: boolean;
  /** Peers allowed to send a PROXY preamble (Gunicorn's `--proxy-allow-from`; default: the same as forwardedAllowIps). */
  proxyAllowIps?: string | readonly string[];
  /** Serve HTTPS with this certificate. */
  tls?: TlsOptions;
  /** Access log; none when omitted. */
  accessLog?: AccessLogOptions;
  /** `SCRIPT_NAME` the app is mounted at (Gunicorn reads it from the environment). */
  scriptName?: string;
  /** `tsgi.errors` for every request (the master engineer's error log); stderr when omitted. */
  errors?: ErrorStream;
  /** `tsgi.state`: the process's lifespan state (from `startLifespan`), passed to every environ. */
  state?: LifespanState;
  /** WebSocket limits (`maxMessageSize`, `pingInterval`), or `false` to serve none (`tsgi.websocket` absent). */
  websocket?: WebSocketOptions | false;
  /** Called with errors that escape the app (logged to `errors` when omitted). */
  onError?(error: unknown): void;
}
