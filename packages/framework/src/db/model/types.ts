import type { Field } from "../fields/field.js";
import type { ForeignKeyField, ManyToManyRelation, ModelRef } from "../fields/relations.js";
import type { Expression } from "../query/expressions.js";
import type { ModelInstance } from "./instance.js";

/** A model's fields by attribute name. */
export type FieldMap = Record<string, Field>;

/** The JavaScript value of a field. */
export type ValueOf<F> = F extends Field<infer T, boolean> ? T : never;

type ScalarKeys<F extends FieldMap> = { [K in keyof F]: F[K] extends ForeignKeyField | ManyToManyRelation ? never : K }[keyof F] & string;
/** Names of the foreign keys among `F`. */
export type ForeignKeyKeys<F extends FieldMap> = { [K in keyof F]: F[K] extends ForeignKeyField ? K : never }[keyof F] & string;
/** Names of the many-to-many fields among `F`. */
export type ManyToManyKeys<F extends FieldMap> = { [K in keyof F]: F[K] extends ManyToManyRelation ? K : never }[keyof F] & string;

/** The instance of the model a relation points at (a loose instance for `"self"` and models typed elsewhere). */
export type RelatedInstance<R> =
  R extends ForeignKeyField<infer M, infer T> ? (M extends ModelClass<infer F2, infer X> ? Instance<F2, X> : ModelInstance) | (null extends T ? null : never) : never;

/** The primary key's type: the `id` field's when declared, else the automatic integer. */
export type PkType<F extends FieldMap> = "id" extends keyof F ? ValueOf<F["id"]> : number;

/** Field values as an instance holds them: scalars, `<fk>Id` and `<fk>` (the loaded object). */
export type FieldValues<F extends FieldMap> = { [K in ScalarKeys<F>]: ValueOf<F[K]> } & { [K in ForeignKeyKeys<F> as `${K}Id`]: ValueOf<F[K]> } & {
  [K in ForeignKeyKeys<F>]: RelatedInstance<F[K]>;
} & { id: PkType<F>; readonly pk: PkType<F> };

/** A model instance: its field values, the instance methods, and the model's own `methods`. */
export type Instance<F extends FieldMap, X extends object = object> = ModelInstance & FieldValues<F> & X;

type RequiredScalarKeys<F extends FieldMap> = {
  [K in ScalarKeys<F>]: F[K] extends Field<unknown, true> ? never : K extends "id" ? never : K;
}[ScalarKeys<F>];
type OptionalScalarKeys<F extends FieldMap> = Exclude<ScalarKeys<F>, RequiredScalarKeys<F>>;

/** What `create()` and `new Model()` take: required fields, optional ones, and each foreign key as object or id. */
export type CreateValues<F extends FieldMap> = { [K in RequiredScalarKeys<F>]: ValueOf<F[K]> } & { [K in OptionalScalarKeys<F>]?: ValueOf<F[K]> } & {
  [K in ForeignKeyKeys<F>]?: RelatedInstance<F[K]> | ValueOf<F[K]>;
} & { [K in ForeignKeyKeys<F> as `${K}Id`]?: ValueOf<F[K]> };

/** What `update()` takes: any field, as a value or an expression (`F("votes").add(1)`). */
export type UpdateValues<F extends FieldMap> = { [K in ScalarKeys<F>]?: ValueOf<F[K]> | Expression } & {
  [K in ForeignKeyKeys<F>]?: RelatedInstance<F[K]> | ValueOf<F[K]>;
} & { [K in ForeignKeyKeys<F> as `${K}Id`]?: ValueOf<F[K]> | Expression };

/** Lookups a filter key may end with (`votes__gte`). */
export type Lookup =
  | "exact"
  | "iexact"
  | "in"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "contains"
  | "icontains"
  | "startswith"
  | "istartswith"
  | "endswith"
  | "iendswith"
  | "isnull"
  | "range";

type LookupValue<T, L extends string> = L extends "in"
  ? readonly T[]
  : L extends "isnull"
    ? boolean
    : L extends "range"
      ? readonly [T, T]
      : L extends "contains" | "icontains" | "startswith" | "istartswith" | "endswith" | "iendswith" | "iexact"
        ? string
        : T | Expression;

type FieldFilterKeys<F extends FieldMap> =
  | { [K in ScalarKeys<F>]: K | `${K}__${Lookup}` }[ScalarKeys<F>]
  | { [K in ForeignKeyKeys<F>]: K | `${K}Id` | `${K}__${Lookup}` | `${K}Id__${Lookup}` }[ForeignKeyKeys<F>]
  | "pk"
  | `pk__${Lookup}`;

