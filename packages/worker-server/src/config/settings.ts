import type { LogLevel } from "../log/logLevels.js";

// The log levels live with the log (log/logLevels.ts), which must not import the settings back.
export { LOG_LEVELS, type LogLevel } from "../log/logLevels.js";

/**
 * Every setting of `tsgi-worker`, after all sources are merged. Keys are the camelCase
 * of the long CLI flag; a config file may also use Gunicorn's setting names (see aliases in options.ts).
 */
export interface Settings {
  /** TARGET: `module[:export]` or `module:factory()`. */
  app: string | null;
  /** The config file the settings came from, if any. */
  config: string | null;
  bind: string[];
  workers: number;
  timeout: number;
  gracefulTimeout: number;
  keepAlive: number;
  maxRequests: number;
  maxRequestsJitter: number;
  limitRequestLine: number;
  limitRequestFields: number;
  limitRequestFieldSize: number;
  backlog: number;
  preload: boolean;
  reload: boolean;
  reloadExtraFiles: string[];
  pidfile: string | null;
  accessLogfile: string | null;
  accessLogFormat: string;
  errorLogfile: string;
  logLevel: LogLevel;
  forwardedAllowIps: string[];
  proxyProtocol: boolean;
  proxyAllowFrom: string[];
  certfile: string | null;
  keyfile: string | null;
  name: string | null;
  stats: string | null;
  protocol: "http" | "uwsgi";
  reusePort: boolean;
  /** `--ws`: `auto` serves WebSocket (tsgi.websocket), `none` leaves the key absent. */
  ws: "auto" | "none";
  /** `--ws-max-size`: the largest WebSocket message taken, in bytes (default 1 MiB); over it: close 1009. */
  wsMaxSize: number;
  /** `--ws-max-connections`: WebSockets open at once per worker, 0 = no cap; past it: 503. */
  wsMaxConnections: number;
  /** `--ws-ping-interval`: seconds between pings; an unanswered ping cuts the socket at the next one (0 disables). */
  wsPingInterval: number;
  /** `--ws-per-message-deflate`: offer permessage-deflate (RFC 7692) to clients that ask. */
  wsPerMessageDeflate: boolean;
  /** `--chdir`: the directory the master changes to before loading the config's TARGET and app. */
  chdir: string | null;
  /** `-e/--env KEY=VALUE`: variables set in the master's environment, so every worker inherits them. */
  env: string[];
  /** `-u/--user`: run workers as this user (name or uid); the master must be started as root. */
  user: string | null;
  /** `-g/--group`: run workers with this group (name or gid). */
  group: string | null;
  checkConfig: boolean;
  printConfig: boolean;
}
