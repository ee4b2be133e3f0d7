import { sql, type CompiledQuery } from "kysely";
import type { Executor, Vendor } from "../backends/database.js";
import { MigrationError } from "../errors.js";
import type { FieldState } from "../fields/field.js";
import { renamedColumn, type ProjectState } from "./state.js";
import type { IndexState, ModelState } from "./types.js";

/** What the renames need from the schema editor: its connection, the state and how it builds indexes. */
export interface IndexBuilder {
  readonly executor: Executor;
  readonly vendor: Vendor;
  readonly state: ProjectState;
  /** Whether the field gets a single-column index (`dbIndex`, foreign keys). */
  wantsIndex(field: FieldState): boolean;
  fieldIndexes(table: string, field: FieldState): CompiledQuery[];
  createIndex(model: ModelState, index: IndexState): CompiledQuery;
}

/**
 * The SQL of RenameModel: renames the table, and the indexes and PostgreSQL constraints named after
 * it (the names the other operations expect). `after` is `renamedModel()`'s result (state.ts).
 *
 * @example
 * renameModelSql(editor, item, renamedModel(item, "Product")); // alter table "shop_item" rename to "shop_product", ...
 */
export function renameModelSql(editor: IndexBuilder, before: ModelState, after: ModelState): CompiledQuery[] {
  const label = `${before.app}.${before.name}`;
  const joined = [...editor.state.values()].some((model) => Object.values(model.fields).some((field) => field.type === "manyToMany" && (field.to === label || `${model.app}.${model.name}` === label)));
  if (joined) throw new MigrationError(`RenameModel cannot rename ${before.app}.${before.name} yet: a many-to-many relation's join table and columns are named after it; write RunSQL with reverseSql instead.`);
  if (before.table === after.table) return [];
  const statements = [editor.executor.schema.alterTable(before.table).renameTo(after.table).compile()];
  const renameIndex = (from: string, to: string, create: () => CompiledQuery): void => {
    if (from === to) return;
    if (editor.vendor === "postgresql") statements.push(sql`alter index ${sql.id(from)} rename to ${sql.id(to)}`.compile(editor.executor));
    else statements.push(editor.executor.schema.dropIndex(from).compile(), create());
  };
  for (const field of Object.values(before.fields)) {
    if (editor.wantsIndex(field)) renameIndex(fieldIndexName(before.table, field.column), fieldIndexName(after.table, field.column), () => editor.fieldIndexes(after.table, field)[0] as CompiledQuery);
  }
  before.indexes.forEach((index, position) => {
    const renamed = after.indexes[position] ?? index;
    renameIndex(index.name, renamed.name, () => editor.createIndex(after, renamed));
  });
  if (editor.vendor === "postgresql") {
    const constraints = Object.values(before.fields).flatMap((field) => [
      ...(field.type === "auto" || field.primaryKey ? ["pkey"] : []),
      ...(field.unique && !field.primaryKey ? [`${field.column}_key`] : []),
      ...(field.type === "foreignKey" ? [`${field.column}_fkey`] : []),
    ]);
    for (const suffix of constraints) {
      statements.push(sql`alter table ${sql.table(after.table)} rename constraint ${sql.id(`${before.table}_${suffix}`)} to ${sql.id(`${after.table}_${suffix}`)}`.compile(editor.executor));
    }
  }
  return statements;
}

/**
 * The SQL of RenameField: renames the column, and the single-column index and PostgreSQL constraints
 * named after it (the names alterField expects). Nothing when the column keeps its name (a `dbColumn`).
 *
 * @example
 * renameFieldSql(editor, product, "price", "cost"); // alter table "shop_product" rename column "price" to "cost"
 */
export function renameFieldSql(editor: IndexBuilder, model: ModelState, name: string, newName: string, columnOverride?: string): CompiledQuery[] {
  const field = model.fields[name];
  if (field === undefined) throw new MigrationError(`RenameField: ${model.app}.${model.name} has no field ${name}.`);
  const column = renamedColumn(field, name, newName, columnOverride);
  if (field.type === "manyToMany") throw new MigrationError(`RenameField cannot rename the many-to-many field ${model.app}.${model.name}.${name} (its join table is named after it); remove it and add a new one.`);
  if (field.column === column) return [];
  const table = sql.table(model.table);
  const statements: CompiledQuery[] = [sql`alter table ${table} rename column ${sql.id(field.column)} to ${sql.id(column)}`.compile(editor.executor)];
  if (editor.wantsIndex(field)) {
    const [from, to] = [fieldIndexName(model.table, field.column), fieldIndexName(model.table, column)];
    if (editor.vendor === "postgresql") statements.push(sql`alter index ${sql.id(from)} rename to ${sql.id(to)}`.compile(editor.executor));
    else statements.push(editor.executor.schema.dropIndex(from).compile(), ...editor.fieldIndexes(model.table, { ...field, column }));
  }
  if (editor.vendor === "postgresql") {
    for (const suffix of [field.unique && !field.primaryKey ? "key" : undefined, field.type === "foreignKey" ? "fkey" : undefined]) {
      if (suffix !== undefined) statements.push(sql`alter table ${table} rename constraint ${sql.id(`${model.table}_${field.column}_${suffix}`)} to ${sql.id(`${model.table}_${column}_${suffix}`)}`.compile(editor.executor));
    }
  }
  return statements;
}

/** The name of a single-column index (`db_index`, foreign keys). */
export function fieldIndexName(table: string, column: string): string {
  return `${table}_${column}_idx`.slice(0, 63);
}
