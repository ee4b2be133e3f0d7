import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CreateAppError } from "./errors.js";
import type { PackageManager, TsgiPackage } from "./scaffold.js";

/** Where each tsgi package lives in a checkout of the tsgi repository. */
const FOLDERS: Record<TsgiPackage, string> = {
  tsgi: "packages/tsgi",
  "@tsgi/framework": "packages/framework",
  "@tsgi/dev-server": "packages/dev-server",
  "@tsgi/worker-server": "packages/worker-server",
};

/**
 * Dependency specifiers that point a new project's tsgi packages at a local
 * checkout instead of the npm registry (`--link <checkout>`): to try
 * unreleased versions, or before the packages are published. pnpm links with
 * `link:`; npm, which has no `link:`, gets `file:` (a symlink to the folder too).
 * Throws `CreateAppError` when `checkout` is not a tsgi repository.
 *
 * @example
 * scaffold({ dir: "mysite", name: "mysite", tsgiVersions: linkedVersions("../tsgi", "pnpm") });
 */
export function linkedVersions(checkout: string, pm: PackageManager): Record<TsgiPackage, string> {
  assertTsgiCheckout(checkout);
  const root = resolve(checkout);
  const versions = {} as Record<TsgiPackage, string>;
  for (const [name, folder] of Object.entries(FOLDERS) as Array<[TsgiPackage, string]>) {
    versions[name] = `${pm === "pnpm" ? "link:" : "file:"}${join(root, folder)}`;
  }
  return versions;
}

/**
 * Throws `CreateAppError` unless `checkout` holds the tsgi packages; the CLI
 * calls it before asking anything, so a wrong path costs no answered prompts.
 *
 * @example
 * assertTsgiCheckout("../tsgi");
 */
export function assertTsgiCheckout(checkout: string): void {
  for (const [name, folder] of Object.entries(FOLDERS)) {
    const manifest = join(resolve(checkout), folder, "package.json");
    if (!existsSync(manifest) || (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name !== name) {
      throw new CreateAppError(`--link: ${checkout} is not a tsgi checkout (no ${name} in ${join(folder, "package.json")})`);
    }
  }
}
