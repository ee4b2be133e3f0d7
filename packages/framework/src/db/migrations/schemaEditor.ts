import { sql, type ColumnDefinitionBuilder, type CompiledQuery, type RawBuilder } from "kysely";
import type { Executor, Vendor } from "../backends/database.js";
import type { FieldState, JsonValue } from "../fields/field.js";
import { joinColumns } from "../fields/relations.js";
import { MigrationError } from "../errors.js";
import { fieldIndexName, renameFieldSql, renameModelSql, type IndexBuilder } from "./schemaRenames.js";
import { renamedModel, type ProjectState } from "./state.js";

export { fieldIndexName };
import type { IndexState, ModelState, Operation } from "./types.js";

/**
 * The SQL statements of one operation (Django's schema editor), compiled by Kysely for the
 * database. `state` is the project state before the operation. `RunCode` has none (it runs code).
 *
 * @example
 * operationSql(executor, "sqlite", state, "polls", { type: "AddField", model: "Question", name: "slug", field });
 */
export function operationSql(executor: Executor, vendor: Vendor, state: ProjectState, app: string, operation: Operation): CompiledQuery[] {
  const editor = new SchemaEditor(executor, vendor, state);
  const model = (name: string): ModelState => {
    const found = state.get(`${app}.${name}`);
    if (found === undefined) throw new MigrationError(`${operation.type}: no model ${app}.${name} in the migration state.`);
    return found;
  };
  switch (operation.type) {
    case "CreateModel":
      return editor.createModel({ app, name: operation.name, table: operation.table, fields: operation.fields, indexes: operation.indexes ?? [] });
    case "DeleteModel":
      return editor.deleteModel(model(operation.name));
    case "RenameModel": {
      const before = model(operation.oldName);
      return renameModelSql(editor, before, renamedModel(before, operation.newName, operation.table));
    }
    case "AddField":
      return editor.addField(model(operation.model), operation.name, operation.field);
    case "RemoveField":
      return editor.removeField(model(operation.model), operation.name);
    case "AlterField":
      return editor.alterField(model(operation.model), operation.name, operation.field);
    case "RenameField":
      return renameFieldSql(editor, model(operation.model), operation.oldName, operation.newName, operation.column);
    case "AddIndex":
      return [editor.createIndex(model(operation.model), operation.index)];
    case "RemoveIndex":
      return [executor.schema.dropIndex(operation.name).compile()];
    case "RunSQL": {
      const statements = typeof operation.sql === "string" ? [operation.sql] : operation.sql;
      // "" (Django's RunSQL.noop) runs nothing: drivers refuse an empty statement.
      return statements.filter((statement) => statement.trim() !== "").map((statement) => sql.raw(statement).compile(executor));
    }
    case "RunCode":
      return [];
  }
}

class SchemaEditor implements IndexBuilder {
  constructor(
    readonly executor: Executor,
    readonly vendor: Vendor,
    readonly state: ProjectState,
  ) {}

  createModel(model: ModelState, table = model.table, withIndexes = true): CompiledQuery[] {
    let builder = this.executor.schema.createTable(table);
    for (const field of Object.values(model.fields)) {
      if (field.type === "manyToMany") continue;
      builder = builder.addColumn(field.column, this.dataType(field, model), (column) => this.constraints(column, field, model));
    }
    const statements = [builder.compile()];
    if (withIndexes) statements.push(...this.indexes(model));
    for (const [name, field] of Object.entries(model.fields)) {
      if (field.type === "manyToMany") statements.push(...this.createJoinTable(model, name, field));
    }
    return statements;
  }

  deleteModel(model: ModelState): CompiledQuery[] {
    const joins = Object.values(model.fields).filter((field) => field.type === "manyToMany");
    return [...joins.map((field) => this.executor.schema.dropTable(field.through ?? field.column).compile()), this.executor.schema.dropTable(model.table).compile()];
  }

