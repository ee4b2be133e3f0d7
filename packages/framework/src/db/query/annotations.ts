import { sql, type RawBuilder } from "kysely";
import { FieldError } from "../errors.js";
import { ManyToManyRelation } from "../fields/relations.js";
import { apps } from "../model/registry.js";
import type { Aggregate } from "./expressions.js";
import { columnRef, type Scope } from "./scope.js";

/**
 * An annotation as SQL: an aggregate over a relation declared on another model, as a correlated
 * subquery (`Count("choices")` -> `(select count(*) from polls_choice where question_id = polls_question.id)`),
 * so rows never multiply and no GROUP BY is needed.
 *
 * @example
 * annotationSql(scope, Count("choices"));
 */
export function annotationSql(scope: Scope, aggregate: Aggregate<unknown>): RawBuilder<unknown> {
  const meta = scope.model.meta;
  const [relationName, fieldName, ...rest] = (aggregate.field ?? "").split("__");
  const relation = apps.reverseRelations(scope.model).find((r) => r.name === relationName);
  if (relation === undefined || relation.field instanceof ManyToManyRelation || rest.length > 0) {
    const choices = apps.reverseRelations(scope.model).filter((r) => !(r.field instanceof ManyToManyRelation)).map((r) => r.name);
    throw new FieldError(
      `annotate() aggregates a relation pointing at ${meta.label}, e.g. Count("${choices[0] ?? "children"}") or Sum("${choices[0] ?? "children"}__field"); got "${aggregate.field ?? ""}" (relations: ${choices.join(", ") || "none"}).`,
    );
  }
  const child = relation.model;
  const table = child.meta.table;
  const target = fieldName === undefined ? (aggregate.fn === "count" ? sql.raw("*") : undefined) : sql.ref(`${table}.${child.meta.getField(fieldName).column}`);
  if (target === undefined) throw new FieldError(`${aggregate.fn}("${relationName}") needs a field of ${child.meta.label}: ${aggregate.fn}("${relationName}__<field>").`);
  const distinct = aggregate.distinct ? sql.raw("distinct ") : sql.raw("");
  return sql`(select ${sql.raw(aggregate.fn)}(${distinct}${target}) from ${sql.table(table)} where ${sql.ref(`${table}.${relation.field.column}`)} = ${columnRef(scope, meta.pk)})`;
}
