import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import type { SourceMapPayload } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceFiles } from "./sourceLines.js";

/** A position in a file, 1-based as stack traces print it. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

const MAP_COMMENT = /^\/\/[#@] sourceMappingURL=(\S+)\s*$/;
const COMPILED = /\.[cm]?js$/;

/**
 * Where a position in compiled JavaScript came from, read from the file's
 * source map (an inline `data:` map or a `.map` file beside it). Stacks are
 * mapped by V8 already when source maps are on (tsx, vitest,
 * `--enable-source-maps`); this covers a compiled `dist/` app run without them.
 * Undefined when the file is not compiled JavaScript or has no usable map.
 *
 * @example
 * mapToSource("/app/dist/views.js", 14, 11, sources); // { file: "/app/src/views.ts", line: 12, column: 9 }
 */
export function mapToSource(file: string, line: number, column: number, sources: SourceFiles): SourcePosition | undefined {
  if (!COMPILED.test(file)) return undefined;
  const lines = sources.lines(file);
  if (!lines) return undefined;
  const comment = lastMapComment(lines);
  if (comment === undefined) return undefined;
  try {
    const { payload, base } = readPayload(comment, file);
    const entry = new SourceMap(payload).findEntry(line - 1, Math.max(0, column - 1));
    if (!("originalSource" in entry) || typeof entry.originalSource !== "string") return undefined;
    return { file: sourcePath(entry.originalSource, base, payload.sourceRoot), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  } catch {
    return undefined; // a broken map must not break the error page
  }
}

function lastMapComment(lines: readonly string[]): string | undefined {
  for (let index = lines.length - 1; index >= Math.max(0, lines.length - 5); index -= 1) {
    const match = MAP_COMMENT.exec(lines[index] ?? "");
    if (match) return match[1];
  }
  return undefined;
}

function readPayload(reference: string, file: string): { payload: SourceMapPayload; base: string } {
  const inline = /^data:application\/json[^,]*?(;base64)?,(.*)$/.exec(reference);
  if (inline) {
    const text = inline[1] ? Buffer.from(inline[2] ?? "", "base64").toString("utf8") : decodeURIComponent(inline[2] ?? "");
    return { payload: JSON.parse(text) as SourceMapPayload, base: dirname(file) };
  }
  const mapFile = reference.startsWith("file:") ? fileURLToPath(reference) : resolve(dirname(file), decodeURIComponent(reference));
  return { payload: JSON.parse(readFileSync(mapFile, "utf8")) as SourceMapPayload, base: dirname(mapFile) };
}

function sourcePath(source: string, base: string, sourceRoot: string | undefined): string {
  if (source.startsWith("file:")) return fileURLToPath(source);
  return resolve(base, sourceRoot ?? "", source);
}