  addField(model: ModelState, name: string, field: FieldState): CompiledQuery[] {
    if (field.type === "manyToMany") return this.createJoinTable(model, name, field);
    const after: ModelState = { ...model, fields: { ...model.fields, [name]: field } };
    if (this.vendor === "sqlite") return this.remake(model, after, { [name]: field.default });
    const statements = [
      this.executor.schema
        .alterTable(model.table)
        .addColumn(field.column, this.dataType(field, model), (column) => {
          const constrained = this.constraints(column, field, model);
          return field.default !== undefined ? constrained.defaultTo(this.literal(field, field.default)) : constrained;
        })
        .compile(),
    ];
    // As Django: the default fills existing rows; new rows get theirs from the code.
    if (field.default !== undefined) statements.push(this.executor.schema.alterTable(model.table).alterColumn(field.column, (c) => c.dropDefault()).compile());
    statements.push(...this.fieldIndexes(model.table, field));
    return statements;
  }

  removeField(model: ModelState, name: string): CompiledQuery[] {
    const field = model.fields[name];
    if (field === undefined) throw new MigrationError(`RemoveField: ${model.app}.${model.name} has no field ${name}.`);
    if (field.type === "manyToMany") return [this.executor.schema.dropTable(field.through ?? field.column).compile()];
    const fields = { ...model.fields };
    delete fields[name];
    const after: ModelState = { ...model, fields, indexes: model.indexes.filter((index) => !index.fields.includes(name)) };
    if (this.vendor === "sqlite") return this.remake(model, after, {});
    return [this.executor.schema.alterTable(model.table).dropColumn(field.column).compile()];
  }

  alterField(model: ModelState, name: string, field: FieldState): CompiledQuery[] {
    const before = model.fields[name];
    if (before === undefined) throw new MigrationError(`AlterField: ${model.app}.${model.name} has no field ${name}.`);
    if (before.type === "manyToMany" || field.type === "manyToMany") throw new MigrationError(`AlterField cannot turn ${model.app}.${model.name}.${name} into or out of a many-to-many field; remove it and add a new one.`);
    const after: ModelState = { ...model, fields: { ...model.fields, [name]: field } };
    if (this.vendor === "sqlite" || before.column !== field.column) {
      if (this.vendor === "sqlite") return this.remake(model, after, {});
      return [sql`alter table ${sql.table(model.table)} rename column ${sql.id(before.column)} to ${sql.id(field.column)}`.compile(this.executor), ...this.alterField({ ...model, fields: { ...model.fields, [name]: { ...before, column: field.column } } }, name, field)];
    }
    const table = sql.table(model.table);
    const column = sql.id(field.column);
    const statements: RawBuilder<unknown>[] = [];
    const beforeType = this.dataType(before).compile(this.executor).sql;
    const afterType = this.dataType(field).compile(this.executor).sql;
    if (beforeType !== afterType) statements.push(sql`alter table ${table} alter column ${column} type ${sql.raw(afterType)} using ${column}::${sql.raw(afterType)}`);
    if ((before.null ?? false) !== (field.null ?? false)) statements.push(sql`alter table ${table} alter column ${column} ${sql.raw(field.null ? "drop not null" : "set not null")}`);
    if ((before.unique ?? false) && !field.unique) statements.push(sql`alter table ${table} drop constraint ${sql.id(`${model.table}_${field.column}_key`)}`);
    if (!before.unique && field.unique) statements.push(sql`alter table ${table} add constraint ${sql.id(`${model.table}_${field.column}_key`)} unique (${column})`);
    if (before.type === "foreignKey" && (field.type !== "foreignKey" || before.onDelete !== field.onDelete || before.to !== field.to)) {
      statements.push(sql`alter table ${table} drop constraint ${sql.id(`${model.table}_${field.column}_fkey`)}`);
    }
    if (field.type === "foreignKey" && (before.type !== "foreignKey" || before.onDelete !== field.onDelete || before.to !== field.to)) {
      const target = this.target(field);
      statements.push(sql`alter table ${table} add constraint ${sql.id(`${model.table}_${field.column}_fkey`)} foreign key (${column}) references ${sql.table(target.table)} (${sql.id(this.pkColumn(target))}) on delete ${sql.raw(onDeleteSql(field))}`);
    }
    const compiled = statements.map((statement) => statement.compile(this.executor));
    if (this.wantsIndex(before) && !this.wantsIndex(field)) compiled.push(this.executor.schema.dropIndex(fieldIndexName(model.table, field.column)).compile());
    if (!this.wantsIndex(before) && this.wantsIndex(field)) compiled.push(...this.fieldIndexes(model.table, field));
    return compiled;
  }

