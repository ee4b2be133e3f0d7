import { dirname } from "node:path";
import { watch } from "chokidar";
import { watchPaths } from "tsgi/helpers";

/** Options for watching sources with `--reload`. */
export interface ReloaderOptions {
  /** Files or folders to watch (the app's folder, plus `--reload-extra-file`s). */
  paths: string[];
  /** Called once per burst of changes, with the first changed path. */
  onChange(path: string): void;
}

const IGNORED_SEGMENTS = /(^|[\\/])(node_modules|\.git|dist|coverage)([\\/]|$)/;

/**
 * Watches sources and calls `onChange` (debounced: an editor's save is several
 * events), with tsgi/helpers' `watchPaths` over chokidar. node_modules and
 * .git are skipped, so a big project costs few watches.
 *
 * @example
 * const reloader = startReloader({ paths: [dirname(appFile)], onChange: (file) => arbiter.reloadWorkers(file) });
 * await reloader.close();
 */
export function startReloader(options: ReloaderOptions): { close(): Promise<void>; ready: Promise<void> } {
  return watchPaths({ watch, paths: options.paths, ignored: IGNORED_SEGMENTS, debounceMs: 100, onChange: options.onChange });
}

/** The folder to watch for an app module file. */
export function watchRootFor(appFile: string): string {
  return dirname(appFile);
}
