import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateAppError } from "./errors.js";
import { assertEmptyTarget, validateProjectName } from "./validate.js";

/** The project layouts create-tsgi-app can write. */
export type TemplateName = "default" | "minimal";
/** The package managers a scaffolded project's scripts and README are written for. */
export type PackageManager = "pnpm" | "npm";

/** What to scaffold. */
export interface ScaffoldOptions {
  /** The folder to create (must be absent or empty). */
  dir: string;
  /** The npm package name; defaults to the folder's name. */
  name: string;
  template?: TemplateName;
  packageManager?: PackageManager;
  /**
   * Versions for the tsgi packages in the new package.json; by default this
   * package's own version. Tests pass `link:` paths into a workspace.
   */
  tsgiVersions?: Partial<Record<TsgiPackage, string>>;
}

/** The tsgi packages a scaffolded project may depend on. */
export type TsgiPackage = "tsgi" | "@tsgi/framework" | "@tsgi/dev-server" | "@tsgi/worker-server";

export const TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../templates");

/**
 * Writes a new project from a template: copies the files, fills in the
 * project's name and package manager, and pins the tsgi packages' versions.
 * Returns the files written, relative to `dir`.
 *
 * @example
 * scaffold({ dir: "mysite", name: "mysite", template: "default" });
 */
export function scaffold(options: ScaffoldOptions): string[] {
  const template = options.template ?? "default";
  const problem = validateProjectName(options.name);
  if (problem) throw new CreateAppError(`invalid project name: ${problem}`);
  assertEmptyTarget(options.dir);
  const source = join(TEMPLATES_DIR, template);
  try {
    statSync(source);
  } catch {
    throw new CreateAppError(`unknown template "${template}": choose default or minimal`);
  }
  const target = resolve(options.dir);
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true });

  const pm = options.packageManager ?? "pnpm";
  const run = pm === "pnpm" ? "pnpm" : "npm run";
  // A fresh key per project, as django-admin startproject writes one.
  // 64 characters: Django's check --deploy (W009) wants 50 or more.
  const secretKey = randomBytes(48).toString("base64url");
  const written = listFiles(target);
  for (const file of written) {
    const path = join(target, file);
    const text = readFileSync(path, "utf8");
    const filled = text
      .replaceAll("__PROJECT_NAME__", options.name)
      .replaceAll("__RUN__", run)
      .replaceAll("__PM__", pm)
      .replaceAll("__SECRET_KEY__", secretKey);
    if (filled !== text) writeFileSync(path, filled);
  }
  // npm strips .gitignore from published packages, so templates carry it as _gitignore.
  renameSync(join(target, "_gitignore"), join(target, ".gitignore"));
  pinVersions(join(target, "package.json"), options.tsgiVersions ?? {});
  return listFiles(target);
}

function pinVersions(packageJsonPath: string, overrides: Partial<Record<TsgiPackage, string>>): void {
  const own = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  const pkg = JSON.parse(readFileSync(packageJsonPath, "utf8")) as Record<string, Record<string, string> | string>;
  for (const field of ["dependencies", "devDependencies"] as const) {
    const deps = pkg[field];
    if (typeof deps !== "object") continue;
    for (const name of Object.keys(deps)) {
      if (deps[name] !== "__TSGI_VERSION__") continue;
      deps[name] = overrides[name as TsgiPackage] ?? `^${own.version}`;
    }
  }
  writeFileSync(packageJsonPath, JSON.stringify(pkg, null, 2) + "\n");
}

function listFiles(root: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out.sort();
}
