import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MigrationError } from "../errors.js";
import { apps } from "../model/registry.js";
import { detectChanges, externalApps } from "./autodetector.js";
import { modelsFile, type AppConfig, type MigrationGraph } from "./loader.js";
import { stateFromModels } from "./state.js";
import type { Migration } from "./types.js";
import { migrationName, writeMigration } from "./writer.js";

/** A migration `makemigrations` would write. */
export interface PlannedMigration {
  readonly app: string;
  readonly name: string;
  readonly file: string;
  readonly migration: Migration;
  readonly source: string;
}

/** Options of {@link makeMigrations}. */
export interface MakeMigrationsOptions {
  /** Only these app labels. */
  only?: readonly string[];
  /** The new migration's name (after the number). */
  name?: string;
  /** An empty migration for each named app (to write a data migration by hand). */
  empty?: boolean;
  now?: Date;
}

/**
 * The new migration of each app whose models differ from its migrations (Django's makemigrations).
 * Nothing is written: see {@link writeMigrations}.
 *
 * @example
 * const planned = planMigrations(installed, graph, {});
 */
export function planMigrations(installed: readonly AppConfig[], graph: MigrationGraph, options: MakeMigrationsOptions = {}): PlannedMigration[] {
  for (const label of options.only ?? []) {
    if (!installed.some((app) => app.label === label)) throw new MigrationError(`App '${label}' could not be found. Is it in INSTALLED_APPS?`);
  }
  const before = graph.state();
  const after = stateFromModels(apps.all());
  const planned: PlannedMigration[] = [];
  for (const app of installed) {
    if (options.only !== undefined && options.only.length > 0 && !options.only.includes(app.label)) continue;
    const operations = options.empty ? [] : detectChanges(before, after, app.label);
    if (operations.length === 0 && !options.empty) continue;
    const leaf = graph.leaf(app.label);
    const dependencies: Array<readonly [string, string]> = leaf === undefined ? [] : [[app.label, leaf.name]];
    for (const other of externalApps(operations, app.label)) {
      const otherLeaf = graph.leaf(other);
      if (otherLeaf !== undefined) dependencies.push([other, otherLeaf.name]);
    }
    const number = leaf === undefined ? 1 : Number(leaf.name.slice(0, 4)) + 1;
    const name = migrationName(number, operations, options.name ?? (options.empty && number > 1 ? "custom" : undefined));
    const typescript = modelsFile(app)?.match(/\.m?ts$/) !== null || !existsSync(join(app.path, "models.js"));
    const migration: Migration = { dependencies, operations };
    const file = join(app.path, "migrations", `${name}.${typescript ? "ts" : "js"}`);
    planned.push({ app: app.label, name, file, migration, source: writeMigration(migration, { typescript, ...(options.now && { now: options.now }) }) });
  }
  return planned;
}

/**
 * Writes planned migrations into their apps' `migrations/` folders.
 *
 * @example
 * await writeMigrations(planMigrations(installed, graph));
 */
export async function writeMigrations(planned: readonly PlannedMigration[]): Promise<void> {
  for (const migration of planned) {
    await mkdir(join(migration.file, ".."), { recursive: true });
    await writeFile(migration.file, migration.source, { flag: "wx" });
  }
}
