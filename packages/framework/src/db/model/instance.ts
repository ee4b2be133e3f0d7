import { FieldError } from "../errors.js";
import { ForeignKeyField } from "../fields/relations.js";
import { q } from "../query/expressions.js";
import { ManyRelatedManager } from "../query/manyRelated.js";
import { deleteInstance, refreshInstance, saveInstance, type SaveOptions } from "../query/persistence.js";
import type { QuerySet } from "../query/querySet.js";
import { getAttr, setAttr } from "./attributes.js";
import { apps } from "./registry.js";
import type { FieldMap, AnyModel } from "./types.js";

/** Bookkeeping of an instance (Django's `_state`): not a field, not enumerable. */
export interface InstanceState {
  /** Not saved yet: `save()` inserts. */
  adding: boolean;
  /** The database alias it came from / goes to. */
  db: string;
  /** Loaded foreign-key targets by field name. */
  readonly relatedCache: Map<string, ModelInstance | null>;
  /** Rows loaded by `prefetchRelated`, by relation name. */
  readonly prefetched: Map<string, ModelInstance[]>;
}

/** {@link InstanceState} whose two maps are made on first use: most loaded rows never touch them, and a list page loads many rows. */
class LazyInstanceState implements InstanceState {
  adding = true;
  db = "default";
  #relatedCache: Map<string, ModelInstance | null> | undefined;
  #prefetched: Map<string, ModelInstance[]> | undefined;

