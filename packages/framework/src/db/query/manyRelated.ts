import { sql } from "kysely";
import { runCompiled } from "../backends/database.js";
import { FieldError } from "../errors.js";
import { ManyToManyRelation } from "../fields/relations.js";
import type { ModelInstance } from "../model/instance.js";
import { apps } from "../model/registry.js";
import type { FieldMap, AnyModel } from "../model/types.js";
import { executorFor } from "../transaction.js";
import type { QuerySet } from "./querySet.js";

/**
 * One side of a many-to-many relation, from an instance (Django's related manager):
 * the field's own side (`article.m2m("tags")`) or the reverse one (`tag.m2m("articles")`).
 */
export class ManyRelatedManager {
  readonly #instance: ModelInstance;
  readonly #name: string;
  readonly #table: string;
  /** This instance's column in the join table, and the other side's. */
  readonly #own: string;
  readonly #other: string;
  readonly #target: AnyModel;
  /** The filter on the target that selects this instance's related rows. */
  readonly #filterKey: string;

  constructor(instance: ModelInstance, name: string) {
    const model = instance._model;
    const field = model.meta.findField(name);
    this.#instance = instance;
    this.#name = name;
    if (field instanceof ManyToManyRelation) {
      this.#table = field.table;
      this.#own = field.sourceColumn;
      this.#other = field.targetColumn;
      this.#target = apps.getModel(field.targetLabel);
      const back = apps.reverseRelations(this.#target).find((r) => r.field === field);
      this.#filterKey = back?.name ?? "";
      return;
    }
    const relation = apps.reverseRelations(model).find((r) => r.name === name && r.field instanceof ManyToManyRelation);
    if (relation === undefined || !(relation.field instanceof ManyToManyRelation)) {
      const choices = [...model.meta.manyToMany.map((f) => f.name), ...apps.reverseRelations(model).filter((r) => r.field instanceof ManyToManyRelation).map((r) => r.name)];
      throw new FieldError(`${model.meta.label} has no many-to-many relation "${name}"; choices are ${choices.join(", ") || "none"}.`);
    }
    this.#table = relation.field.table;
    this.#own = relation.field.targetColumn;
    this.#other = relation.field.sourceColumn;
    this.#target = relation.model;
    this.#filterKey = relation.field.name;
  }

  #requireSaved(): void {
    if (this.#instance.pk === undefined || this.#instance.pk === null) {
      throw new FieldError(`${this.#instance._model.meta.label} needs to be saved before its many-to-many relation "${this.#name}" can be used.`);
    }
  }

  /**
   * The related objects (from the prefetch cache when loaded with `prefetchRelated`).
   *
   * @example
   * const tags = await article.m2m("tags").all().toArray();
   */
  all(): QuerySet<FieldMap, ModelInstance> {
    this.#requireSaved();
    const cached = this.#instance._state.prefetched.get(this.#name);
    const linked = this.#target.objects.using(this.#instance._state.db).filter({ [this.#filterKey]: this.#instance.pk });
    return cached === undefined ? linked : linked.withResultCache(cached);
  }

  /**
   * Links objects (already linked ones are skipped).
   *
   * @example
   * await article.m2m("tags").add(python, web);
   */
  async add(...objects: Array<ModelInstance | number | string>): Promise<void> {
    this.#requireSaved();
    const ids = objects.map((o) => (typeof o === "object" ? o.pk : o));
    if (ids.length === 0) return;
    const executor = executorFor(this.#instance._state.db);
    const existing = await this.#linkedIds(ids);
    const rows = [...new Set(ids)].filter((id) => !existing.has(String(id))).map((id) => ({ [this.#own]: this.#instance.pk, [this.#other]: id }));
    if (rows.length > 0) await runCompiled(executor, executor.insertInto(this.#table).values(rows).compile());
    this.#instance._state.prefetched.delete(this.#name);
  }

  /** Unlinks objects. */
  async remove(...objects: Array<ModelInstance | number | string>): Promise<void> {
    this.#requireSaved();
    const ids = objects.map((o) => (typeof o === "object" ? o.pk : o));
    if (ids.length === 0) return;
    const executor = executorFor(this.#instance._state.db);
    await runCompiled(executor, sql`delete from ${sql.table(this.#table)} where ${sql.ref(this.#own)} = ${this.#instance.pk} and ${sql.ref(this.#other)} in (${sql.join(ids)})`.compile(executor));
    this.#instance._state.prefetched.delete(this.#name);
  }

  /** Unlinks everything. */
  async clear(): Promise<void> {
    this.#requireSaved();
    const executor = executorFor(this.#instance._state.db);
    await runCompiled(executor, sql`delete from ${sql.table(this.#table)} where ${sql.ref(this.#own)} = ${this.#instance.pk}`.compile(executor));
    this.#instance._state.prefetched.delete(this.#name);
  }

  /**
   * Makes the linked objects exactly `objects`.
   *
   * @example
   * await article.m2m("tags").set([python]);
   */
  async set(objects: ReadonlyArray<ModelInstance | number | string>): Promise<void> {
    this.#requireSaved();
    const wanted = new Set(objects.map((o) => String(typeof o === "object" ? o.pk : o)));
    const current = await this.#linkedIds();
    const stale = [...current].filter((id) => !wanted.has(id));
    if (stale.length > 0) await this.remove(...stale);
    await this.add(...objects);
  }

  async #linkedIds(among?: readonly unknown[]): Promise<Set<string>> {
    const executor = executorFor(this.#instance._state.db);
    const restrict = among === undefined ? sql`` : sql` and ${sql.ref(this.#other)} in (${sql.join([...among])})`;
    const { rows } = await runCompiled<{ id: unknown }>(
      executor,
      sql`select ${sql.ref(this.#other)} as id from ${sql.table(this.#table)} where ${sql.ref(this.#own)} = ${this.#instance.pk}${restrict}`.compile(executor),
    );
    return new Set(rows.map((row) => String(row.id)));
  }
}
