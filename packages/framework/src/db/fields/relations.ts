import type { Vendor } from "../backends/database.js";
import { ModelDeclarationError } from "../errors.js";
import { Field, snakeCase, type FieldOptions, type FieldState, type OnDelete } from "./field.js";
import type { HasDefault, Nullable } from "./scalar.js";

/** What a relation needs to know of the model it points at (the model class satisfies it). */
export interface ModelRef<Pk = unknown> {
  readonly meta: { readonly label: string; readonly table: string; readonly pk: Field };
  /** Type-level only: the primary key's type. */
  readonly pkType?: Pk;
}

/** The target of a relation: the model, a function returning it (declared later in the file), or `"self"`. */
export type RelationTarget<M extends ModelRef> = M | (() => M) | "self";

interface RelationOptions {
  /** The name of the reverse relation on the target (`question.related(Choice)` needs none; `prefetchRelated("choices")` uses it). */
  relatedName?: string;
}

/** A foreign key: stores the target's primary key in `<name>_id`; the instance has `<name>Id` and `<name>` (the loaded object). */
export class ForeignKeyField<M extends ModelRef = ModelRef, T = unknown, Optional extends boolean = boolean> extends Field<T, Optional> {
  /** Type-level only: the target model. */
  declare readonly targetType?: M;

  constructor(
    private readonly to: RelationTarget<M>,
    readonly onDelete: OnDelete,
    options: FieldOptions<T> & RelationOptions,
    readonly relatedName = options.relatedName,
  ) {
    super("foreignKey", options);
  }

  /** The model holding the field, set by `defineModel`. */
  owner: ModelRef | undefined;

  /** The model pointed at (resolved lazily, so a model may point at one declared after it). */
  targetModel(): ModelRef {
    return resolveTarget(this.to, this.owner, `${this.modelLabel}.${this.name}`);
  }

  /** The target's `app.Model`. */
  get targetLabel(): string {
    return this.targetModel().meta.label;
  }

  override get column(): string {
    return this.options.dbColumn ?? `${snakeCase(this.name)}_id`;
  }

  /** The instance attribute holding the raw id: `question` -> `questionId`. */
  override get attname(): string {
    return `${this.name}Id`;
  }

  override toDb(value: unknown, vendor: Vendor): unknown {
    if (value !== null && typeof value === "object" && "pk" in value) return (value as { pk: unknown }).pk;
    return this.targetPk().toDb(value, vendor);
  }

  override fromDb(raw: unknown, vendor: Vendor): T {
    return this.targetPk().fromDb(raw, vendor) as T;
  }

  override state(): FieldState {
    const state = super.state();
    state.to = this.targetLabel;
    state.onDelete = this.onDelete;
    return state;
  }

  /** The target's primary key field. */
  targetPk(): Field {
    return this.targetModel().meta.pk;
  }

  override check(): void {
    super.check();
    if (this.to === undefined || this.to === null) {
      throw new ModelDeclarationError(`${this.modelLabel}.${this.name}: the ForeignKey target is undefined (imported before it was declared?); pass a function: ForeignKey(() => Model, ...), or "self".`);
    }
    const onDeletes = ["CASCADE", "PROTECT", "RESTRICT", "SET_NULL", "DO_NOTHING"];
    if (!onDeletes.includes(this.onDelete)) {
      throw new ModelDeclarationError(`${this.modelLabel}.${this.name}: onDelete must be one of ${onDeletes.join(", ")}, got ${JSON.stringify(this.onDelete)}.`);
    }
    if (this.onDelete === "SET_NULL" && !this.nullable) {
      throw new ModelDeclarationError(`${this.modelLabel}.${this.name}: onDelete "SET_NULL" needs null: true on the field.`);
    }
  }
}

type PkOf<M> = M extends ModelRef<infer P> ? (unknown extends P ? number : P) : number;

