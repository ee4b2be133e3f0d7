import { sql } from "kysely";
import { runCompiled, type Executor, type Vendor } from "../backends/database.js";
import { connections } from "../connections.js";
import { MigrationError } from "../errors.js";
import { atomic, executorFor } from "../transaction.js";
import type { MigrationGraph } from "./loader.js";
import { migrationKey, migrationPlan, type MigrationTarget, type PlanStep } from "./planner.js";
import { appliedMigrations, ensureMigrationsTable, recordApplied, recordUnapplied } from "./recorder.js";
import { reverseSteps, type ReverseStep } from "./reverse.js";
import { operationSql } from "./schemaEditor.js";
import { applyOperation, cloneState, type ProjectState } from "./state.js";
import type { LoadedMigration, Operation } from "./types.js";
import { errorMessage } from "tsgi/helpers";

export { migrationSql } from "./migrationSql.js";

/** Options of {@link applyMigrations}. */
export interface MigrateOptions {
  /** The database alias (default `"default"`). */
  using?: string;
  /** Only this app's migrations (and what they depend on). */
  app?: string;
  /** Prints progress lines (`Applying polls.0001_initial... OK`). */
  log?(line: string): void;
}

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  /** The database alias (default `"default"`). */
  using?: string;
  /** Prints progress lines (`Applying polls.0001_initial... OK`, `Unapplying polls.0002_x... OK`). */
  log?(line: string): void;
  /** Only record the migrations as applied/unapplied, running none of their SQL or code (Django's `--fake`). */
  fake?: boolean;
}

/**
 * Applies the migrations not yet recorded (every app's, or `app`'s and what they depend on), in
 * dependency order, each in its own transaction.
 *
 * @example
 * const applied = await applyMigrations(await loadMigrations(installedApps(settings)), { log: console.log });
 */
export async function applyMigrations(graph: MigrationGraph, options: MigrateOptions = {}): Promise<string[]> {
  const apps = options.app !== undefined ? [options.app] : [...new Set([...graph.migrations.values()].map((m) => m.app))].sort();
  const targets = apps.flatMap((app): MigrationTarget[] => {
    const leaf = graph.leaf(app);
    return leaf === undefined ? [] : [{ app, name: leaf.name }];
  });
  const plan = migrationPlan(graph, await currentlyApplied(options.using), targets);
  return executePlan(graph, plan, options);
}

/** `app.name` of the migrations recorded on the database `using`. */
export async function currentlyApplied(using = "default"): Promise<Set<string>> {
  const db = connections.get(using);
  return appliedMigrations(db.kysely, db.vendor);
}

/**
 * Runs a plan from {@link migrationPlan}: applies (or unapplies) each migration in its own
 * transaction (SQLite and PostgreSQL both roll back DDL), so a failing migration leaves the
 * database as it was before it and is reported with its name, operation and statement. Before an
 * unapply starts, every migration of the plan is checked for irreversible operations
 * ({@link IrreversibleError}), so nothing changes. On SQLite foreign-key enforcement is paused
 * during the run (table rebuilds) and checked before it resumes. Returns `app.name` of each one run.
 *
 * @example
 * await executePlan(graph, migrationPlan(graph, await currentlyApplied(), [{ app: "polls", name: null }]), { log: console.log });
 */
