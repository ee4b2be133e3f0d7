import type { Vendor } from "../backends/database.js";
import { setAttr } from "./attributes.js";
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
  const instance = Object.create(model.prototype) as ModelInstance;
  bindModel(instance, model);
  for (const field of model.meta.concreteFields) {
    const key = prefix + field.column;
    setAttr(instance, field.attname, key in row ? field.fromDb(row[key], vendor) : field.defaultValue());
  }
  instance._state.adding = false;
  instance._state.db = alias;
  return instance;
}