/**
 * A many-to-one relation (Django's `ForeignKey`), with `onDelete` enforced by the database.
 *
 * @example
 * question: ForeignKey(Question, { onDelete: "CASCADE", relatedName: "choices" })
 */
export function ForeignKey<M extends ModelRef, const O extends FieldOptions<PkOf<M>> & RelationOptions & { onDelete: OnDelete }>(
  to: RelationTarget<M>,
  options: O,
): ForeignKeyField<M, Nullable<PkOf<M>, O>, HasDefault<O>> {
  return new ForeignKeyField(to, options.onDelete, options);
}

/** A many-to-many relation through a join table `<app>_<model>_<field>` (or `through`). Not a column: use `instance.m2m(name)`. */
export class ManyToManyRelation<M extends ModelRef = ModelRef> extends Field<never, true> {
  declare readonly targetType?: M;

  constructor(
    private readonly to: RelationTarget<M>,
    readonly through: string | undefined,
    readonly relatedName: string | undefined,
    options: FieldOptions<never>,
  ) {
    super("manyToMany", options);
  }

  /** The model holding the field, set by `defineModel`. */
  owner: ModelRef | undefined;

  targetModel(): ModelRef {
    return resolveTarget(this.to, this.owner, `${this.modelLabel}.${this.name}`);
  }

  get targetLabel(): string {
    return this.targetModel().meta.label;
  }

  /** The join table: `through`, else `<table>_<field>`. */
  get table(): string {
    return this.through ?? `${this.owner?.meta.table ?? ""}_${snakeCase(this.name)}`;
  }
  /** The join table's column holding this model's id. */
  get sourceColumn(): string {
    return joinColumns(this.modelLabel, this.targetLabel).source;
  }

  /** The join table's column holding the target's id. */
  get targetColumn(): string {
    return joinColumns(this.modelLabel, this.targetLabel).target;
  }

  override get concrete(): boolean {
    return false;
  }

  override state(): FieldState {
    return { type: "manyToMany", column: this.table, to: this.targetLabel, through: this.table };
  }
}

/**
 * A many-to-many relation (Django's `ManyToManyField`) through an automatic join table.
 *
 * @example
 * tags: ManyToManyField(() => Tag, { relatedName: "articles" })
 */
export function ManyToManyField<M extends ModelRef>(to: RelationTarget<M>, options: RelationOptions & { through?: string; verboseName?: string; blank?: boolean } = {}): ManyToManyRelation<M> {
  return new ManyToManyRelation(to, options.through, options.relatedName, { ...(options.verboseName !== undefined && { verboseName: options.verboseName }), ...(options.blank !== undefined && { blank: options.blank }) });
}

function resolveTarget<M extends ModelRef>(to: RelationTarget<M>, owner: ModelRef | undefined, where: string): ModelRef {
  if (to === "self") {
    if (owner === undefined) throw new ModelDeclarationError(`${where}: the field is not part of a model yet.`);
    return owner;
  }
  // A model class is itself a function: tell it from a thunk by its `meta`.
  const model = typeof to === "function" && !("meta" in to) ? (to as () => M)() : (to as M);
  if (model === undefined || model === null || !("meta" in model)) {
    throw new ModelDeclarationError(`${where}: the relation's target is undefined; if the model is declared later in the file, pass a function: ForeignKey(() => Model, ...).`);
  }
  return model;
}

/**
 * The two columns of a many-to-many join table, as Django names them (`from_`/`to_` for a model related to itself).
 *
 * @example
 * joinColumns("blog.Article", "blog.Tag"); // { source: "article_id", target: "tag_id" }
 */
export function joinColumns(ownerLabel: string, targetLabel: string): { source: string; target: string } {
  const owner = snakeCase(ownerLabel.split(".")[1] ?? "from");
  const target = snakeCase(targetLabel.split(".")[1] ?? "to");
  return owner === target ? { source: `from_${owner}_id`, target: `to_${target}_id` } : { source: `${owner}_id`, target: `${target}_id` };
}
