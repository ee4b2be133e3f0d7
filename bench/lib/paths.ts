import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root folder. */
export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** The bench's own apps (TypeScript sources, the Python peers, the shared templates). */
export const APPS = join(ROOT, "bench/apps");

/**
 * Where `prepareInstalledTsgi()` installs the packed packages and the compiled apps, as a
 * user's project would have them (git-ignored, rebuilt on every run that needs it).
 */
export const PROD_DIR = join(ROOT, "bench/.prod");

/**
 * The same install for a second Node (`pnpm bench --node 24`): npm run by that Node, so native
 * modules (better-sqlite3) are built for its ABI. Inside PROD_DIR, so git ignores it too.
 */
export const OTHER_NODE_PROD_DIR = join(PROD_DIR, "other-node");

/** What an installed row runs: the published bin and the apps compiled to JavaScript, in one install folder. */
export interface InstalledPaths {
  readonly dir: string;
  readonly workerBin: string;
  readonly helloApp: string;
  readonly frameworkApp: string;
  readonly echoApp: string;
}

/**
 * The paths of an install folder made by `prepareInstalledTsgi`.
 *
 * @example
 * startProcess(node, [installedIn(PROD_DIR).workerBin, "-w", "2", installedIn(PROD_DIR).echoApp]);
 */
export function installedIn(dir: string): InstalledPaths {
  return {
    dir,
    workerBin: join(dir, "node_modules/@tsgi/worker-server/bin/tsgi-worker.js"),
    helloApp: join(dir, "tsgi_bench.mjs") + ":application",
    frameworkApp: join(dir, "framework_site.mjs") + ":application",
    echoApp: join(dir, "ws_echo.mjs") + ":application",
  };
}

/** What the installed rows run under the suite's own Node. */
export const INSTALLED = installedIn(PROD_DIR);
