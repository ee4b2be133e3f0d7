import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { SourceFiles } from "./sourceLines.js";
import type { SourceLine } from "./sourceLines.js";
import { mapToSource } from "./sourceMaps.js";

/** A folder whose frames are library code (a server, a framework), shown collapsed under `name`. */
export interface LibraryRoot {
  name: string;
  path: string;
}

/** One frame of a stack trace, source-mapped, with the source lines around it for the app's own code. */
export interface StackFrame {
  /** The function name, or `<anonymous>` when V8 gives none. */
  functionName: string;
  /** A file path (file: URLs converted), `node:internal/...`, or `<anonymous>`. */
  file: string;
  line: number | undefined;
  column: number | undefined;
  /** False for Node internals, node_modules and the library roots: the page collapses those. */
  isApplicationCode: boolean;
  /** For library frames, what they belong to: `node`, a {@link LibraryRoot} name, or a dependency's package name. */
  library: string | undefined;
  /** Source lines around `line`, for application frames whose file can be read. */
  context: SourceLine[];
}

/** How frames are read: how many lines around each, and which folders are library code. */
export interface FrameOptions {
  /** Lines shown before and after the current one (default 3). */
  radius?: number;
  /** Library folders besides tsgi itself (a server's or a framework's package). */
  libraryRoots?: readonly LibraryRoot[];
}

// tsgi's own code: src/ in the workspace, dist/ once published (its tests are not library code).
const TSGI_ROOT: LibraryRoot = { name: "tsgi", path: resolve(dirname(fileURLToPath(import.meta.url)), "..") };

/** The folders of a package that hold its code (not its tests). */
const CODE_FOLDERS = ["src", "dist", "bin"];

/**
 * The code folders (`src`, `dist`, `bin`) of a package, as
 * {@link LibraryRoot}s, resolved from `fromUrl`; none when the package cannot
 * be found there. Every workspace package exports `./package.json`, which this
 * resolves.
 *
 * @example
 * parseStack(stack, { libraryRoots: packageRoots("@tsgi/framework", import.meta.url) });
 */
export function packageRoots(name: string, fromUrl: string): LibraryRoot[] {
  try {
    const root = dirname(createRequire(fromUrl).resolve(`${name}/package.json`));
    return CODE_FOLDERS.map((folder) => ({ name, path: join(root, folder) }));
  } catch {
    return [];
  }
}

// "    at fn (file:///x.ts:3:9)", "    at file:///x.ts:3:9", "    at async Promise.all (index 0)"
const FRAME_WITH_NAME = /^\s*at (.+?) \((.*)\)$/;
const FRAME_WITHOUT_NAME = /^\s*at (.*)$/;
const LOCATION = /^(.*?):(\d+):(\d+)$/;

/**
 * Parses `error.stack` into frames: positions in compiled JavaScript mapped
 * back to the TypeScript source, library frames marked, and the source lines
 * around each application frame read from disk.
 *
 * @example
 * parseStack(new Error("x").stack ?? "")[0]?.file; // "/home/me/app/src/app.ts"
 */
export function parseStack(stack: string, options: FrameOptions = {}, sources = new SourceFiles()): StackFrame[] {
  const roots = [TSGI_ROOT, ...(options.libraryRoots ?? [])];
  const frames: StackFrame[] = [];
  for (const rawLine of stack.split("\n")) {
    if (!/^\s*at /.test(rawLine)) continue;
    const named = FRAME_WITH_NAME.exec(rawLine);
    const functionName = named ? (named[1] ?? "") : "<anonymous>";
    const where = named ? (named[2] ?? "") : (FRAME_WITHOUT_NAME.exec(rawLine)?.[1] ?? "");
    const location = LOCATION.exec(where);
    let file = toPath(location ? (location[1] ?? where) : where);
    let line = location ? Number(location[2]) : undefined;
    let column = location ? Number(location[3]) : undefined;
    if (line !== undefined && column !== undefined) {
      const mapped = mapToSource(file, line, column, sources);
      if (mapped) ({ file, line, column } = mapped);
    }
    frames.push(frameAt(functionName, file, line, column, roots, options.radius ?? 3, sources));
  }
  return frames;
}

// esbuild (through tsx) reports syntax errors as "/abs/file.ts:2:16: ERROR: Expected ...".
const COMPILE_ERROR_LOCATION = /^(\/.+?|[A-Za-z]:\\.+?):(\d+):(\d+): ERROR: /gm;

/**
 * Frames for the source locations a compile error names in its message (a
 * syntax error has no useful stack, but its message says where it is).
 *
 * @example
 * framesFromCompileError('Transform failed with 1 error:\n/app/src/app.ts:2:16: ERROR: Expected ")"')[0]?.line; // 2
 */
export function framesFromCompileError(message: string, options: FrameOptions = {}, sources = new SourceFiles()): StackFrame[] {
  return [...message.matchAll(COMPILE_ERROR_LOCATION)].map((match) => {
    const file = match[1] ?? "";
    const line = Number(match[2]);
    const context = sources.around(file, line, options.radius ?? 3);
    return { functionName: "(syntax error)", file, line, column: Number(match[3]), isApplicationCode: true, library: undefined, context };
  });
}

function frameAt(functionName: string, file: string, line: number | undefined, column: number | undefined, roots: readonly LibraryRoot[], radius: number, sources: SourceFiles): StackFrame {
  const library = libraryOf(file, roots);
  const isApplicationCode = library === undefined;
  const context = isApplicationCode && line !== undefined ? sources.around(file, line, radius) : [];
  return { functionName, file, line, column, isApplicationCode, library, context };
}

function toPath(file: string): string {
  if (!file.startsWith("file://")) return file;
  try {
    return fileURLToPath(file.split("?")[0] ?? file);
  } catch {
    return file;
  }
}

function libraryOf(file: string, roots: readonly LibraryRoot[]): string | undefined {
  if (!file.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(file)) return "node"; // node:internal, <anonymous>, "index 0"
  const root = roots.find((candidate) => file === candidate.path || file.startsWith(candidate.path + sep));
  if (root) return root.name;
  // The last node_modules segment names the package (pnpm nests them: .pnpm/x@1/node_modules/x).
  const dependency = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(file);
  return dependency ? (dependency[1] ?? "").replace("\\", "/") : undefined;
}
