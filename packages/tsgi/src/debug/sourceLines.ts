import { existsSync, readFileSync } from "node:fs";

/** A numbered source line; `current` marks the line a frame points at. */
export interface SourceLine {
  number: number;
  text: string;
  current: boolean;
}

/**
 * Reads source files once per report: a page with twenty frames in one file
 * reads it once, and a missing or unreadable file gives no lines rather than an error.
 *
 * @example
 * const sources = new SourceFiles();
 * sources.around("/app/src/views.ts", 12, 3); // lines 9..15, line 12 current
 */
export class SourceFiles {
  readonly #files = new Map<string, string[] | undefined>();

  /** Every line of `file`, or undefined when it cannot be read. */
  lines(file: string): string[] | undefined {
    if (!this.#files.has(file)) this.#files.set(file, readLines(file));
    return this.#files.get(file);
  }

  /** The lines from `line - radius` to `line + radius` (clamped to the file). */
  around(file: string, line: number, radius: number): SourceLine[] {
    return linesAround(this.lines(file), line, radius);
  }
}

/**
 * The numbered lines around `line` (1-based) of a text split into lines.
 *
 * @example
 * linesAround(["a", "b", "c"], 2, 1); // [{ number: 1, text: "a", current: false }, { number: 2, ... current: true }, ...]
 */
export function linesAround(lines: readonly string[] | undefined, line: number, radius: number): SourceLine[] {
  if (!lines || line < 1 || line > lines.length) return [];
  const first = Math.max(1, line - radius);
  const last = Math.min(lines.length, line + radius);
  const context: SourceLine[] = [];
  for (let number = first; number <= last; number += 1) {
    context.push({ number, text: lines[number - 1] ?? "", current: number === line });
  }
  return context;
}

function readLines(file: string): string[] | undefined {
  try {
    return existsSync(file) ? readFileSync(file, "utf8").split(/\r?\n/) : undefined;
  } catch {
    return undefined;
  }
}
