import { MigrationError } from "../errors.js";
import type { FieldState } from "../fields/field.js";
import type { ProjectState } from "./state.js";
import type { ModelState, Operation } from "./types.js";

/**
 * The operations that turn `before` (the migrations' state) into `after` (the models) for one
 * app (Django's autodetector). New models come in dependency order; a relation to a model
 * created later in the same migration becomes an AddField after it.
 *
 * @example
 * detectChanges(migrationState, stateFromModels(apps.all()), "polls"); // [{ type: "CreateModel", name: "Question", ... }]
 */
export function detectChanges(before: ProjectState, after: ProjectState, app: string): Operation[] {
  const operations: Operation[] = [];
  const ofApp = (state: ProjectState) => new Map([...state].filter(([, model]) => model.app === app));
  const old = ofApp(before);
  const now = ofApp(after);

  const added = [...now.values()].filter((model) => !old.has(`${app}.${model.name}`));
  const created = new Set<string>();
  const deferred: Operation[] = [];
  for (const model of orderByDependencies(added, app)) {
    const fields: Record<string, FieldState> = {};
    for (const [name, field] of Object.entries(model.fields)) {
      const target = field.to;
      const pending = target !== undefined && target !== `${app}.${model.name}` && now.has(target) && !old.has(target) && !created.has(target);
      if (pending) deferred.push({ type: "AddField", model: model.name, name, field });
      else fields[name] = field;
    }
    operations.push({ type: "CreateModel", name: model.name, table: model.table, fields, ...(model.indexes.length > 0 && { indexes: model.indexes }) });
    created.add(`${app}.${model.name}`);
  }
  operations.push(...deferred);

  for (const [label, model] of now) {
    const previous = old.get(label);
    if (previous === undefined) continue;
    if (previous.table !== model.table) {
      throw new MigrationError(`${label}: renaming the table from ${previous.table} to ${model.table} is not detected; write a RunSQL migration (makemigrations --empty ${app}).`);
    }
    for (const [name, field] of Object.entries(model.fields)) {
      const was = previous.fields[name];
      if (was === undefined) {
        const needsValue = !field.null && field.default === undefined && field.type !== "auto" && field.type !== "manyToMany";
        if (needsValue) {
          throw new MigrationError(`${label}.${name} is added without null: true and without a default, so existing rows would have no value: give the field a default (a literal, e.g. default: 0) or null: true.`);
        }
        operations.push({ type: "AddField", model: model.name, name, field });
      } else if (JSON.stringify(was) !== JSON.stringify(field)) {
        operations.push({ type: "AlterField", model: model.name, name, field });
      }
    }
    for (const name of Object.keys(previous.fields)) {
      if (!(name in model.fields)) operations.push({ type: "RemoveField", model: model.name, name });
    }
    for (const index of previous.indexes) {
      if (!model.indexes.some((i) => JSON.stringify(i) === JSON.stringify(index))) operations.push({ type: "RemoveIndex", model: model.name, name: index.name });
    }
    for (const index of model.indexes) {
      if (!previous.indexes.some((i) => JSON.stringify(i) === JSON.stringify(index))) operations.push({ type: "AddIndex", model: model.name, index });
    }
  }

  const removed = [...old.values()].filter((model) => !now.has(`${app}.${model.name}`));
  for (const model of orderByDependencies(removed, app).reverse()) operations.push({ type: "DeleteModel", name: model.name });
  return operations;
}

/** Models ordered so that a model comes after the models of the same app its relations point at (cycles keep declaration order). */
function orderByDependencies(models: readonly ModelState[], app: string): ModelState[] {
  const byLabel = new Map(models.map((model) => [`${app}.${model.name}`, model]));
  const ordered: ModelState[] = [];
  const visiting = new Set<string>();
  const visit = (label: string): void => {
    const model = byLabel.get(label);
    if (model === undefined || ordered.includes(model) || visiting.has(label)) return;
    visiting.add(label);
    for (const field of Object.values(model.fields)) if (field.to !== undefined && field.to !== label) visit(field.to);
    ordered.push(model);
  };
  for (const label of byLabel.keys()) visit(label);
  return ordered;
}

/**
 * Other apps whose models the operations point at (their latest migration becomes a dependency).
 *
 * @example
 * externalApps(operations, "polls"); // ["auth"]
 */
export function externalApps(operations: readonly Operation[], app: string): string[] {
  const apps = new Set<string>();
  for (const operation of operations) {
    const fields = operation.type === "CreateModel" ? Object.values(operation.fields) : operation.type === "AddField" || operation.type === "AlterField" ? [operation.field] : [];
    for (const field of fields) {
      const other = field.to?.split(".")[0];
      if (other !== undefined && other !== app) apps.add(other);
    }
  }
  return [...apps];
}
