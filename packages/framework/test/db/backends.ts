import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { connections, models, sql } from "../../src/index.js";
import type { AnyModel } from "../../src/index.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";

/** The databases every model test runs on. */
export const BACKENDS = ["sqlite", "postgresql"] as const;
export type Backend = (typeof BACKENDS)[number];

/** Skip PostgreSQL only where it is not installed, and never on CI (where .ci/run installs it). */
export function skipBackend(backend: Backend): boolean {
  if (backend !== "postgresql") return false;
  const why = postgresUnavailable();
  if (why !== undefined && process.env.CI) throw new Error(`${why}: .ci/run must install it`);
  return why !== undefined;
}

/**
 * Points the default database at a fresh SQLite file or a database on a throwaway PostgreSQL
 * server for the suite, creates the models' tables, and empties them after each test.
 */
export function useDatabase(backend: Backend, tables: readonly AnyModel[], name = "tsgi_test"): void {
  let server: PostgresServer | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    if (backend === "postgresql") {
      server = await startPostgres();
      await connections.override("default", await server.createDatabase(name));
    } else {
      dir = mkdtempSync(join(tmpdir(), "tsgi-sqlite-"));
      await connections.override("default", { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") });
    }
    await models.createTables(tables);
  }, 90_000);
  afterEach(async () => {
    const db = connections.get("default");
    for (const model of [...tables].reverse()) {
      for (const m2m of model.meta.manyToMany) await sql`delete from ${sql.table(m2m.table)}`.execute(db.kysely);
      await sql`delete from ${sql.table(model.meta.table)}`.execute(db.kysely);
    }
  });
  afterAll(async () => {
    await connections.restore("default");
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
}
