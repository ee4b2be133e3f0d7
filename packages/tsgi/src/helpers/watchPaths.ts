/** What {@link watchPaths} needs from a file watcher: chokidar's `FSWatcher` has it. */
export interface FileWatcher {
  on(event: "add" | "change" | "unlink", listener: (path: string) => void): unknown;
  once(event: "ready", listener: () => void): unknown;
  once(event: "error", listener: (error: unknown) => void): unknown;
  add(paths: string | readonly string[]): unknown;
  close(): Promise<void>;
}

/** Creates a watcher for paths, skipping what `ignored` says: chokidar's `watch` has this shape. */
export type WatchFunction = (paths: string[], options: { ignoreInitial: boolean; ignored: (path: string) => boolean }) => FileWatcher;

/** Options for {@link watchPaths}. */
export interface WatchPathsOptions {
  /** The watcher to use (chokidar's `watch`): tsgi has no dependencies, the servers bring it. */
  watch: WatchFunction;
  /** Files and folders to watch. */
  paths: readonly string[];
  /** Paths never watched (default: anything under `node_modules` or `.git`). */
  ignored?: RegExp;
  /** Only changes to paths it accepts are reported (default: all). */
  accept?(path: string): boolean;
  /**
   * Report a burst of changes once, this long after the last one, with the
   * first path changed (an editor's save is several events). 0 (default): each change at once.
   */
  debounceMs?: number;
  /** Called with each changed, added or removed path (or the first of a burst). */
  onChange(path: string): void;
}

/** A running watcher. */
export interface PathWatcher {
  /** Resolves once the initial scan is done: no change made after it is missed; rejects if the watcher fails to start. */
  readonly ready: Promise<void>;
  /** Watches more paths. */
  add(paths: readonly string[]): void;
  close(): Promise<void>;
}

/** node_modules and .git hold no source a reload should follow, and cost many watches. */
export const DEFAULT_IGNORED = /(^|[\\/])(node_modules|\.git)([\\/]|$)/;

/**
 * Watches source paths for autoreload (tsgi-dev, tsgi-worker --reload): adds,
 * changes and removals, filtered by `accept`, optionally debounced, with the
 * initial scan awaited through `ready`.
 *
 * @example
 * import { watch } from "chokidar";
 * const watcher = watchPaths({ watch, paths: ["/srv/app/src"], debounceMs: 100, onChange: (path) => restart(path) });
 * await watcher.ready;
 */
export function watchPaths(options: WatchPathsOptions): PathWatcher {
  const ignored = options.ignored ?? DEFAULT_IGNORED;
  const watcher = options.watch([...options.paths], { ignoreInitial: true, ignored: (path) => ignored.test(path) });
  const debounceMs = options.debounceMs ?? 0;
  let timer: NodeJS.Timeout | undefined;
  let first: string | undefined;
  const changed = (path: string): void => {
    if (options.accept && !options.accept(path)) return;
    if (debounceMs === 0) return options.onChange(path);
    first ??= path;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const burst = first as string;
      first = undefined;
      options.onChange(burst);
    }, debounceMs);
  };
  for (const event of ["add", "change", "unlink"] as const) watcher.on(event, changed);
  const ready = new Promise<void>((resolve, reject) => {
    watcher.once("ready", () => resolve());
    watcher.once("error", reject);
  });
  return {
    ready,
    add: (paths) => void watcher.add([...paths]),
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