  createIndex(model: ModelState, index: IndexState): CompiledQuery {
    const columns = index.fields.map((name) => {
      const field = model.fields[name];
      if (field === undefined) throw new MigrationError(`Index ${index.name}: ${model.app}.${model.name} has no field ${name}.`);
      return field.column;
    });
    const builder = this.executor.schema.createIndex(index.name).on(model.table).columns(columns);
    return (index.unique ? builder.unique() : builder).compile();
  }

  /** SQLite cannot alter a column: copy the table into a new one with the new definition (as Django does). */
  private remake(before: ModelState, after: ModelState, fill: Record<string, JsonValue | undefined>): CompiledQuery[] {
    const temporary = `new__${after.table}`;
    const statements = this.createModel(after, temporary, false).filter((_, index) => index === 0);
    const targets: RawBuilder<unknown>[] = [];
    const sources: RawBuilder<unknown>[] = [];
    for (const [name, field] of Object.entries(after.fields)) {
      if (field.type === "manyToMany") continue;
      const old = before.fields[name];
      targets.push(sql.id(field.column));
      if (old !== undefined && old.type !== "manyToMany") sources.push(field.null || field.default === undefined ? sql.id(old.column) : sql`coalesce(${sql.id(old.column)}, ${this.literal(field, field.default)})`);
      else sources.push(name in fill && fill[name] !== undefined ? this.literal(field, fill[name] as JsonValue) : sql`null`);
    }
    statements.push(sql`insert into ${sql.table(temporary)} (${sql.join(targets)}) select ${sql.join(sources)} from ${sql.table(before.table)}`.compile(this.executor));
    statements.push(this.executor.schema.dropTable(before.table).compile());
    statements.push(this.executor.schema.alterTable(temporary).renameTo(after.table).compile());
    statements.push(...this.indexes(after));
    return statements;
  }

  private indexes(model: ModelState): CompiledQuery[] {
    return [...Object.values(model.fields).flatMap((field) => this.fieldIndexes(model.table, field)), ...model.indexes.map((index) => this.createIndex(model, index))];
  }

  wantsIndex(field: FieldState): boolean {
    return (field.dbIndex === true || field.type === "foreignKey") && !field.unique && !field.primaryKey;
  }

  fieldIndexes(table: string, field: FieldState): CompiledQuery[] {
    return this.wantsIndex(field) ? [this.executor.schema.createIndex(fieldIndexName(table, field.column)).on(table).column(field.column).compile()] : [];
  }

  private createJoinTable(model: ModelState, name: string, field: FieldState): CompiledQuery[] {
    const target = this.target(field, model);
    const { source, target: targetColumn } = joinColumns(`${model.app}.${model.name}`, field.to ?? "");
    const table = field.through ?? field.column;
    const idType = (m: ModelState) => this.dataType({ ...this.pkField(m), type: this.pkField(m).type === "auto" ? "foreignKey" : this.pkField(m).type });
    void name;
    const create = this.executor.schema
      .createTable(table)
      .addColumn("id", this.dataType({ type: "auto", column: "id" }), (c) => this.constraints(c, { type: "auto", column: "id" }))
      .addColumn(source, idType(model), (c) => c.notNull().references(`${model.table}.${this.pkColumn(model)}`).onDelete("cascade"))
      .addColumn(targetColumn, idType(target), (c) => c.notNull().references(`${target.table}.${this.pkColumn(target)}`).onDelete("cascade"))
      .addUniqueConstraint(`${table}_${source}_${targetColumn}_uniq`.slice(0, 63), [source, targetColumn]);
    return [create.compile(), this.executor.schema.createIndex(fieldIndexName(table, targetColumn)).on(table).column(targetColumn).compile()];
  }

