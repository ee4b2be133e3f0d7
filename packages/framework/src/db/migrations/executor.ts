import { sql } from "kysely";
import { runCompiled } from "../backends/database.js";
import { connections } from "../connections.js";
import { MigrationError } from "../errors.js";
import { atomic, executorFor } from "../transaction.js";
import type { MigrationGraph } from "./loader.js";
import { appliedMigrations, ensureMigrationsTable, recordApplied } from "./recorder.js";
import { operationSql } from "./schemaEditor.js";
import { applyOperation, cloneState, type ProjectState } from "./state.js";
import type { LoadedMigration } from "./types.js";
import { errorMessage } from "tsgi/helpers";

/** Options of {@link applyMigrations}. */
export interface MigrateOptions {
  /** The database alias (default `"default"`). */
  using?: string;
  /** Only this app's migrations (and what they depend on). */
  app?: string;
  /** Prints progress lines (`Applying polls.0001_initial... OK`). */
  log?(line: string): void;
}

/**
 * Applies the migrations not yet recorded, in dependency order, each in its own transaction
 * (SQLite and PostgreSQL both roll back DDL), so a failing migration leaves the database as it
 * was before it and is reported with its name, operation and statement. On SQLite foreign-key
 * enforcement is paused during the run (table rebuilds) and checked before it resumes.
 *
 * @example
 * const applied = await applyMigrations(await loadMigrations(installedApps(settings)), { log: console.log });
 */
export async function applyMigrations(graph: MigrationGraph, options: MigrateOptions = {}): Promise<string[]> {
  const alias = options.using ?? "default";
  const db = connections.get(alias);
  const applied = await appliedMigrations(db.kysely, db.vendor);
  const plan = graph.plan();
  const wanted = options.app === undefined ? plan : requiredFor(graph, options.app, plan);
  const done: string[] = [];
  let state: ProjectState = new Map();
  if (db.vendor === "sqlite") await sql`pragma foreign_keys = off`.execute(db.kysely);
  try {
    for (const migration of plan) {
      const key = `${migration.app}.${migration.name}`;
      if (applied.has(key) || !wanted.includes(migration)) {
        if (applied.has(key)) for (const operation of migration.migration.operations) applyOperation(state, migration.app, operation);
        continue;
      }
      state = await applyOne(migration, state, alias);
      options.log?.(`  Applying ${key}... OK`);
      done.push(key);
    }
  } finally {
    if (db.vendor === "sqlite") {
      const { rows } = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(db.kysely);
      await sql`pragma foreign_keys = on`.execute(db.kysely);
      if (rows.length > 0) throw new MigrationError(`After migrating, ${rows.length} row(s) break a foreign key (first: ${JSON.stringify(rows[0])}); fix the data with a migration.`);
    }
  }
  return done;
}

function requiredFor(graph: MigrationGraph, app: string, plan: readonly LoadedMigration[]): LoadedMigration[] {
  const needed = new Set<string>();
  const add = (key: string): void => {
    if (needed.has(key)) return;
    needed.add(key);
    const migration = graph.migrations.get(key);
    if (migration !== undefined) for (const dependency of graph.dependenciesOf(migration)) add(dependency);
  };
  for (const migration of graph.ofApp(app)) add(`${migration.app}.${migration.name}`);
  return plan.filter((migration) => needed.has(`${migration.app}.${migration.name}`));
}

async function applyOne(loaded: LoadedMigration, before: ProjectState, alias: string): Promise<ProjectState> {
  const run = async (): Promise<ProjectState> => {
    const state = cloneState(before);
    const executor = executorFor(alias);
    const vendor = connections.get(alias).vendor;
    const operations = loaded.migration.operations;
    // Another process (a second worker migrating at start-up) may have applied it while this one waited for the lock.
    if (loaded.migration.atomic !== false && (await appliedMigrations(executor, vendor)).has(`${loaded.app}.${loaded.name}`)) {
      for (const operation of operations) applyOperation(state, loaded.app, operation);
      return state;
    }
    for (const [index, operation] of operations.entries()) {
      const where = `Migration ${loaded.app}.${loaded.name} failed at operation ${index + 1} (${operation.type})`;
      try {
        if (operation.type === "RunCode") {
          await operation.code({ db: executor, vendor, alias });
        } else {
          for (const statement of operationSql(executor, vendor, state, loaded.app, operation)) {
            try {
              await runCompiled(executor, statement);
            } catch (error) {
              throw new MigrationError(`${where}: ${errorMessage(error)}\n  Statement: ${statement.sql}`, { cause: error });
            }
          }
        }
      } catch (error) {
        if (error instanceof MigrationError) throw error;
        throw new MigrationError(`${where}: ${errorMessage(error)}`, { cause: error });
      }
      applyOperation(state, loaded.app, operation);
    }
    await ensureMigrationsTable(executor, vendor);
    await recordApplied(executor, vendor, loaded.app, loaded.name);
    return state;
  };
  return loaded.migration.atomic === false ? run() : atomic(run, { using: alias });
}

/**
 * The SQL a migration runs (`manage sqlmigrate`), compiled for the database `using`.
 *
 * @example
 * (await migrationSql(graph, "polls", "0001_initial")).join("\n");
 */
export function migrationSql(graph: MigrationGraph, app: string, name: string, using = "default"): string[] {
  const key = `${app}.${name}`;
  const loaded = graph.migrations.get(key);
  if (loaded === undefined) throw new MigrationError(`Cannot find a migration ${key}; its app's migrations are ${graph.ofApp(app).map((m) => m.name).join(", ") || "none"}.`);
  const db = connections.get(using);
  const state = graph.state(key);
  const lines: string[] = [];
  for (const operation of loaded.migration.operations) {
    if (operation.type === "RunCode") {
      lines.push(`-- RunCode${operation.description ? `: ${operation.description}` : ""} (code, no SQL)`);
      continue;
    }
    lines.push(`-- ${operation.type}${"name" in operation ? ` ${"model" in operation ? `${operation.model}.` : ""}${operation.name}` : ""}`);
    for (const statement of operationSql(db.kysely, db.vendor, state, app, operation)) lines.push(`${statement.sql};`);
    applyOperation(state, app, operation);
  }
  return lines;
}
