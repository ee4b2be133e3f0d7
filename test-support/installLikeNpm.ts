/**
 * Installs workspace packages into a temporary project the way `npm install` lays out the
 * published tarballs, for tests of the published forms (compiled dist/, no workspace sources):
 * each package gets its `files` (dist/ compiled with the package's own tsconfig.build.json),
 * a package.json with `publishConfig` applied, and its third-party dependencies linked from
 * the workspace's node_modules (no registry access). Shared by every package's published test.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's packages folder. */
export const WORKSPACE_PACKAGES = fileURLToPath(new URL("../packages/", import.meta.url));

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

interface Manifest {
  name: string;
  files?: string[];
  dependencies?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
}

/** A temporary project with packages installed in its node_modules. */
export interface InstalledProject {
  /** The project folder (a private ESM package). */
  root: string;
  /** The installed folder of each package, by package name. */
  packages: Record<string, string>;
  /** Removes the project. */
  remove(): void;
}

function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(WORKSPACE_PACKAGES, folder, "package.json"), "utf8")) as Manifest;
}

/** Lays out one package in `nodeModules`: what its `files` ship, dist/ compiled from src/. */
function installPackage(nodeModules: string, folder: string, manifest: Manifest): string {
  const source = join(WORKSPACE_PACKAGES, folder);
  const target = join(nodeModules, manifest.name);
  mkdirSync(target, { recursive: true });
  // npm publishes what `files` lists (plus package.json and README): dist/ comes from the build.
  for (const entry of manifest.files ?? []) {
    if (entry === "dist") {
      execFileSync(process.execPath, [TSC, "-p", join(source, "tsconfig.build.json"), "--outDir", join(target, "dist"), "--declaration", "false", "--sourceMap", "false"]);
    } else if (existsSync(join(source, entry))) {
      cpSync(join(source, entry), join(target, entry), { recursive: true });
    }
  }
  writeFileSync(join(target, "package.json"), JSON.stringify({ ...manifest, ...manifest.publishConfig }, null, 2));
  return target;
}

/**
 * Installs the workspace packages in `folders` (e.g. `["tsgi", "worker-server"]`) into a new
 * temporary project whose package.json is `{ "type": "module" }`. Workspace dependencies
 * resolve to each other's installed copies, so every folder they need must be listed.
 *
 * @example
 * const project = installLikeNpm(["tsgi", "worker-server"]);
 * spawn(process.execPath, [join(project.packages["@tsgi/worker-server"], "bin/tsgi-worker.js"), "app.mjs"], { cwd: project.root });
 * project.remove();
 */
export function installLikeNpm(folders: readonly string[]): InstalledProject {
  const root = mkdtempSync(join(tmpdir(), "tsgi-published-"));
  const nodeModules = join(root, "node_modules");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "site", private: true, type: "module" }));
  const manifests = new Map(folders.map((folder) => [folder, readManifest(folder)]));
  const workspaceNames = new Set([...manifests.values()].map((manifest) => manifest.name));
  const packages: Record<string, string> = {};
  for (const [folder, manifest] of manifests) {
    packages[manifest.name] = installPackage(nodeModules, folder, manifest);
  }
  for (const [folder, manifest] of manifests) {
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const link = join(nodeModules, dependency);
      if (workspaceNames.has(dependency) || existsSync(link)) continue;
      const installed = join(WORKSPACE_PACKAGES, folder, "node_modules", dependency);
      if (!existsSync(installed)) throw new Error(`${manifest.name} depends on ${dependency}, which is not installed in ${folder}/node_modules: run pnpm install`);
      // The real path, so the dependency's own dependencies resolve from pnpm's store.
      const real = realpathSync(installed);
      // A workspace package linked from its sources would defeat the test: it must be installed too.
      if (real.startsWith(realpathSync(WORKSPACE_PACKAGES))) throw new Error(`${manifest.name} depends on the workspace package ${dependency}: list its folder too`);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(real, link, "dir");
    }
  }
  return { root, packages, remove: () => rmSync(root, { recursive: true, force: true }) };
}
