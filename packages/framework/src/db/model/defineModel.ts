import { ModelDeclarationError, MultipleObjectsReturned, ObjectDoesNotExist, RelatedObjectNotLoaded } from "../errors.js";
import { ForeignKeyField, ManyToManyRelation } from "../fields/relations.js";
import { QuerySet } from "../query/querySet.js";
import { getAttr, setAttr } from "./attributes.js";
import { ModelInstance } from "./instance.js";
import { ModelMeta } from "./meta.js";
import { apps } from "./registry.js";
import type { AnyModel, FieldMap, MetaOptions, ModelClass, ModelDefinition } from "./types.js";

/**
 * Declares a model (Django's `class Question(models.Model)`) in an app's `models.ts`.
 * Every model gets an `id` auto primary key unless a field says `primaryKey: true`; the table
 * is `<app>_<model>` unless `meta.dbTable` says otherwise. A wrong declaration throws a
 * `ModelDeclarationError` naming the field and the fix.
 *
 * @example
 * export const Question = defineModel("polls", "Question", {
 *   fields: { questionText: CharField({ maxLength: 200 }), pubDate: DateTimeField() },
 *   meta: { ordering: ["-pubDate"] },
 *   str: (q) => q.questionText,
 *   methods: {
 *     wasPublishedRecently() { return this.pubDate.getTime() >= Date.now() - 86_400_000; },
 *   },
 * });
 * export type Question = InstanceOf<typeof Question>;
 */
export function defineModel<F extends FieldMap, X extends object = object>(app: string, name: string, definition: ModelDefinition<F, X>): ModelClass<F, X>;
export function defineModel(app: string, name: string, definition: RuntimeDefinition): AnyModel {
  const meta = new ModelMeta(app, name, definition.fields, definition.meta);

  class DoesNotExist extends ObjectDoesNotExist {}
  class Multiple extends MultipleObjectsReturned {}
  Object.defineProperty(DoesNotExist, "name", { value: `${name}.DoesNotExist` });
  Object.defineProperty(Multiple, "name", { value: `${name}.MultipleObjectsReturned` });

  class Model extends ModelInstance {
    static readonly meta = meta;
    static readonly DoesNotExist = DoesNotExist;
    static readonly MultipleObjectsReturned = Multiple;
    static objects: QuerySet<FieldMap, ModelInstance>;

    constructor(values?: Readonly<Record<string, unknown>>) {
      super(Model, values);
    }

    static build(values: Readonly<Record<string, unknown>>): Model {
      return new Model(values);
    }
  }
  Object.defineProperty(Model, "name", { value: name });
  Model.objects = new QuerySet<FieldMap, ModelInstance>(Model);

  for (const field of meta.fields) {
    if (field instanceof ForeignKeyField || field instanceof ManyToManyRelation) field.owner = Model;
  }
  for (const fk of meta.foreignKeys) defineForeignKeyAccessor(Model.prototype, fk, meta.label);
  if (definition.methods !== undefined) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(definition.methods))) {
      if (meta.findField(key) !== undefined) throw new ModelDeclarationError(`${meta.label}: the method "${key}" has the name of a field; rename it.`);
      Object.defineProperty(Model.prototype, key, { ...descriptor, enumerable: false });
    }
  }
  const str = definition.str;
  if (str !== undefined) {
    Object.defineProperty(Model.prototype, "toString", {
      value(this: ModelInstance) {
        return str(this);
      },
      enumerable: false,
    });
  }
  apps.register(Model);
  return Model;
}

/** A definition as handled at run time (the overload above keeps the types). */
interface RuntimeDefinition {
  fields: FieldMap;
  meta?: MetaOptions<FieldMap>;
  str?(instance: ModelInstance): string;
  methods?: object;
}

/** `choice.question`: the loaded object; setting it sets `choice.questionId` too. */
function defineForeignKeyAccessor(prototype: ModelInstance, fk: ForeignKeyField, label: string): void {
  Object.defineProperty(prototype, fk.name, {
    enumerable: false,
    get(this: ModelInstance) {
      const cache = this._state.relatedCache;
      if (cache.has(fk.name)) return cache.get(fk.name);
      const id = getAttr(this, fk.attname);
      if (id === null || id === undefined) return null;
      throw new RelatedObjectNotLoaded(
        `${label}.${fk.name} is not loaded: add selectRelated("${fk.name}") or prefetchRelated("${fk.name}") to the query, or use await instance.getRelated("${fk.name}") (the id is ${label.split(".")[1]}.${fk.attname}).`,
      );
    },
    set(this: ModelInstance, value: unknown) {
      if (value instanceof ModelInstance) {
        setAttr(this, fk.attname, value.pk);
        this._state.relatedCache.set(fk.name, value);
      } else {
        setAttr(this, fk.attname, value ?? null);
        if (value === null || value === undefined) this._state.relatedCache.set(fk.name, null);
        else this._state.relatedCache.delete(fk.name);
      }
    },
  });
}
