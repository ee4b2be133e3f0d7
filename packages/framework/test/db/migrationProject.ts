import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A project folder whose models and migrations import the framework through node_modules, as an
 * installed project does; its path is pushed on `roots` for the suite to delete.
 *
 * @example
 * const root = migrationProject({ "shop/models.ts": source }, roots);
 */
export function migrationProject(files: Record<string, string>, roots: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "tsgi-migrations-"));
  roots.push(root);
  mkdirSync(join(root, "node_modules", "@tsgi"), { recursive: true });
  symlinkSync(packageDir, join(root, "node_modules", "@tsgi", "framework"), "dir");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "site", type: "module", private: true }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}