type FilterValue<F extends FieldMap, P extends string> = P extends `${infer K}__${infer L}`
  ? LookupValue<KeyValue<F, K>, L>
  : KeyValue<F, P> | Expression;

type KeyValue<F extends FieldMap, K extends string> = K extends "pk"
  ? PkType<F>
  : K extends ForeignKeyKeys<F>
    ? NonNullable<ValueOf<F[K]>> | NonNullable<RelatedInstance<F[K]>> | null
    : K extends `${infer FK}Id`
      ? FK extends ForeignKeyKeys<F>
        ? ValueOf<F[FK]>
        : K extends keyof F
          ? ValueOf<F[K]>
          : never
      : K extends keyof F
        ? ValueOf<F[K]>
        : never;

/**
 * Keyword filters, typed by the model: `{ votes__gte: 1, questionText__icontains: "what" }`.
 * Spanning relations (`question__pubDate__lte`, `choices__votes__gt`) is allowed with `__`; those keys (and
 * misspelt lookups) are checked when the query runs, with a FieldError listing the choices.
 */
export type Filters<F extends FieldMap> = { [P in FieldFilterKeys<F>]?: FilterValue<F, P> } & {
  // Relations declared on other models (`choices__votes__gt`) are not known to this model's type.
  [P in `${string}__${string}`]?: unknown;
};

/** Meta options (Django's `class Meta`). */
export interface MetaOptions<F extends FieldMap> {
  /** The table (default `<app>_<model in lower case>`). */
  dbTable?: string;
  /** Default order: field names, `-` for descending (`["-pubDate"]`). */
  ordering?: ReadonlyArray<`${keyof F & string}` | `-${keyof F & string}` | "pk" | "-pk">;
  /** Extra indexes: `[{ fields: ["lastName", "firstName"] }]`. */
  indexes?: ReadonlyArray<{ fields: ReadonlyArray<keyof F & string>; name?: string }>;
  /** Sets of fields unique together. */
  uniqueTogether?: ReadonlyArray<ReadonlyArray<keyof F & string>>;
  verboseName?: string;
  verboseNamePlural?: string;
}

/** The model as declared, passed to `defineModel`. */
export interface ModelDefinition<F extends FieldMap, X extends object> {
  fields: F;
  meta?: MetaOptions<F>;
  /**
   * The display text (Django's `__str__`). It sees the fields, not `methods` (so that TypeScript can
   * infer the methods' types); a `toString()` in `methods` works too.
   */
  str?: (instance: Instance<F>) => string;
  /** Instance methods; `this` is the instance. */
  methods?: X & ThisType<Instance<F, X>>;
}

/** A model class: `new Question({...})`, `Question.objects`, `Question.DoesNotExist`. */
export interface ModelClass<F extends FieldMap = FieldMap, X extends object = object> extends ModelRef<PkType<F>> {
  new (values?: CreateValues<F>): Instance<F, X>;
  /** An unsaved instance from field values by name (untyped; prefer `new Model(values)`). */
  build(values: Readonly<Record<string, unknown>>): Instance<F, X>;
  readonly meta: import("./meta.js").ModelMeta;
  /** The default manager: a query set of every row. */
  readonly objects: import("../query/querySet.js").QuerySet<F, Instance<F, X>>;
  readonly DoesNotExist: new (message?: string) => import("../errors.js").ObjectDoesNotExist;
  readonly MultipleObjectsReturned: new (message?: string) => import("../errors.js").MultipleObjectsReturned;
}

/**
 * Any model, as the model layer handles it at run time (field values by name); a
 * `ModelClass<F, X>` is one, with its types.
 */
export interface AnyModel extends ModelRef {
  new (): ModelInstance;
  /** An unsaved instance from field values by name (what `new Model(values)` does, untyped). */
  build(values: Readonly<Record<string, unknown>>): ModelInstance;
  readonly meta: import("./meta.js").ModelMeta;
  readonly objects: import("../query/querySet.js").QuerySet<FieldMap, ModelInstance>;
  readonly DoesNotExist: new (message?: string) => import("../errors.js").ObjectDoesNotExist;
  readonly MultipleObjectsReturned: new (message?: string) => import("../errors.js").MultipleObjectsReturned;
}

/** The instance type of a model class: `type Question = InstanceOf<typeof Question>`. */
export type InstanceOf<M> = M extends ModelClass<infer F, infer X> ? Instance<F, X> : never;
