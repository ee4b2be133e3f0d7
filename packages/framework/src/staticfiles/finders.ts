import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { isInsideRoot, safeJoin } from "tsgi/helpers";
import type { Settings } from "../settings/types.js";
import { appDirectories, resolveSettingsPath } from "./settings.js";

/** One static file a finder found: its URL-relative path (posix) and where it is on disk. */
export interface StaticFile {
  /** `css/site.css`: the path under STATIC_URL. */
  readonly relativePath: string;
  readonly absolutePath: string;
}

type FinderSettings = Pick<Settings, "STATICFILES_DIRS" | "BASE_DIR" | "INSTALLED_APPS">;

/**
 * The folders searched for static files, in priority order: STATICFILES_DIRS, then each
 * app's `static/` folder (Django's FileSystemFinder then AppDirectoriesFinder).
 *
 * @example
 * staticRoots(settings); // ["/srv/site/static", "/srv/site/blog/static"]
 */
export function staticRoots(settings: FinderSettings): string[] {
  const projectDirs = settings.STATICFILES_DIRS.map((dir) => resolveSettingsPath(settings, dir));
  return [...projectDirs, ...appDirectories(settings).map((app) => join(app, "static"))];
}

/**
 * Finds the file for a URL-relative path, the first root winning; never outside a root,
 * with the dev server's rules (tsgi/helpers' `safeJoin`): `..` and `.` segments,
 * backslashes, NUL bytes, `//absolute` paths, drive letters, encoded `/`, `\` or NUL in
 * the raw request target (`%2f`, `%5c`, `%00`, when the server gives it), and symlinks
 * that lead out of the root find nothing.
 *
 * @example
 * await findStaticFile(settings, "css/site.css"); // "/srv/site/static/css/site.css"
 * await findStaticFile(settings, "css/site.css", "/static/css%2fsite.css"); // undefined
 */
export async function findStaticFile(settings: FinderSettings, relativePath: string, rawTarget?: string): Promise<string | undefined> {
  for (const root of staticRoots(settings)) {
    const candidate = safeJoin(root, relativePath, rawTarget);
    if (candidate === undefined) return undefined;
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return (await isInsideRoot(root, candidate)) ? candidate : undefined;
  }
  return undefined;
}

/**
 * Every static file, each relative path once (the first root wins, as in Django's
 * collectstatic), sorted by path so runs are reproducible.
 *
 * @example
 * for (const file of await listStaticFiles(settings)) console.log(file.relativePath);
 */
export async function listStaticFiles(settings: FinderSettings): Promise<StaticFile[]> {
  const found = new Map<string, StaticFile>();
  for (const root of staticRoots(settings)) {
    for (const absolutePath of await walk(root)) {
      const relativePath = relative(root, absolutePath).split(sep).join("/");
      if (!found.has(relativePath)) found.set(relativePath, { relativePath, absolutePath });
    }
  }
  return [...found.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    // Django's default ignore patterns (".*", "*~", "CVS"): editor and VCS droppings are not assets.
    if (entry.name.startsWith(".") || entry.name.endsWith("~") || entry.name === "CVS") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
