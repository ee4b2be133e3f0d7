import { errorMessage, ExportNotFoundError, InvalidTargetError, NotAnApplicationError, TargetLoadError, TargetNotFoundError } from "tsgi/helpers";

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

// TARGET errors are tsgi/helpers' (one loader for every server); tsgi-dev gives each its exit code.
export { ExportNotFoundError, NotAnApplicationError, TargetNotFoundError } from "tsgi/helpers";

/**
 * The exit code for an error a user can fix: a `DevServerError`'s own, or the
 * one for each TARGET error of `tsgi/helpers`; undefined for anything else.
 *
 * @example
 * exitCodeOf(new TargetNotFoundError("app.ts", "there is no file /srv/app.ts")); // 4
 */
export function exitCodeOf(error: unknown): number | undefined {
  if (error instanceof DevServerError) return error.exitCode;
  if (error instanceof InvalidTargetError) return EXIT_CODES.usage;
  if (error instanceof TargetNotFoundError) return EXIT_CODES.targetNotFound;
  if (error instanceof ExportNotFoundError) return EXIT_CODES.exportNotFound;
  if (error instanceof NotAnApplicationError) return EXIT_CODES.notAnApplication;
  if (error instanceof TargetLoadError) return EXIT_CODES.appLoadFailed;
  return undefined;
}

/** The TARGET module failed while loading (syntax error, missing import, exception at import time). */
export class AppLoadError extends DevServerError {
  override name = "AppLoadError";
  constructor(readonly modulePath: string, cause: unknown) {
    const reason = errorMessage(cause).split("\n")[0];
    super(`cannot load ${modulePath}: ${reason}`, EXIT_CODES.appLoadFailed, { cause });
  }
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
