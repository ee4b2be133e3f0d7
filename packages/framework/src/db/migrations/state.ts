import { MigrationError } from "../errors.js";
import type { AnyModel } from "../model/types.js";
import { snakeCase, type FieldState } from "../fields/field.js";
import type { IndexState, ModelState, Operation } from "./types.js";

/** Models by `app.Model`, as the migrations (or the current code) describe them. */
export type ProjectState = Map<string, ModelState>;

/**
 * The state of `models` as they are declared now.
 *
 * @example
 * const current = stateFromModels(apps.all());
 */
export function stateFromModels(models: readonly AnyModel[]): ProjectState {
  const state: ProjectState = new Map();
  for (const model of models) {
    const meta = model.meta;
    const fields = Object.fromEntries(meta.fields.map((field) => [field.name, field.state()]));
    const indexes: IndexState[] = [
      ...meta.indexes.map((index) => ({ name: index.name, fields: [...index.fields] })),
      ...meta.uniqueTogether.map((set) => ({ name: uniqueName(meta.table, set.map((f) => meta.getField(f).column)), fields: [...set], unique: true })),
    ];
    state.set(meta.label, { app: meta.app, name: meta.name, table: meta.table, fields, indexes });
  }
  return state;
}

/** The name of a `uniqueTogether` index. */
export function uniqueName(table: string, columns: readonly string[]): string {
  return `${table}_${columns.join("_")}_uniq`.slice(0, 63);
}

/**
 * Applies one operation of app `app` to a copy-on-write state (Django's `state_forwards`).
 *
 * @example
 * applyOperation(state, "polls", { type: "AddField", model: "Question", name: "slug", field });
 */
export function applyOperation(state: ProjectState, app: string, operation: Operation): void {
  const get = (model: string): ModelState => {
    const found = state.get(`${app}.${model}`);
    if (found === undefined) throw new MigrationError(`${operation.type} refers to the model ${app}.${model}, which no earlier migration creates.`);
    return found;
  };
  switch (operation.type) {
    case "CreateModel":
      state.set(`${app}.${operation.name}`, { app, name: operation.name, table: operation.table, fields: { ...operation.fields }, indexes: [...(operation.indexes ?? [])] });
      return;
    case "DeleteModel":
      get(operation.name);
      state.delete(`${app}.${operation.name}`);
      return;
    case "RenameModel": {
      const renamed = renamedModel(get(operation.oldName), operation.newName, operation.table);
      if (state.has(`${app}.${operation.newName}`)) throw new MigrationError(`RenameModel: ${app}.${operation.newName} already exists.`);
      const [from, to] = [`${app}.${operation.oldName}`, `${app}.${operation.newName}`];
      for (const [label, model] of [...state]) {
        const fields = Object.fromEntries(Object.entries(model.fields).map(([name, field]) => [name, field.to === from ? { ...field, to } : field]));
        state.set(label, { ...model, fields });
      }
      state.delete(from);
      state.set(to, { ...renamed, fields: Object.fromEntries(Object.entries(renamed.fields).map(([name, field]) => [name, field.to === from ? { ...field, to } : field])) });
      return;
    }
    case "AddField":
    case "AlterField": {
      const model = get(operation.model);
      state.set(`${app}.${operation.model}`, { ...model, fields: { ...model.fields, [operation.name]: operation.field } });
      return;
    }
    case "RemoveField": {
      const model = get(operation.model);
      const fields = { ...model.fields };
      delete fields[operation.name];
      state.set(`${app}.${operation.model}`, { ...model, fields, indexes: model.indexes.filter((index) => !index.fields.includes(operation.name)) });
      return;
    }
    case "RenameField": {
      const model = get(operation.model);
      const field = model.fields[operation.oldName];
      if (field === undefined) throw new MigrationError(`RenameField: ${app}.${operation.model} has no field ${operation.oldName}.`);
      if (operation.newName in model.fields) throw new MigrationError(`RenameField: ${app}.${operation.model} already has a field ${operation.newName}.`);
      const renamed = { ...field, column: renamedColumn(field, operation.oldName, operation.newName, operation.column) };
      const fields = Object.fromEntries(Object.entries(model.fields).map(([name, value]) => (name === operation.oldName ? [operation.newName, renamed] : [name, value])));
      const indexes = model.indexes.map((index) => ({ ...index, fields: index.fields.map((name) => (name === operation.oldName ? operation.newName : name)) }));
      state.set(`${app}.${operation.model}`, { ...model, fields, indexes });
      return;
    }
    case "AddIndex": {
      const model = get(operation.model);
      state.set(`${app}.${operation.model}`, { ...model, indexes: [...model.indexes, operation.index] });
      return;
    }
    case "RemoveIndex": {
      const model = get(operation.model);
      state.set(`${app}.${operation.model}`, { ...model, indexes: model.indexes.filter((index) => index.name !== operation.name) });
      return;
    }
    default:
      return; // RunSQL / RunCode change data, not the models.
  }
}

/** A deep copy, so applying operations does not change `state`. */
export function cloneState(state: ProjectState): ProjectState {
  return new Map([...state].map(([label, model]) => [label, { ...model, fields: { ...model.fields }, indexes: [...model.indexes] }]));
}

/**
 * The column of a renamed field: `column` when given; else the column the model derives from the
 * new name when the old one was derived (`snake_case`, `_id` for a foreign key); else (a `dbColumn`) unchanged.
 *
 * @example
 * renamedColumn({ type: "integer", column: "price" }, "price", "unitPrice"); // "unit_price"
 */
export function renamedColumn(field: FieldState, oldName: string, newName: string, column?: string): string {
  if (column !== undefined) return column;
  const suffix = field.type === "foreignKey" ? "_id" : "";
  return field.column === `${snakeCase(oldName)}${suffix}` ? `${snakeCase(newName)}${suffix}` : field.column;
}

/**
 * A model after RenameModel: its new name, its table (`table` when given; `<app>_<newname>` when the
 * old one was the default; else unchanged) and the indexes named after the old table renamed after
 * the new one, as the model would name them.
 *
 * @example
 * renamedModel(state.get("shop.Item")!, "Product").table; // "shop_product"
 */
export function renamedModel(model: ModelState, newName: string, table?: string): ModelState {
  const newTable = table ?? (model.table === `${model.app}_${model.name.toLowerCase()}` ? `${model.app}_${newName.toLowerCase()}` : model.table);
  const indexes = model.indexes.map((index) => {
    const columns = index.fields.map((name) => model.fields[name]?.column ?? name);
    if (index.name === uniqueName(model.table, columns)) return { ...index, name: uniqueName(newTable, columns) };
    if (index.name === `${model.table}_${columns.join("_")}_idx`.slice(0, 63)) return { ...index, name: `${newTable}_${columns.join("_")}_idx`.slice(0, 63) };
    return index;
  });
  return { ...model, name: newName, table: newTable, indexes };
}