  private target(field: FieldState, self?: ModelState): ModelState {
    const found = field.to === undefined ? undefined : this.state.get(field.to);
    if (found !== undefined) return found;
    if (self !== undefined && field.to === `${self.app}.${self.name}`) return self;
    throw new MigrationError(`The relation to ${field.to} needs that model in an earlier migration: add a dependency on the migration that creates it.`);
  }

  private pkField(model: ModelState): FieldState {
    const pk = Object.values(model.fields).find((field) => field.type === "auto" || field.primaryKey);
    if (pk === undefined) throw new MigrationError(`${model.app}.${model.name} has no primary key in the migration state.`);
    return pk;
  }

  private pkColumn(model: ModelState): string {
    return this.pkField(model).column;
  }

  /** `self`: the model being created or changed, which a foreign key to itself points at (it is not in the state yet). */
  private dataType(field: FieldState, self?: ModelState): RawBuilder<unknown> {
    const pg = this.vendor === "postgresql";
    switch (field.type) {
      case "auto":
        return sql.raw(pg ? "bigint" : "integer");
      case "foreignKey": {
        if (field.to === undefined) return sql.raw(pg ? "bigint" : "integer");
        const target = this.state.get(field.to) ?? (self !== undefined && field.to === `${self.app}.${self.name}` ? self : undefined);
        const pk = target === undefined ? undefined : this.pkField(target);
        return pk === undefined || pk.type === "auto" ? sql.raw(pg ? "bigint" : "integer") : this.dataType(pk);
      }
      case "char":
        return sql.raw(`varchar(${field.maxLength ?? 255})`);
      case "text":
        return sql.raw("text");
      case "integer":
        return sql.raw("integer");
      case "bigint":
        return sql.raw("bigint");
      case "float":
        return sql.raw(pg ? "double precision" : "real");
      case "decimal":
        return sql.raw(`numeric(${field.maxDigits ?? 10}, ${field.decimalPlaces ?? 2})`);
      case "boolean":
        return sql.raw("boolean");
      case "datetime":
        return sql.raw(pg ? "timestamp with time zone" : "datetime");
      case "date":
        return sql.raw("date");
      case "json":
        return sql.raw(pg ? "jsonb" : "text");
      case "uuid":
        return sql.raw(pg ? "uuid" : "char(36)");
      case "manyToMany":
        throw new MigrationError("A many-to-many field has no column.");
    }
  }

  private constraints(column: ColumnDefinitionBuilder, field: FieldState, self?: ModelState): ColumnDefinitionBuilder {
    let c = column;
    if (field.type === "auto") {
      c = c.primaryKey();
      return this.vendor === "sqlite" ? c.autoIncrement() : c.generatedByDefaultAsIdentity();
    }
    if (field.primaryKey) c = c.primaryKey();
    if (!field.null) c = c.notNull();
    if (field.unique && !field.primaryKey) c = c.unique();
    if (field.type === "foreignKey") {
      const target = this.target(field, self);
      c = c.references(`${target.table}.${this.pkColumn(target)}`).onDelete(onDeleteSql(field));
    }
    return c;
  }

  private literal(field: FieldState, value: JsonValue): RawBuilder<unknown> {
    if (value === null) return sql`null`;
    if (field.type === "json") return sql.lit(JSON.stringify(value));
    if (typeof value === "boolean") return this.vendor === "sqlite" ? sql.lit(value ? 1 : 0) : sql.lit(value);
    if (typeof value === "number" || typeof value === "string") return sql.lit(value);
    return sql.lit(JSON.stringify(value));
  }
}

function onDeleteSql(field: FieldState): "cascade" | "restrict" | "set null" | "no action" {
  switch (field.onDelete) {
    case "CASCADE":
      return "cascade";
    case "SET_NULL":
      return "set null";
    case "DO_NOTHING":
      return "no action";
    default:
      return "restrict";
  }
}
