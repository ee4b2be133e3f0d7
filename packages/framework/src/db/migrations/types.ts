import type { FieldState } from "../fields/field.js";
import type { Executor, Vendor } from "../backends/database.js";

/** An index as a migration records it (`uniqueTogether` sets are unique indexes). */
export interface IndexState {
  name: string;
  /** Field names, in order. */
  fields: string[];
  unique?: boolean;
}

/** A model as the migrations know it. */
export interface ModelState {
  app: string;
  name: string;
  table: string;
  /** Fields by name, in declaration order. */
  fields: Record<string, FieldState>;
  indexes: IndexState[];
}

/** What a `RunCode` operation's function receives: the migration's connection (inside its transaction). */
export interface RunCodeContext {
  /** Kysely on the migration's connection: `await ctx.db.insertInto("polls_question").values({...}).execute()`. */
  readonly db: Executor;
  readonly vendor: Vendor;
  /** The database alias being migrated. */
  readonly alias: string;
}

/**
 * One step of a migration. The generated ones are plain data; `RunSQL` and `RunCode` are written by hand.
 * Every schema operation can be unapplied (`manage migrate app 0001`, `manage migrate app zero`); `RunSQL`
 * only with `reverseSql` and `RunCode` only with `reverseCode` (`""` / {@link runCodeNoop} when nothing needs undoing).
 */
export type Operation =
  | { type: "CreateModel"; name: string; table: string; fields: Record<string, FieldState>; indexes?: IndexState[] }
  | { type: "DeleteModel"; name: string }
  /** Renames a model (and its table, unless `table` names another; by default `<app>_<newname>` when the old table was the default one), updating the relations that point at it. */
  | { type: "RenameModel"; oldName: string; newName: string; table?: string }
  | { type: "AddField"; model: string; name: string; field: FieldState }
  | { type: "RemoveField"; model: string; name: string }
  | { type: "AlterField"; model: string; name: string; field: FieldState }
  /** Renames a field (and its column, unless `column` names another; by default the new name in snake_case, `_id` for a foreign key, as the model derives it; a field with its own `dbColumn` keeps it). */
  | { type: "RenameField"; model: string; oldName: string; newName: string; column?: string }
  | { type: "AddIndex"; model: string; index: IndexState }
  | { type: "RemoveIndex"; model: string; name: string }
  | { type: "RunSQL"; sql: string | readonly string[]; reverseSql?: string | readonly string[] }
  | { type: "RunCode"; code: RunCodeFunction; reverseCode?: RunCodeFunction; description?: string };

/** The function of a `RunCode` operation (Django's `RunPython` callable). */
export type RunCodeFunction = (context: RunCodeContext) => Promise<void> | void;

/**
 * A `reverseCode` that does nothing (Django's `RunPython.noop`): the migration can be unapplied and
 * the data it wrote is left as it is. For `RunSQL`, `reverseSql: ""` does the same.
 *
 * @example
 * { type: "RunCode", code: fillSlugs, reverseCode: runCodeNoop }
 */
export const runCodeNoop: RunCodeFunction = () => undefined;

/**
 * A migration file's export (`export const migration: Migration = {...}`), Django's `Migration` class.
 *
 * @example
 * export const migration: Migration = {
 *   dependencies: [["polls", "0001_initial"]],
 *   operations: [{ type: "RunSQL", sql: "UPDATE polls_choice SET votes = 0" }],
 * };
 */
export interface Migration {
  /** `[app, migrationName]` pairs that must be applied first. */
  dependencies: ReadonlyArray<readonly [string, string]>;
  operations: readonly Operation[];
  /** Run in one transaction (default true). */
  atomic?: boolean;
}

/** A migration loaded from its file. */
export interface LoadedMigration {
  readonly app: string;
  /** The file name without extension, e.g. `0001_initial`. */
  readonly name: string;
  readonly file: string;
  readonly migration: Migration;
}
