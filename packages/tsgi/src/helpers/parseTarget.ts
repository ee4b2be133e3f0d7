import { InvalidTargetError } from "./targetErrors.js";

/** A parsed TARGET: which module to load, which export to take, and whether to call it. */
export interface TargetSpec {
  /** The module path as the user wrote it (relative to the working directory, or absolute). */
  modulePath: string;
  /** The export to use; `"default"` when the TARGET names none. */
  exportName: string;
  /** True for `module:createApp()`: the export is a factory to call (it may return a promise). */
  callFactory: boolean;
}

// `:name` or `:name()` at the very end. Anchoring on an identifier keeps Windows
// drive letters (`C:\app.ts`) from being read as an export separator.
const EXPORT_SUFFIX = /:([A-Za-z_$][\w$]*)(\(\))?$/;

/**
 * Parses `path/to/module[:export]` or `path/to/module:factory()`, as Gunicorn
 * reads `module:app`; every TSGI server reads its TARGET with it. A colon
 * followed by something that is neither an identifier nor a path is refused
 * with `InvalidTargetError`, rather than read as part of the file name.
 *
 * @example
 * parseTarget("src/tsgi.ts:application"); // { modulePath: "src/tsgi.ts", exportName: "application", callFactory: false }
 * parseTarget("src/app.ts:createApp()"); // { modulePath: "src/app.ts", exportName: "createApp", callFactory: true }
 * parseTarget("src/app.js"); // { modulePath: "src/app.js", exportName: "default", callFactory: false }
 */
export function parseTarget(target: string): TargetSpec {
  const trimmed = target.trim();
  if (trimmed === "") throw new InvalidTargetError("missing TARGET (expected path/to/module[:export])");
  const match = EXPORT_SUFFIX.exec(trimmed);
  if (!match) {
    const colon = trimmed.lastIndexOf(":");
    const suffix = colon === -1 ? "" : trimmed.slice(colon + 1);
    // A colon followed by something that is not a path (no slash) is a malformed export name.
    if (colon > 1 && !/[\\/]/.test(suffix)) {
      throw new InvalidTargetError(`invalid export "${suffix}" in TARGET ${trimmed} (expected an identifier, e.g. app or createApp())`);
    }
    return { modulePath: trimmed, exportName: "default", callFactory: false };
  }
  const modulePath = trimmed.slice(0, match.index);
  if (modulePath === "") throw new InvalidTargetError(`missing module path in TARGET ${trimmed} (expected path/to/module[:export])`);
  return { modulePath, exportName: match[1] ?? "default", callFactory: match[2] !== undefined };
}

/**
 * The TARGET as a person reads it, for messages.
 *
 * @example
 * describeTarget(parseTarget("a.ts")); // "a.ts (default export)"
 */
export function describeTarget(spec: TargetSpec): string {
  if (spec.exportName === "default" && !spec.callFactory) return `${spec.modulePath} (default export)`;
  return `${spec.modulePath}:${spec.exportName}${spec.callFactory ? "()" : ""}`;
}
