import { isAbsolute, relative, resolve, sep } from "node:path";
import { watch } from "chokidar";
import picomatch from "picomatch";
import { watchPaths } from "tsgi/helpers";

/** Options for {@link watchSources}. */
export interface SourceWatcherOptions {
  /** Globs are relative to it. */
  cwd: string;
  /** Files that trigger a reload from the start (the TARGET module). */
  files: readonly string[];
  /**
   * Folders watched from the start, so files the app imports from them are
   * watched before they are even known (only known files trigger a reload).
   */
  roots: readonly string[];
  /** `--watch` globs, e.g. `templates/**\/*.html`. */
  globs: readonly string[];
  /** Called with the absolute path of each changed, added or removed file that matters. */
  onChange(path: string): void;
}

/** A running watcher; more files can be added as the app imports them. */
export interface SourceWatcher {
  add(files: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * Watches the app's source files and the `--watch` globs (tsgi/helpers'
 * `watchPaths` over chokidar; globs matched by picomatch, since chokidar 4 takes
 * none), and resolves once the initial scan is done, so no edit made afterwards
 * is missed. Only files the app imported (or that match a glob) trigger a
 * reload: a data file the app writes next to its code does not.
 *
 * @example
 * const watcher = await watchSources({ cwd, files: ["/app/src/app.ts"], globs: ["views/**"], onChange: restart });
 * watcher.add(importedFiles);
 */
export async function watchSources(options: SourceWatcherOptions): Promise<SourceWatcher> {
  const files = new Set(options.files.map((file) => resolve(options.cwd, file)));
  const globs = options.globs.map((glob) => (isAbsolute(glob) ? relative(options.cwd, glob) : glob));
  const matchesGlob = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
  const globBases = globs.map((glob) => resolve(options.cwd, picomatch.scan(glob).base || "."));

  const watcher = watchPaths({
    watch,
    paths: [...files, ...options.roots, ...globBases],
    accept: (path) => {
      const absolute = resolve(options.cwd, path);
      return files.has(absolute) || matchesGlob(relative(options.cwd, absolute));
    },
    onChange: (path) => options.onChange(resolve(options.cwd, path)),
  });
  await watcher.ready;

  return {
    add(newFiles) {
      const fresh = newFiles.map((file) => resolve(options.cwd, file)).filter((file) => !files.has(file));
      for (const file of fresh) files.add(file);
      const outsideRoots = fresh.filter((file) => !options.roots.some((root) => file.startsWith(root + sep)));
      if (outsideRoots.length > 0) watcher.add(outsideRoots);
    },
    close: () => watcher.close(),
  };
}
