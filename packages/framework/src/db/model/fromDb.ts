import type { Vendor } from "../backends/database.js";
import type { ModelInstance } from "./instance.js";
import { bindModel } from "./instance.js";
import type { AnyModel } from "./types.js";

/**
 * An instance of `model` from a row the database returned (Django's `Model.from_db()`): each
 * field is set once, from its column (`prefix + column`), instead of the constructor's default
 * and then the column's value, so a loaded row computes no defaults (no callable default is
 * called for it). A column missing from the row gets the field's default, as the constructor
 * would give. `_state.adding` is false and `_state.db` is `alias`. The object is the one
 * `new model()` then assigning the row builds: same prototype, same own properties in the same
 * order (the model classes' constructors only call `ModelInstance`'s, see `defineModel`).
 *
 * @example
 * instanceFromDb(Question, { id: 1, question_text: "Why?", pub_date: "2026-12-07T10:00:00.000Z" }, "sqlite", "", "default");
 */
export function instanceFromDb(model: AnyModel, row: Readonly<Record<string, unknown>>, vendor: Vendor, prefix: string, alias: string): ModelInstance {
  const created: object = Object.create(model.prototype) as object;
  const state = bindModel(created, model);
  // Plain assignment, not Reflect.set (setAttr): half the cost per field on this hot path, same
  // [[Set]] semantics (field attributes are own data properties; no setter is on the prototype for them).
  const attributes = created as Record<string, unknown>;
  for (const field of model.meta.concreteFields) {
    const key = prefix + field.column;
    attributes[field.attname] = key in row ? field.fromDb(row[key], vendor) : field.defaultValue();
  }
  state.adding = false;
  state.db = alias;
  return created as ModelInstance;
}