export async function executePlan(graph: MigrationGraph, plan: readonly PlanStep[], options: ExecuteOptions = {}): Promise<string[]> {
  if (plan.length === 0) return [];
  const backwards = plan[0]?.backwards === true;
  if (plan.some((step) => step.backwards !== backwards)) throw new MigrationError("Migration plans with both forwards and backwards migrations are not supported: migrate one target at a time.");
  const alias = options.using ?? "default";
  if (options.fake) return fakePlan(plan, alias, options.log);
  const db = connections.get(alias);
  const applied = await appliedMigrations(db.kysely, db.vendor);
  const wanted = new Set(plan.map((step) => migrationKey(step.migration)));
  // The state each migration starts from: the applied migrations before it, in plan order (as Django replays them).
  const before = new Map<string, ProjectState>();
  let state: ProjectState = new Map();
  for (const migration of graph.plan()) {
    const key = migrationKey(migration);
    if (wanted.has(key)) before.set(key, cloneState(state));
    if (applied.has(key) || (wanted.has(key) && !backwards)) for (const operation of migration.migration.operations) applyOperation(state, migration.app, operation);
  }
  // Pure, so an irreversible operation anywhere in the plan stops it before the first statement.
  const undo = new Map(backwards ? plan.map((step) => [migrationKey(step.migration), reverseSteps(step.migration, before.get(migrationKey(step.migration)) ?? new Map())] as const) : []);
  const done: string[] = [];
  if (db.vendor === "sqlite") await sql`pragma foreign_keys = off`.execute(db.kysely);
  try {
    for (const { migration } of plan) {
      const key = migrationKey(migration);
      if (backwards) await unapplyOne(migration, undo.get(key) ?? [], alias);
      else await applyOne(migration, before.get(key) ?? new Map(), alias);
      options.log?.(`  ${backwards ? "Unapplying" : "Applying"} ${key}... OK`);
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

/** `--fake`: each migration recorded (or forgotten) in its own transaction, nothing else run. */
async function fakePlan(plan: readonly PlanStep[], alias: string, log: ((line: string) => void) | undefined): Promise<string[]> {
  const done: string[] = [];
  for (const { migration, backwards } of plan) {
    await atomic(
      async () => {
        const executor = executorFor(alias);
        const vendor = connections.get(alias).vendor;
        if (backwards) await recordUnapplied(executor, migration.app, migration.name);
        else await recordApplied(executor, vendor, migration.app, migration.name);
      },
      { using: alias },
    );
    log?.(`  ${backwards ? "Unapplying" : "Applying"} ${migrationKey(migration)}... FAKED`);
    done.push(migrationKey(migration));
  }
  return done;
}

async function applyOne(loaded: LoadedMigration, before: ProjectState, alias: string): Promise<void> {
  const run = async (): Promise<void> => {
    const state = cloneState(before);
    const executor = executorFor(alias);
    const vendor = connections.get(alias).vendor;
    // Another process (a second worker migrating at start-up) may have applied it while this one waited for the lock.
    if (loaded.migration.atomic !== false && (await appliedMigrations(executor, vendor)).has(migrationKey(loaded))) return;
    for (const [index, operation] of loaded.migration.operations.entries()) {
      await runOperation(executor, vendor, alias, state, loaded.app, operation, `Migration ${migrationKey(loaded)} failed at operation ${index + 1} (${operation.type})`);
      applyOperation(state, loaded.app, operation);
    }
    await ensureMigrationsTable(executor, vendor);
    await recordApplied(executor, vendor, loaded.app, loaded.name);
  };
  await (loaded.migration.atomic === false ? run() : atomic(run, { using: alias }));
}

async function unapplyOne(loaded: LoadedMigration, steps: readonly ReverseStep[], alias: string): Promise<void> {
  const run = async (): Promise<void> => {
    const executor = executorFor(alias);
    const vendor = connections.get(alias).vendor;
    // Another process may have unapplied it while this one waited for the lock.
    if (loaded.migration.atomic !== false && !(await appliedMigrations(executor, vendor)).has(migrationKey(loaded))) return;
    for (const step of steps) {
      const where = `Unapplying migration ${migrationKey(loaded)} failed at operation ${step.index} (${step.original.type}, undone by ${step.operation.type})`;
      await runOperation(executor, vendor, alias, cloneState(step.state), loaded.app, step.operation, where);
    }
    await recordUnapplied(executor, loaded.app, loaded.name);
  };
  await (loaded.migration.atomic === false ? run() : atomic(run, { using: alias }));
}

/** Runs one operation's code or SQL; any failure becomes a MigrationError starting with `where` (and the statement). */
async function runOperation(executor: Executor, vendor: Vendor, alias: string, state: ProjectState, app: string, operation: Operation, where: string): Promise<void> {
  try {
    if (operation.type === "RunCode") {
      await operation.code({ db: executor, vendor, alias });
      return;
    }
    for (const statement of operationSql(executor, vendor, state, app, operation)) {
      try {
        await runCompiled(executor, statement);
      } catch (error) {
        throw new MigrationError(`${where}: ${errorMessage(error)}\n  Statement: ${statement.sql}`, { cause: error });
      }
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`${where}: ${errorMessage(error)}`, { cause: error });
  }
}
