/**
 * The errors `tsgi-dev` reports to a person. Each has a one-line, actionable
 * message and its own process exit code, so scripts can tell them apart.
 */

/** Exit codes of `tsgi-dev` (documented in the README). */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  cannotBind: 3,
  targetNotFound: 4,
  exportNotFound: 5,
  notAnApplication: 6,
  appLoadFailed: 7,
} as const;

/**
 * Base class: a problem the user can fix, printed as `tsgi-dev: <message>`,
 * ending the process with its `exitCode`.
 *
 * @example
 * try {
 *   await makeServer("127.0.0.1", 8000, app);
 * } catch (error) {
 *   if (error instanceof DevServerError) process.exitCode = error.exitCode;
 * }
 */
export class DevServerError extends Error {
  override name = "DevServerError";
  constructor(
    message: string,
    readonly exitCode: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Bad command line: unknown option, malformed `--static`, invalid port. */
export class UsageError extends DevServerError {
  override name = "UsageError";
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
  }
}

/** The listening socket could not be bound (port taken, no permission, bad host). */
export class CannotBindError extends DevServerError {
  override name = "CannotBindError";
  /** The system error code (`EADDRINUSE`, `EACCES`, ...), when there is one. */
  readonly code: string | undefined;
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: string,
    options?: ErrorOptions & { code?: string | undefined },
  ) {
    const hint = options?.code === "EADDRINUSE" ? ` (another server is using it: stop it, or pick another port with --port ${port === 65535 ? 8001 : port + 1} or PORT=${port === 65535 ? 8001 : port + 1})` : "";
    super(`cannot bind ${formatHostPort(host, port)}: ${reason}${hint}`, EXIT_CODES.cannotBind, options);
    this.code = options?.code;
  }
}

/** TARGET names a module file that does not exist. */
export class TargetNotFoundError extends DevServerError {
  override name = "TargetNotFoundError";
  constructor(readonly modulePath: string) {
    super(`cannot find module ${modulePath} (TARGET is path/to/module[:export])`, EXIT_CODES.targetNotFound);
  }
}

/** The module exists but has no export of that name. */
export class ExportNotFoundError extends DevServerError {
  override name = "ExportNotFoundError";
  constructor(
    readonly modulePath: string,
    readonly exportName: string,
    readonly available: readonly string[],
  ) {
    const hint = available.length > 0 ? `; it exports: ${available.join(", ")}` : "; it has no exports";
    super(`${modulePath} has no export named "${exportName}"${hint}`, EXIT_CODES.exportNotFound);
  }
}

/** The export (or what its factory returned) is not a TSGI application. */
export class NotAnApplicationError extends DevServerError {
  override name = "NotAnApplicationError";
  constructor(
    readonly what: string,
    readonly actualType: string,
  ) {
    super(
      `${what} is not a TSGI application (got ${actualType}; expected a function (environ, startResponse) or an object with a call method)`,
      EXIT_CODES.notAnApplication,
    );
  }
}

/** The TARGET module failed while loading (syntax error, missing import, exception at import time). */
export class AppLoadError extends DevServerError {
  override name = "AppLoadError";
  constructor(readonly modulePath: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
    super(`cannot load ${modulePath}: ${reason}`, EXIT_CODES.appLoadFailed, { cause });
  }
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
