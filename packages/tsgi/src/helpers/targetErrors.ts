/** A TARGET (`path/to/module[:export]`) that cannot be served; each subclass names the fix. */
export class TargetError extends Error {
  override name = "TargetError";
}

/** TARGET is empty or its export part is not an identifier (`app.ts:not-an-id`). */
export class InvalidTargetError extends TargetError {
  override name = "InvalidTargetError";
}

/** No module file for TARGET; the message says which files were looked for. */
export class TargetNotFoundError extends TargetError {
  override name = "TargetNotFoundError";
  constructor(
    readonly modulePath: string,
    readonly lookedFor: string,
  ) {
    super(`cannot find module ${modulePath} (TARGET is path/to/module[:export]; ${lookedFor})`);
  }
}

/** The module has no export of that name; `available` lists what it does export. */
export class ExportNotFoundError extends TargetError {
  override name = "ExportNotFoundError";
  constructor(
    readonly modulePath: string,
    readonly exportName: string,
    readonly available: readonly string[],
  ) {
    super(`${modulePath} has no export named "${exportName}" (exports: ${available.join(", ") || "none"})`);
  }
}

/** The export (or what its factory returned) is not a TSGI application. */
export class NotAnApplicationError extends TargetError {
  override name = "NotAnApplicationError";
  constructor(
    readonly what: string,
    readonly actualType: string,
  ) {
    super(`${what} is not a TSGI application (got ${actualType}; expected a function (environ, startResponse) or an object with a call method)`);
  }
}

/**
 * Importing the module, or calling its factory, threw; the app's own error is
 * the `cause`, and the message is `what` followed by the cause's first line.
 */
export class TargetLoadError extends TargetError {
  override name = "TargetLoadError";
  constructor(
    readonly file: string,
    readonly during: "import" | "factory",
    /** What failed, without the cause: `cannot import /srv/app.ts`, `createApp() in /srv/app.ts threw`. */
    readonly what: string,
    cause: unknown,
  ) {
    super(`${what}: ${firstLine(cause)}`, { cause });
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split("\n")[0] ?? text;
}
