import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Settings } from "../../settings/types.js";
import { appDirectories } from "../../staticfiles/settings.js";
import { MigrationError } from "../errors.js";
import { applyOperation, type ProjectState } from "./state.js";
import type { LoadedMigration, Migration } from "./types.js";
import { errorMessage } from "tsgi/helpers";

/** An installed app: its label (the folder's name) and folder. */
export interface AppConfig {
  readonly label: string;
  readonly path: string;
}

const MODULE = /\.(ts|mts|js|mjs)$/;
const MIGRATION_FILE = /^(\d{4}_[A-Za-z0-9_]+)\.(ts|mts|js|mjs)$/;

/**
 * The apps of `INSTALLED_APPS` (folders, relative to BASE_DIR); the label is the folder's name.
 *
 * @example
 * installedApps(settings); // [{ label: "polls", path: "/srv/site/polls" }]
 */
export function installedApps(settings: Pick<Settings, "BASE_DIR" | "INSTALLED_APPS">): AppConfig[] {
  return appDirectories(settings).map((path) => ({ label: basename(path), path }));
}

/** The app's `models.ts` (or `.js`), if it has one. */
export function modelsFile(app: AppConfig): string | undefined {
  return ["models.ts", "models.mts", "models.js", "models.mjs"].map((file) => join(app.path, file)).find((file) => existsSync(file));
}

/**
 * Imports each app's models module, so its models are registered.
 *
 * @example
 * await importModels(installedApps(settings));
 */
export async function importModels(apps: readonly AppConfig[]): Promise<void> {
  for (const app of apps) {
    const file = modelsFile(app);
    if (file === undefined) continue;
    try {
      await import(pathToFileURL(file).href);
    } catch (error) {
      throw new MigrationError(`Cannot load the models of app "${app.label}" (${file}): ${errorMessage(error)}`, { cause: error });
    }
  }
}

/** Every migration of the installed apps, with their order. */
export class MigrationGraph {
  constructor(readonly migrations: ReadonlyMap<string, LoadedMigration>) {}

  /** The migrations in an order that satisfies every dependency (Django's plan). */
  plan(): LoadedMigration[] {
    const ordered: LoadedMigration[] = [];
    const done = new Set<string>();
    const visiting = new Set<string>();
    const visit = (key: string, from: string): void => {
      if (done.has(key)) return;
      const migration = this.migrations.get(key);
      if (migration === undefined) throw new MigrationError(`Migration ${from} depends on ${key}, which does not exist (is its app in INSTALLED_APPS?).`);
      if (visiting.has(key)) throw new MigrationError(`Circular dependency between migrations at ${key}.`);
      visiting.add(key);
      for (const dependency of this.dependenciesOf(migration)) visit(dependency, key);
      visiting.delete(key);
      done.add(key);
      ordered.push(migration);
    };
    for (const key of [...this.migrations.keys()].sort()) visit(key, key);
    return ordered;
  }

  /** Declared dependencies, plus the previous migration of the same app (so a hand-written file cannot jump the queue). */
  dependenciesOf(migration: LoadedMigration): string[] {
    const declared = migration.migration.dependencies.map(([app, name]) => `${app}.${name}`);
    const previous = this.ofApp(migration.app).filter((m) => m.name < migration.name).at(-1);
    return previous === undefined ? declared : [...new Set([`${previous.app}.${previous.name}`, ...declared])];
  }

  /** One app's migrations by name. */
  ofApp(app: string): LoadedMigration[] {
    return [...this.migrations.values()].filter((m) => m.app === app).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The app's latest migration. */
  leaf(app: string): LoadedMigration | undefined {
    return this.ofApp(app).at(-1);
  }

  /**
   * The project state after the migrations in the plan before `stop` (all of them without `stop`).
   *
   * @example
   * graph.state(); // what makemigrations compares the models with
   */
  state(stop?: string): ProjectState {
    const state: ProjectState = new Map();
    for (const migration of this.plan()) {
      if (`${migration.app}.${migration.name}` === stop) break;
      for (const operation of migration.migration.operations) applyOperation(state, migration.app, operation);
    }
    return state;
  }
}

/**
 * Loads every `migrations/NNNN_name.ts` of the apps.
 *
 * @example
 * const graph = await loadMigrations(installedApps(settings));
 */
export async function loadMigrations(apps: readonly AppConfig[]): Promise<MigrationGraph> {
  const migrations = new Map<string, LoadedMigration>();
  for (const app of apps) {
    const dir = join(app.path, "migrations");
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.sort()) {
      if (!MODULE.test(file) || file.endsWith(".d.ts")) continue;
      const match = MIGRATION_FILE.exec(file);
      if (match === null) continue;
      const name = match[1] as string;
      const key = `${app.label}.${name}`;
      if (migrations.has(key)) throw new MigrationError(`Two files for migration ${key} in ${dir}: keep one.`);
      const path = join(dir, file);
      let namespace: Record<string, unknown>;
      try {
        namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      } catch (error) {
        throw new MigrationError(`Cannot load migration ${path}: ${errorMessage(error)}`, { cause: error });
      }
      const migration = namespace.migration ?? namespace.default;
      if (!isMigration(migration)) throw new MigrationError(`${path} must export \`migration\` = { dependencies: [...], operations: [...] }.`);
      migrations.set(key, { app: app.label, name, file: path, migration });
    }
  }
  return new MigrationGraph(migrations);
}

function isMigration(value: unknown): value is Migration {
  const candidate = value as Partial<Migration> | null;
  return typeof candidate === "object" && candidate !== null && Array.isArray(candidate.dependencies) && Array.isArray(candidate.operations);
}
