import { sql } from "kysely";
import { runCompiled } from "../backends/database.js";
import { connections } from "../connections.js";
import { FieldError } from "../errors.js";
import { getAttr, setAttr } from "../model/attributes.js";
import type { ModelInstance } from "../model/instance.js";
import type { AnyModel } from "../model/types.js";
import { executorFor } from "../transaction.js";

/** Options of `instance.save()`. */
export interface SaveOptions {
  /** Update only these fields (Django's `update_fields`). */
  updateFields?: readonly string[];
  /** Always INSERT (fails on a duplicate key). */
  forceInsert?: boolean;
  /** The database (default: where the instance came from). */
  using?: string;
}

/**
 * The row values of `instance` for its model's table, by column, converted for the database.
 *
 * @example
 * rowOf(Question, question, "sqlite"); // { question_text: "Why?", pub_date: "2026-12-07T..." }
 */
export function rowOf(model: AnyModel, instance: object, vendor: "sqlite" | "postgresql", only?: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of model.meta.concreteFields) {
    if (only !== undefined && !only.includes(field.name) && !only.includes(field.attname)) continue;
    const value = getAttr(instance, field.attname);
    if (field.kind === "auto" && (value === undefined || value === null)) continue;
    row[field.column] = field.toDb(value, vendor);
  }
  return row;
}

/**
 * Sets an instance's attributes from a row the database returned (by column).
 *
 * @example
 * assignRow(Question, question, { id: 1, question_text: "Why?" }, "sqlite");
 */
export function assignRow(model: AnyModel, instance: object, row: Readonly<Record<string, unknown>>, vendor: "sqlite" | "postgresql", prefix = ""): void {
  for (const field of model.meta.concreteFields) {
    const key = prefix + field.column;
    if (key in row) setAttr(instance, field.attname, field.fromDb(row[key], vendor));
  }
}

/** INSERT or UPDATE, as Django's `Model.save()`. */
export async function saveInstance(instance: ModelInstance, options: SaveOptions): Promise<void> {
  const model = instance._model;
  const meta = model.meta;
  const alias = options.using ?? instance._state.db;
  const vendor = connections.get(alias).vendor;
  const executor = executorFor(alias);
  for (const field of meta.concreteFields) {
    if (field.options.autoNow === true || (field.options.autoNowAdd === true && instance._state.adding && getAttr(instance, field.attname) == null)) {
      setAttr(instance, field.attname, new Date());
    }
  }
  if (options.updateFields !== undefined) {
    for (const name of options.updateFields) meta.getField(name);
    if (instance._state.adding) throw new FieldError(`${meta.label}: updateFields needs a saved instance; call save() without it first.`);
  }
  const pk = instance.pk;
  if (!instance._state.adding && !options.forceInsert && pk !== undefined && pk !== null) {
    const row = rowOf(model, instance, vendor, options.updateFields);
    delete row[meta.pk.column];
    if (Object.keys(row).length === 0) return;
    const query = executor.updateTable(meta.table).set(row).where(sql.ref(meta.pk.column), "=", meta.pk.toDb(pk, vendor));
    const result = await runCompiled(executor, query.compile());
    if (Number(result.numAffectedRows ?? 0) > 0 || options.updateFields !== undefined) return;
  }
  const query = executor.insertInto(meta.table).values(rowOf(model, instance, vendor)).returningAll();
  const { rows } = await runCompiled(executor, query.compile());
  if (rows[0] !== undefined) assignRow(model, instance, rows[0], vendor);
  instance._state.adding = false;
  instance._state.db = alias;
}

/** DELETE of one row; the instance keeps its values but loses its primary key, as in Django. */
export async function deleteInstance(instance: ModelInstance): Promise<void> {
  const meta = instance._model.meta;
  if (instance.pk === undefined || instance.pk === null) throw new FieldError(`${meta.label} object can't be deleted because its ${meta.pk.name} attribute is not set.`);
  const alias = instance._state.db;
  const executor = executorFor(alias);
  const query = executor.deleteFrom(meta.table).where(sql.ref(meta.pk.column), "=", meta.pk.toDb(instance.pk, connections.get(alias).vendor));
  await runCompiled(executor, query.compile());
  if (meta.pk.kind === "auto") setAttr(instance, meta.pk.attname, null);
  instance._state.adding = true;
}

/** Reloads every field from the row. */
export async function refreshInstance(instance: ModelInstance): Promise<void> {
  const model = instance._model;
  const fresh = await model.objects.using(instance._state.db).get({ pk: instance.pk });
  for (const field of model.meta.concreteFields) setAttr(instance, field.attname, getAttr(fresh, field.attname));
  instance._state.relatedCache.clear();
  instance._state.prefetched.clear();
}
