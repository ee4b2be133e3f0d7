import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where a load error points in the app's source: 1-based line and column. */
export interface LoadErrorLocation {
  file: string;
  line: number;
  column: number;
}

// esbuild (through tsx): "Transform failed with 2 errors:\n/abs/file.ts:3:21: ERROR: Unexpected \";\"\n..." (0-based column).
const ESBUILD_ERROR = /^(\/.+?|[A-Za-z]:\\.+?):(\d+):(\d+): ERROR: (.*)$/gm;
// Node's resolver: "Cannot find module '/abs/nowhere.ts' imported from /abs/app.ts" (also "Cannot find package 'x' ...").
const NOT_FOUND = /^Cannot find (?:module|package) '([^']+)' imported from (.+)$/m;

/**
 * The app-facing form of an error that stopped the app from loading: a syntax
 * error or a missing import gets its place in the source as the top frame and
 * a message without the transformer's preamble, so the debug page and the
 * terminal lead with `file:line:column`, the message and the code around it
 * (as Vite's overlay does). The original frames (esbuild's, Node's loader) stay
 * below, where the page collapses them. Other errors are returned unchanged:
 * their stack already points at the app's code.
 *
 * @example
 * const shown = presentLoadError(transformError);
 * shown.name;    // "SyntaxError"
 * shown.message; // 'Unexpected ";"'
 * shown.stack;   // 'SyntaxError: Unexpected ";"\n    at (syntax error) (/app/src/helper.ts:3:22)\n    at failureErrorWithLog (...esbuild...)'
 */
export function presentLoadError(error: Error): Error {
  const compile = [...error.message.matchAll(ESBUILD_ERROR)];
  if (compile.length > 0) {
    const [first] = compile;
    const more = compile.length > 1 ? ` (and ${compile.length - 1} more ${compile.length === 2 ? "error" : "errors"} below)` : "";
    const locations = compile.map((match) => ({ file: match[1] ?? "", line: Number(match[2]), column: Number(match[3]) + 1 }));
    return rebuilt(error, "SyntaxError", `${first?.[4] ?? ""}${more}`, locations, "syntax error");
  }
  const notFound = NOT_FOUND.exec(error.message);
  if (notFound) {
    const importer = toPath(notFound[2] ?? "");
    const location = importLocation(importer, notFound[1] ?? "");
    return location ? rebuilt(error, error.name, error.message, [location], "import") : error;
  }
  return error;
}

/** Where the error is, for a terminal headline: the first frame of {@link presentLoadError}'s form. */
export function locationOf(error: Error): LoadErrorLocation | undefined {
  const match = /^\s*at \((?:syntax error|import)\) \((.+):(\d+):(\d+)\)$/m.exec(error.stack ?? "");
  return match ? { file: match[1] ?? "", line: Number(match[2]), column: Number(match[3]) } : undefined;
}

function rebuilt(error: Error, name: string, message: string, locations: readonly LoadErrorLocation[], what: string): Error {
  const copy = new Error(message);
  copy.name = name;
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s*at /.test(line));
  copy.stack = [`${name}: ${message}`, ...locations.map((location) => `    at (${what}) (${where(location)})`), ...frames].join("\n");
  return copy;
}

/** The line of `importer` that imports `specifier` (as written there, or by its file name). */
function importLocation(importer: string, specifier: string): LoadErrorLocation | undefined {
  if (!existsSync(importer)) return undefined;
  const base = specifier.split(/[\\/]/).pop() ?? specifier;
  const lines = readFileSync(importer, "utf8").split("\n");
  for (const [index, text] of lines.entries()) {
    for (const quoted of [`"${specifier}"`, `'${specifier}'`]) {
      const at = text.indexOf(quoted);
      if (at >= 0) return { file: importer, line: index + 1, column: at + 1 };
    }
    const at = /\bimport\b|\bfrom\b/.test(text) ? text.search(new RegExp(`["'][^"']*${escapeRegExp(base)}["']`)) : -1;
    if (at >= 0) return { file: importer, line: index + 1, column: at + 1 };
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function where(location: LoadErrorLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

function toPath(file: string): string {
  return file.startsWith("file://") ? fileURLToPath(file) : file;
}
