import { sql } from "kysely";
import { runCompiled, type Executor } from "../backends/database.js";

/** The table recording applied migrations (Django's `django_migrations`). */
export const MIGRATIONS_TABLE = "tsgi_migrations";

/**
 * Creates the migrations table if missing.
 *
 * @example
 * await ensureMigrationsTable(executor);
 */
export async function ensureMigrationsTable(executor: Executor, vendor: "sqlite" | "postgresql"): Promise<void> {
  const query = executor.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn("id", sql.raw(vendor === "sqlite" ? "integer" : "bigint"), (c) => (vendor === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity()))
    .addColumn("app", "varchar(255)", (c) => c.notNull())
    .addColumn("name", "varchar(255)", (c) => c.notNull())
    .addColumn("applied", sql.raw(vendor === "sqlite" ? "datetime" : "timestamp with time zone"), (c) => c.notNull());
  await runCompiled(executor, query.compile());
}

/** `app.name` of every applied migration. */
export async function appliedMigrations(executor: Executor, vendor: "sqlite" | "postgresql"): Promise<Set<string>> {
  await ensureMigrationsTable(executor, vendor);
  const { rows } = await runCompiled<{ app: string; name: string }>(executor, executor.selectFrom(MIGRATIONS_TABLE).select(["app", "name"]).compile());
  return new Set(rows.map((row) => `${row.app}.${row.name}`));
}

/** Records a migration as applied. */
export async function recordApplied(executor: Executor, vendor: "sqlite" | "postgresql", app: string, name: string): Promise<void> {
  const applied = vendor === "sqlite" ? new Date().toISOString() : new Date();
  await runCompiled(executor, executor.insertInto(MIGRATIONS_TABLE).values({ app, name, applied }).compile());
}

/** Forgets a migration (unapplying). */
export async function recordUnapplied(executor: Executor, app: string, name: string): Promise<void> {
  await runCompiled(executor, executor.deleteFrom(MIGRATIONS_TABLE).where("app", "=", app).where("name", "=", name).compile());
}
