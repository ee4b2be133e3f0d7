import { bindList, boolean, choice, envAssignments, integer, ipList, optionalAddress, seconds, stringList, text } from "./coerce.js";
import type { Coerce } from "./coerce.js";
import { LOG_LEVELS } from "../log/logLevels.js";
import type { Settings } from "./settings.js";

/** Gunicorn's default access log format. */
export const DEFAULT_ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

/**
 * --ws-max-size's default, 1 MiB: tsgi's DEFAULT_MAX_MESSAGE_SIZE (a test keeps them equal), spelled
 * out so the master, which never runs app code, does not load the whole tsgi package for one number.
 */
export const DEFAULT_WS_MAX_SIZE = 1024 * 1024;

/** --ws-max-size's ceiling: 1 GiB, far past any sane message and below what one Buffer may hold. */
export const MAX_WS_MESSAGE_SIZE = 1024 ** 3;

/** One setting: how the CLI spells it, how to parse it, its default and its help line. */
export interface OptionSpec {
  key: keyof Settings;
  /** CLI flags, short first (`["-w", "--workers"]`); empty for config-file-only settings. */
  flags: string[];
  /** Help text's name for the value (`INT`, `ADDRESS`); absent for flags that take none. */
  metavar?: string;
  /** Repeating the flag appends (`-b a -b b`). */
  repeatable?: boolean;
  coerce: Coerce;
  default: Settings[keyof Settings];
  /** Other names accepted in a config file: Gunicorn's setting names, so a gunicorn.conf.py translates word for word. */
  aliases?: string[];
  help: string;
}

