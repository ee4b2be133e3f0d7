import { MigrationError } from "../errors.js";
import { IrreversibleError } from "./errors.js";
import { applyOperation, cloneState, type ProjectState } from "./state.js";
import type { LoadedMigration, ModelState, Operation } from "./types.js";

/** One operation to run when unapplying, and the state it runs against (the schema editor's input). */
export interface ReverseStep {
  /** 1-based position of the forward operation in its migration. */
  readonly index: number;
  /** The forward operation being undone. */
  readonly original: Operation;
  /** What undoes it (an `AddField` for a `RemoveField`, the `reverseSql` for a `RunSQL`...). */
  readonly operation: Operation;
  /** The project state just before `operation` runs. */
  readonly state: ProjectState;
}

/**
 * Why `operation` cannot be undone, or undefined when it can (Django's `Operation.reversible`).
 *
 * @example
 * irreversibleReason({ type: "RunSQL", sql: "update ..." }); // "give it reverseSql ..."
 */
export function irreversibleReason(operation: Operation): string | undefined {
  if (operation.type === "RunSQL" && operation.reverseSql === undefined) return 'give it reverseSql (the SQL that undoes it; reverseSql: "" when nothing needs undoing)';
  if (operation.type === "RunCode" && operation.reverseCode === undefined) return "give it reverseCode (a function that undoes it; reverseCode: runCodeNoop when nothing needs undoing)";
  return undefined;
}

/**
 * The operations that undo `operation`, computed from `before`, the state the forward operation
 * started from (Django's `database_backwards`): a removed field or model comes back as it was
 * declared there, an altered field goes back to its old definition.
 *
 * @example
 * inverseOperations(state, "polls", { type: "AddField", model: "Question", name: "slug", field }); // [{ type: "RemoveField", ... }]
 */
export function inverseOperations(before: ProjectState, app: string, operation: Operation): Operation[] {
  const model = (name: string): ModelState => {
    const found = before.get(`${app}.${name}`);
    if (found === undefined) throw new MigrationError(`Cannot undo ${operation.type}: no model ${app}.${name} in the state before it.`);
    return found;
  };
  switch (operation.type) {
    case "CreateModel":
      return [{ type: "DeleteModel", name: operation.name }];
    case "DeleteModel": {
      const { name, table, fields, indexes } = model(operation.name);
      return [{ type: "CreateModel", name, table, fields: { ...fields }, ...(indexes.length > 0 && { indexes: [...indexes] }) }];
    }
    case "RenameModel":
      return [{ type: "RenameModel", oldName: operation.newName, newName: operation.oldName, table: model(operation.oldName).table }];
    case "AddField":
      return [{ type: "RemoveField", model: operation.model, name: operation.name }];
    case "RemoveField": {
      const owner = model(operation.model);
      const field = owner.fields[operation.name];
      if (field === undefined) throw new MigrationError(`Cannot undo RemoveField: ${app}.${operation.model} had no field ${operation.name}.`);
      // The forward operation dropped the indexes over the field with it; they come back too.
      const indexes = owner.indexes.filter((index) => index.fields.includes(operation.name));
      return [{ type: "AddField", model: operation.model, name: operation.name, field }, ...indexes.map((index): Operation => ({ type: "AddIndex", model: operation.model, index }))];
    }
    case "AlterField": {
      const field = model(operation.model).fields[operation.name];
      if (field === undefined) throw new MigrationError(`Cannot undo AlterField: ${app}.${operation.model} had no field ${operation.name}.`);
      return [{ type: "AlterField", model: operation.model, name: operation.name, field }];
    }
    case "RenameField": {
      const field = model(operation.model).fields[operation.oldName];
      if (field === undefined) throw new MigrationError(`Cannot undo RenameField: ${app}.${operation.model} had no field ${operation.oldName}.`);
      return [{ type: "RenameField", model: operation.model, oldName: operation.newName, newName: operation.oldName, column: field.column }];
    }
    case "AddIndex":
      return [{ type: "RemoveIndex", model: operation.model, name: operation.index.name }];
    case "RemoveIndex": {
      const index = model(operation.model).indexes.find((candidate) => candidate.name === operation.name);
      if (index === undefined) throw new MigrationError(`Cannot undo RemoveIndex: ${app}.${operation.model} had no index ${operation.name}.`);
      return [{ type: "AddIndex", model: operation.model, index }];
    }
    case "RunSQL":
      if (operation.reverseSql === undefined) throw new MigrationError(`RunSQL has no reverseSql.`);
      return [{ type: "RunSQL", sql: operation.reverseSql }];
    case "RunCode":
      if (operation.reverseCode === undefined) throw new MigrationError(`RunCode has no reverseCode.`);
      return [{ type: "RunCode", code: operation.reverseCode, ...(operation.description !== undefined && { description: `undo ${operation.description}` }) }];
  }
}

/**
 * Everything unapplying `loaded` runs, in order (its operations undone last to first), from
 * `before`, the state before the migration was applied. Pure: an irreversible operation throws
 * {@link IrreversibleError} here, before any database work.
 *
 * @example
 * for (const step of reverseSteps(migration, graph.state(key))) operationSql(db, vendor, step.state, app, step.operation);
 */
export function reverseSteps(loaded: LoadedMigration, before: ProjectState): ReverseStep[] {
  const key = `${loaded.app}.${loaded.name}`;
  const operations = loaded.migration.operations;
  operations.forEach((operation, index) => {
    const reason = irreversibleReason(operation);
    if (reason !== undefined) throw new IrreversibleError(key, index + 1, operation.type, reason);
  });
  // The state before each forward operation, so each inverse is computed from what was there.
  const states: ProjectState[] = [];
  const state = cloneState(before);
  for (const operation of operations) {
    states.push(cloneState(state));
    applyOperation(state, loaded.app, operation);
  }
  const steps: ReverseStep[] = [];
  for (let index = operations.length - 1; index >= 0; index--) {
    const original = operations[index] as Operation;
    for (const operation of inverseOperations(states[index] as ProjectState, loaded.app, original)) {
      steps.push({ index: index + 1, original, operation, state: cloneState(state) });
      applyOperation(state, loaded.app, operation);
    }
  }
  return steps;
}
