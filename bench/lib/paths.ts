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

/** What the installed rows run: the published bin and the apps compiled to JavaScript. */
export const INSTALLED = {
  workerBin: join(PROD_DIR, "node_modules/@tsgi/worker-server/bin/tsgi-worker.js"),
  helloApp: join(PROD_DIR, "tsgi_bench.mjs") + ":application",
  frameworkApp: join(PROD_DIR, "framework_site.mjs") + ":application",
} as const;
