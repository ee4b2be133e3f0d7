import { connections } from "../connections.js";
import { MigrationError } from "../errors.js";
import type { MigrationGraph } from "./loader.js";
import { reverseSteps } from "./reverse.js";
import { operationSql } from "./schemaEditor.js";
import { applyOperation } from "./state.js";
import type { Operation } from "./types.js";

/** Options of {@link migrationSql}. */
export interface MigrationSqlOptions {
  /** The SQL that unapplies the migration (`sqlmigrate --backwards`); an irreversible operation throws `IrreversibleError`. */
  backwards?: boolean;
}

/**
 * The SQL a migration runs (`manage sqlmigrate`), compiled for the database `using`, one
 * `-- Operation` comment line before each operation's statements; backwards, the SQL that
 * unapplies it (its operations undone last to first, each line `-- Undo ...`).
 *
 * @example
 * migrationSql(graph, "polls", "0001_initial").join("\n");
 * migrationSql(graph, "polls", "0002_question_slug", "default", { backwards: true });
 */
export function migrationSql(graph: MigrationGraph, app: string, name: string, using = "default", options: MigrationSqlOptions = {}): string[] {
  const key = `${app}.${name}`;
  const loaded = graph.migrations.get(key);
  if (loaded === undefined) throw new MigrationError(`Cannot find a migration ${key}; its app's migrations are ${graph.ofApp(app).map((m) => m.name).join(", ") || "none"}.`);
  const db = connections.get(using);
  const lines: string[] = [];
  if (options.backwards) {
    let previous: Operation | undefined;
    for (const step of reverseSteps(loaded, graph.state(key))) {
      if (step.original !== previous) lines.push(`-- Undo ${heading(step.original)}`);
      previous = step.original;
      if (step.operation.type === "RunCode") lines.push("-- (code, no SQL)");
      else for (const statement of operationSql(db.kysely, db.vendor, step.state, app, step.operation)) lines.push(`${statement.sql};`);
    }
    return lines;
  }
  const state = graph.state(key);
  for (const operation of loaded.migration.operations) {
    if (operation.type === "RunCode") {
      lines.push(`-- ${heading(operation)} (code, no SQL)`);
      continue;
    }
    lines.push(`-- ${heading(operation)}`);
    for (const statement of operationSql(db.kysely, db.vendor, state, app, operation)) lines.push(`${statement.sql};`);
    applyOperation(state, app, operation);
  }
  return lines;
}

/** `CreateModel Category`, `AddField Product.sku`, `RunCode: fill slugs`. */
function heading(operation: Operation): string {
  if (operation.type === "RunCode") return `RunCode${operation.description ? `: ${operation.description}` : ""}`;
  if (operation.type === "AddIndex") return `AddIndex ${operation.model}.${operation.index.name}`;
  if (operation.type === "RenameModel") return `RenameModel ${operation.oldName} -> ${operation.newName}`;
  if (operation.type === "RenameField") return `RenameField ${operation.model}.${operation.oldName} -> ${operation.newName}`;
  return `${operation.type}${"name" in operation ? ` ${"model" in operation ? `${operation.model}.` : ""}${operation.name}` : ""}`;
}