/** Every option, in the order `--help` and the README list them. */
export const OPTIONS: readonly OptionSpec[] = [
  { key: "config", flags: ["-c", "--config"], metavar: "FILE", coerce: text, default: null, help: "Config file: tsgi.config.ts, .js, .mjs or .json (default: ./tsgi.config.* when present)." },
  { key: "bind", flags: ["-b", "--bind"], metavar: "ADDRESS", repeatable: true, coerce: bindList, default: ["127.0.0.1:8000"], help: "Address to listen on: HOST:PORT, [IPv6]:PORT, unix:PATH or fd://N; repeatable (default 127.0.0.1:8000, or 0.0.0.0:$PORT when PORT is set)." },
  { key: "workers", flags: ["-w", "--workers"], metavar: "INT", coerce: integer(1, 1024), default: 1, help: "Number of worker processes (default $WEB_CONCURRENCY or 1)." },
  { key: "timeout", flags: ["-t", "--timeout"], metavar: "SECONDS", coerce: seconds, default: 30, help: "A worker silent (event loop stuck) for longer is killed (SIGABRT, then SIGKILL) and replaced; 0 disables." },
  { key: "gracefulTimeout", flags: ["--graceful-timeout"], metavar: "SECONDS", coerce: seconds, default: 30, aliases: ["graceful_timeout"], help: "Time in-flight requests get to finish on a graceful stop (TERM, HUP, max-requests) before the worker is killed." },
  { key: "keepAlive", flags: ["--keep-alive"], metavar: "SECONDS", coerce: seconds, default: 75, aliases: ["keepalive"], help: "Idle keep-alive connections are closed after this; above load balancers' 60 s so they never reuse a closing connection; 0 disables keep-alive." },
  { key: "maxRequests", flags: ["--max-requests"], metavar: "INT", coerce: integer(0), default: 0, aliases: ["max_requests"], help: "Recycle a worker after this many requests (its replacement starts first); 0 disables." },
  { key: "maxRequestsJitter", flags: ["--max-requests-jitter"], metavar: "INT", coerce: integer(0), default: 0, aliases: ["max_requests_jitter"], help: "Add a random 0..N to each worker's max-requests, so workers do not all recycle at once." },
  { key: "limitRequestLine", flags: ["--limit-request-line"], metavar: "INT", coerce: integer(0), default: 4094, aliases: ["limit_request_line"], help: "Max bytes of the request line, CRLF excluded (0 = unlimited; above 8190: 8190, with a warning); longer gets 414." },
  { key: "limitRequestFields", flags: ["--limit-request-fields"], metavar: "INT", coerce: integer(0), default: 100, aliases: ["limit_request_fields"], help: "Max number of header (and trailer) fields (0 or above 32768: 32768, with a warning); more gets 431." },
  { key: "limitRequestFieldSize", flags: ["--limit-request-field-size"], metavar: "INT", coerce: integer(0), default: 8190, aliases: ["limit_request_field_size"], help: "Max bytes of one header (or trailer) line, name, colon, value and CRLF (0: 8190, as in Gunicorn 26); larger gets 431." },
  { key: "backlog", flags: ["--backlog"], metavar: "INT", coerce: integer(1, 65535), default: 2048, help: "Max pending connections in the listen queue." },
  { key: "preload", flags: ["--preload"], coerce: boolean, default: false, aliases: ["preload_app"], help: "Load the app in the master before forking, so a broken app fails fast (workers still load it themselves)." },
  { key: "reload", flags: ["--reload"], coerce: boolean, default: false, help: "Restart workers when a source file under the app's folder changes (development)." },
  { key: "reloadExtraFiles", flags: ["--reload-extra-file"], metavar: "FILE", repeatable: true, coerce: stringList, default: [], aliases: ["reload_extra_files"], help: "Also watch this file or folder with --reload; repeatable." },
  { key: "pidfile", flags: ["--pid"], metavar: "FILE", coerce: text, default: null, aliases: ["pid"], help: "Write the master's pid to FILE (renamed FILE.oldbin during a USR2 upgrade)." },
  { key: "accessLogfile", flags: ["--access-logfile"], metavar: "FILE", coerce: text, default: null, aliases: ["accesslog"], help: "Access log file, or - for stdout (default: none)." },
  { key: "accessLogFormat", flags: ["--access-log-format"], metavar: "FORMAT", coerce: text, default: DEFAULT_ACCESS_LOG_FORMAT, aliases: ["access_log_format"], help: "Access log format in Gunicorn's %(x)s language, or json." },
  { key: "errorLogfile", flags: ["--error-logfile", "--log-file"], metavar: "FILE", coerce: text, default: "-", aliases: ["errorlog"], help: "Error log file, or - for stderr (default -)." },
  { key: "logLevel", flags: ["--log-level"], metavar: "LEVEL", coerce: choice(LOG_LEVELS), default: "info", aliases: ["loglevel"], help: "Error log level: debug, info, warning, error, critical (default info)." },
  { key: "forwardedAllowIps", flags: ["--forwarded-allow-ips"], metavar: "LIST", coerce: ipList, default: ["127.0.0.1", "::1"], aliases: ["forwarded_allow_ips"], help: "Comma-separated peers whose X-Forwarded-*/Forwarded headers are trusted; * trusts all (default 127.0.0.1,::1, or $FORWARDED_ALLOW_IPS)." },
  { key: "proxyProtocol", flags: ["--proxy-protocol"], coerce: boolean, default: false, aliases: ["proxy_protocol"], help: "Expect a PROXY protocol v1/v2 preamble on every connection." },
  { key: "proxyAllowFrom", flags: ["--proxy-allow-from"], metavar: "LIST", coerce: ipList, default: ["127.0.0.1", "::1"], aliases: ["proxy_allow_ips"], help: "Peers allowed to send a PROXY preamble (default 127.0.0.1,::1)." },
  { key: "certfile", flags: ["--certfile"], metavar: "FILE", coerce: text, default: null, help: "PEM certificate: serve HTTPS (with --keyfile)." },
  { key: "keyfile", flags: ["--keyfile"], metavar: "FILE", coerce: text, default: null, help: "PEM private key for --certfile." },
  { key: "name", flags: ["-n", "--name"], metavar: "STRING", coerce: text, default: null, aliases: ["proc_name", "procName"], help: "Process title suffix: 'tsgi-worker: master [NAME]' in ps/top." },
  { key: "stats", flags: ["--stats"], metavar: "ADDRESS", coerce: optionalAddress, default: null, help: "Serve stats (JSON at /, Prometheus text at /metrics) on this separate address." },
  { key: "protocol", flags: ["--protocol"], metavar: "PROTOCOL", coerce: choice(["http", "uwsgi"]), default: "http", help: "Wire protocol: http, or uwsgi (behind nginx uwsgi_pass)." },
  { key: "reusePort", flags: ["--reuse-port"], coerce: boolean, default: false, aliases: ["reuse_port"], help: "Each worker opens its own SO_REUSEPORT socket (Node >= 22.12, TCP binds only) instead of sharing the master's." },
  { key: "ws", flags: ["--ws"], metavar: "MODE", coerce: choice(["auto", "none"]), default: "auto", help: "WebSocket: auto (served, through ws), or none (no tsgi.websocket: an upgrade request reaches the app as plain HTTP, which may answer 426), as uvicorn's --ws." },
  { key: "wsMaxSize", flags: ["--ws-max-size"], metavar: "BYTES", coerce: integer(1, MAX_WS_MESSAGE_SIZE), default: DEFAULT_WS_MAX_SIZE, aliases: ["ws_max_size", "websocket_max_message_size"], help: "Largest WebSocket message taken, in bytes (default 1048576 = 1 MiB); a bigger one closes the socket with 1009." },
  { key: "wsMaxConnections", flags: ["--ws-max-connections"], metavar: "INT", coerce: integer(0), default: 0, aliases: ["ws_max_connections"], help: "Most WebSockets open at once per worker; past it the upgrade gets 503 with Retry-After, the app not called (0 = no cap)." },
  { key: "wsPingInterval", flags: ["--ws-ping-interval"], metavar: "SECONDS", coerce: seconds, default: 30, aliases: ["ws_ping_interval", "websocket_ping_interval"], help: "Ping each WebSocket this often; one that left the last ping unanswered is cut, idle ones that answer stay open (0 disables)." },
  { key: "wsPerMessageDeflate", flags: ["--ws-per-message-deflate"], coerce: boolean, default: false, aliases: ["ws_per_message_deflate"], help: "Offer permessage-deflate (RFC 7692) to WebSocket clients that ask: less bandwidth, more memory and CPU per socket (default off)." },
  { key: "chdir", flags: ["--chdir"], metavar: "DIR", coerce: text, default: null, help: "Change to DIR before loading the app (TARGET and relative paths are then read from there)." },
  { key: "env", flags: ["-e", "--env"], metavar: "KEY=VALUE", repeatable: true, coerce: envAssignments, default: [], aliases: ["raw_env", "rawEnv"], help: "Set an environment variable for the app (in the master, inherited by every worker); repeatable." },
  { key: "user", flags: ["-u", "--user"], metavar: "USER", coerce: text, default: null, help: "Run workers as this user (name or uid); the master must be started as root and keeps the sockets." },
  { key: "group", flags: ["-g", "--group"], metavar: "GROUP", coerce: text, default: null, help: "Run workers with this group (name or gid; default: the user's primary group with --user)." },
  { key: "app", flags: [], coerce: text, default: null, aliases: ["wsgi_app"], help: "TARGET, when the command line gives none." },
  { key: "checkConfig", flags: ["--check-config"], coerce: boolean, default: false, help: "Validate the configuration and load the app, then exit 0 (ok) or 1." },
  { key: "printConfig", flags: ["--print-config"], coerce: boolean, default: false, help: "Print the resolved configuration, then check it as --check-config does (exit 0 or 1)." },
];

/** Finds an option by CLI flag (`-w`, `--workers`). */
export function optionForFlag(flag: string): OptionSpec | undefined {
  return OPTIONS.find((option) => option.flags.includes(flag));
}

/** Finds an option by config-file key: its camelCase key or one of its aliases. */
export function optionForKey(key: string): OptionSpec | undefined {
  return OPTIONS.find((option) => option.key === key || option.aliases?.includes(key));
}

/** How messages name an option: `-w/--workers`, or the key for config-file-only settings. */
export function optionLabel(option: OptionSpec): string {
  return option.flags.length > 0 ? option.flags.join("/") : option.key;
}

/** Whether the flag takes a value (`--workers 4`) or is a switch (`--preload`). */
export function takesValue(option: OptionSpec): boolean {
  return option.metavar !== undefined;
}