  get relatedCache(): Map<string, ModelInstance | null> {
    return (this.#relatedCache ??= new Map());
  }

  get prefetched(): Map<string, ModelInstance[]> {
    return (this.#prefetched ??= new Map());
  }
}

const knownNamesByModel = new WeakMap<AnyModel, ReadonlySet<string>>();

/** The names a model's constructor accepts (fields, foreign keys' ids, many-to-many relations), computed once per model. */
function knownNames(model: AnyModel): ReadonlySet<string> {
  let known = knownNamesByModel.get(model);
  if (known === undefined) {
    const names = new Set<string>();
    for (const field of model.meta.concreteFields) names.add(field.name).add(field.attname);
    for (const field of model.meta.manyToMany) names.add(field.name);
    known = names;
    knownNamesByModel.set(model, known);
  }
  return known;
}

/**
 * Gives `target` (a new instance) its non-enumerable `_state` (adding, on "default") and `_model`,
 * and returns the state: shared by the constructor and `instanceFromDb`, which must build the same object.
 *
 * @example
 * bindModel(Object.create(Question.prototype), Question);
 */
export function bindModel(target: object, model: AnyModel): InstanceState {
  const state = new LazyInstanceState();
  Object.defineProperty(target, "_state", { value: state, enumerable: false });
  Object.defineProperty(target, "_model", { value: model, enumerable: false });
  return state;
}

/**
 * The base of every model instance: `save()`, `delete()`, `refreshFromDb()`, related objects.
 * Field values are own properties (`question.questionText`); a foreign key `question` gives
 * `choice.questionId` and `choice.question` (loaded by `selectRelated` or `getRelated`).
 */
export class ModelInstance {
  declare readonly _state: InstanceState;
  declare readonly _model: AnyModel;

  constructor(model: AnyModel, values: Readonly<Record<string, unknown>> = {}) {
    // Rows loaded by a query skip this constructor (model/fromDb.ts): keep the two in step.
    bindModel(this, model);
    const meta = model.meta;
    for (const field of meta.concreteFields) {
      const given = values[field.name] ?? values[field.attname];
      if (field instanceof ForeignKeyField && values[field.name] !== undefined) {
        setAttr(this, field.name, values[field.name]); // the accessor sets the id and the cache
      } else {
        setAttr(this, field.attname, given !== undefined ? given : field.defaultValue());
      }
    }
    const keys = Object.keys(values);
    // Rows loaded by a query construct with no values: no names to check.
    const unknown = keys.length === 0 ? keys : keys.filter((key) => !knownNames(model).has(key));
    if (unknown.length > 0) {
      throw new FieldError(`${meta.label} has no field ${unknown.map((k) => `"${k}"`).join(", ")}; its fields are ${meta.concreteFields.map((f) => f.name).join(", ")}.`);
    }
  }

  /** The primary key's value (undefined/null before the first save of an auto key). */
  get pk(): number | string {
    return getAttr(this, this._model.meta.pk.attname) as number | string;
  }

  /**
   * Inserts the row (first save) or updates it. `autoNow` fields are set first.
   *
   * @example
   * question.questionText = "What's up?";
   * await question.save();
   */
  async save(options: SaveOptions = {}): Promise<void> {
    await saveInstance(this, options);
  }

  /**
   * Deletes the row; the database applies each foreign key's `onDelete` to rows pointing at it.
   *
   * @example
   * await choice.delete();
   */
  async delete(): Promise<void> {
    await deleteInstance(this);
  }

  /**
   * Reloads the field values from the database (after an `F()` update, for instance).
   *
   * @example
   * await Choice.objects.filter({ pk: choice.pk }).update({ votes: F("votes").add(1) });
   * await choice.refreshFromDb();
   */
  async refreshFromDb(): Promise<void> {
    await refreshInstance(this);
  }

  /**
   * Loads (once) and returns the object a foreign key points at.
   *
   * @example
   * const question = await choice.getRelated("question");
   */
  async getRelated(name: string): Promise<ModelInstance | null> {
    const field = this._model.meta.getField(name);
    if (!(field instanceof ForeignKeyField)) throw new FieldError(`${this._model.meta.label}.${name} is not a foreign key.`);
    if (!this._state.relatedCache.has(name)) {
      const id = getAttr(this, field.attname);
      const target = apps.getModel(field.targetLabel);
      this._state.relatedCache.set(name, id === null || id === undefined ? null : await target.objects.using(this._state.db).get({ pk: id }));
    }
    return this._state.relatedCache.get(name) ?? null;
  }

  /**
   * The rows of `model` whose foreign key points here (Django's `question.choice_set`), served
   * from the prefetch cache when the query used `prefetchRelated`. Pass `field` when `model` has
   * more than one foreign key to this model.
   *
   * @example
   * const choices = await question.related(Choice).orderBy("-votes").toArray();
   */
  related<F extends FieldMap, I extends ModelInstance>(model: { readonly objects: QuerySet<F, I>; readonly meta: AnyModel["meta"] }, field?: string): QuerySet<F, I> {
    const candidates = model.meta.foreignKeys.filter((fk) => fk.targetLabel === this._model.meta.label && (field === undefined || fk.name === field));
    if (candidates.length !== 1) {
      throw new FieldError(
        candidates.length === 0
          ? `${model.meta.label} has no foreign key to ${this._model.meta.label}${field ? ` named "${field}"` : ""}.`
          : `${model.meta.label} has several foreign keys to ${this._model.meta.label} (${candidates.map((c) => c.name).join(", ")}): pass the field name, related(${model.meta.name}, "${candidates[0]?.name}").`,
      );
    }
    const fk = candidates[0] as ForeignKeyField;
    const relation = apps.reverseRelations(this._model).find((r) => r.field === fk);
    const cached = relation === undefined ? undefined : this._state.prefetched.get(relation.name);
    const query = model.objects.using(this._state.db).filter(q({ [fk.attname]: this.pk }));
    return cached === undefined ? query : query.withResultCache(cached as I[]);
  }

  /**
   * The manager of a many-to-many field: `all()`, `add()`, `remove()`, `set()`, `clear()`.
   *
   * @example
   * await article.m2m("tags").add(python, django);
   * const tags = await article.m2m("tags").all().toArray();
   */
  m2m(name: string): ManyRelatedManager {
    return new ManyRelatedManager(this, name);
  }

  /**
   * The label of a field's current value among its `choices` (Django's `get_FOO_display()`).
   *
   * @example
   * shirt.getFieldDisplay("size"); // "Large"
   */
  getFieldDisplay(name: string): string {
    const field = this._model.meta.getField(name);
    const value = getAttr(this, field.attname);
    const choice = field.options.choices?.find(([key]) => key === value);
    return choice === undefined ? String(value) : choice[1];
  }

  /** The field values, by attribute (`questionId` for a foreign key), for JSON responses. */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this._model.meta.concreteFields.map((field) => [field.attname, getAttr(this, field.attname)]));
  }

  /** The model's `str`, else `Question object (1)` (Django's default `__str__`). */
  toString(): string {
    return `${this._model.meta.name} object (${String(this.pk ?? "None")})`;
  }
}
