import { sql } from "kysely";
import { runCompiled } from "../backends/database.js";
import { FieldError } from "../errors.js";
import { ForeignKeyField, ManyToManyRelation } from "../fields/relations.js";
import { getAttr } from "../model/attributes.js";
import type { ModelInstance } from "../model/instance.js";
import { apps } from "../model/registry.js";
import type { AnyModel } from "../model/types.js";
import { executorFor } from "../transaction.js";

/**
 * Loads the relations `names` of `instances` with one query per relation (Django's
 * `prefetch_related`): forward foreign keys into each instance's related cache, reverse
 * foreign keys and many-to-many relations into its prefetch cache.
 *
 * @example
 * await prefetchRelations(Question, questions, ["choices"], "default");
 */
export async function prefetchRelations(model: AnyModel, instances: readonly ModelInstance[], names: readonly string[], using: string): Promise<void> {
  if (instances.length === 0 || names.length === 0) return;
  const pks = [...new Set(instances.map((instance) => instance.pk))];
  for (const name of names) {
    const field = model.meta.findField(name);
    if (field instanceof ForeignKeyField) {
      const ids = [...new Set(instances.map((instance) => getAttr(instance, field.attname)).filter((id) => id !== null && id !== undefined))];
      const targets = ids.length === 0 ? [] : await apps.getModel(field.targetLabel).objects.using(using).filter({ pk__in: ids }).toArray();
      const byPk = new Map(targets.map((target) => [target.pk, target]));
      for (const instance of instances) instance._state.relatedCache.set(name, byPk.get(getAttr(instance, field.attname) as number) ?? null);
      continue;
    }
    if (field instanceof ManyToManyRelation) {
      const target = apps.getModel(field.targetLabel);
      await prefetchThrough(instances, pks, name, target, field.table, field.sourceColumn, field.targetColumn, using);
      continue;
    }
    const relation = apps.reverseRelations(model).find((r) => r.name === name);
    if (relation === undefined) {
      const choices = [...model.meta.foreignKeys.map((f) => f.name), ...model.meta.manyToMany.map((f) => f.name), ...apps.reverseRelations(model).map((r) => r.name)];
      throw new FieldError(`Cannot find "${name}" on ${model.meta.label} for prefetchRelated(); choices are ${choices.join(", ") || "none"}.`);
    }
    if (relation.field instanceof ManyToManyRelation) {
      const through = relation.field;
      await prefetchThrough(instances, pks, name, relation.model, through.table, through.targetColumn, through.sourceColumn, using);
      continue;
    }
    const fk = relation.field;
    const children = await relation.model.objects.using(using).filter({ [`${fk.attname}__in`]: pks }).toArray();
    const groups = new Map<unknown, ModelInstance[]>();
    for (const child of children) {
      const key = getAttr(child, fk.attname);
      groups.set(key, [...(groups.get(key) ?? []), child]);
    }
    for (const instance of instances) {
      const group = groups.get(instance.pk) ?? [];
      // The child's way back needs no query either.
      for (const child of group) child._state.relatedCache.set(fk.name, instance);
      instance._state.prefetched.set(name, group);
    }
  }
}

/** Many-to-many: the join rows, then the targets, grouped per instance (two queries). */
async function prefetchThrough(
  instances: readonly ModelInstance[],
  pks: readonly unknown[],
  name: string,
  target: AnyModel,
  table: string,
  ownColumn: string,
  otherColumn: string,
  using: string,
): Promise<void> {
  const executor = executorFor(using);
  const links = await runCompiled<{ own: unknown; other: unknown }>(
    executor,
    sql`select ${sql.ref(ownColumn)} as own, ${sql.ref(otherColumn)} as other from ${sql.table(table)} where ${sql.ref(ownColumn)} in (${sql.join([...pks])})`.compile(executor),
  );
  const otherIds = [...new Set(links.rows.map((row) => Number(row.other)))];
  const targets = otherIds.length === 0 ? [] : await target.objects.using(using).filter({ pk__in: otherIds }).toArray();
  const byPk = new Map(targets.map((t) => [Number(t.pk), t]));
  for (const instance of instances) {
    const related = links.rows.filter((row) => Number(row.own) === Number(instance.pk)).map((row) => byPk.get(Number(row.other)));
    instance._state.prefetched.set(name, related.filter((t): t is ModelInstance => t !== undefined));
  }
}
