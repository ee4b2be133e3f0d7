import { sql } from "kysely";
import { runCompiled } from "./backends/database.js";
import { connections } from "./connections.js";
import { detectChanges } from "./migrations/autodetector.js";
import { operationSql } from "./migrations/schemaEditor.js";
import { applyOperation, stateFromModels, type ProjectState } from "./migrations/state.js";
import type { AnyModel } from "./model/types.js";
import { atomic, executorFor } from "./transaction.js";

/**
 * Creates the tables of `models` directly from their declarations (no migration files), in one
 * transaction: for tests of code that uses models. Relations must point at models in the list.
 *
 * @example
 * await connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
 * await createTables([Question, Choice]);
 */
export async function createTables(models: readonly AnyModel[], using = "default"): Promise<void> {
  const wanted = stateFromModels(models);
  const appsInOrder = [...new Set(models.map((model) => model.meta.app))];
  const db = connections.get(using);
  await atomic(
    async () => {
      const state: ProjectState = new Map();
      for (const app of appsInOrder) {
        for (const operation of detectChanges(new Map(), wanted, app)) {
          for (const statement of operationSql(executorFor(using), db.vendor, state, app, operation)) await runCompiled(executorFor(using), statement);
          applyOperation(state, app, operation);
        }
      }
    },
    { using },
  );
}

/**
 * Drops the tables of `models` (and their join tables), ignoring missing ones.
 *
 * @example
 * await dropTables([Choice, Question]);
 */
export async function dropTables(models: readonly AnyModel[], using = "default"): Promise<void> {
  const db = connections.get(using);
  const cascade = db.vendor === "postgresql" ? sql` cascade` : sql``;
  for (const model of [...models].reverse()) {
    for (const field of model.meta.manyToMany) await sql`drop table if exists ${sql.table(field.table)}${cascade}`.execute(db.kysely);
    await sql`drop table if exists ${sql.table(model.meta.table)}${cascade}`.execute(db.kysely);
  }
}
