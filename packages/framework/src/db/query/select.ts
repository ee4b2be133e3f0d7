import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { Vendor } from "../backends/database.js";
import { FieldError } from "../errors.js";
import type { Field } from "../fields/field.js";
import { ForeignKeyField } from "../fields/relations.js";
import { apps } from "../model/registry.js";
import type { AnyModel } from "../model/types.js";
import { annotationSql } from "./annotations.js";
import type { Aggregate, Q } from "./expressions.js";
import { columnRef, negate, whereSql, type Scope } from "./where.js";

/** A query set's state: immutable, copied by each chained call. */
export interface QueryState {
  readonly where: ReadonlyArray<{ readonly filters: Readonly<Record<string, unknown>> | Q; readonly negated: boolean }>;
  /** `undefined`: the model's Meta ordering. */
  readonly ordering: readonly string[] | undefined;
  readonly low: number;
  readonly high: number | undefined;
  readonly selectRelated: readonly string[];
  readonly prefetch: readonly string[];
  readonly using: string;
  /** `none()`: no rows, no query. */
  readonly empty: boolean;
  readonly distinct: boolean;
  /** `annotate()`: aggregates over relations, by name. */
  readonly annotations: Readonly<Record<string, Aggregate<unknown>>>;
}

/** The state of `Model.objects`. */
export const EMPTY_STATE: QueryState = { where: [], ordering: undefined, low: 0, high: undefined, selectRelated: [], prefetch: [], using: "default", empty: false, distinct: false, annotations: {} };

/** The WHERE condition of a state. */
export function conditionOf(base: Scope, state: QueryState): RawBuilder<SqlBool> {
  if (state.where.length === 0) return sql<SqlBool>`1 = 1`;
  const scope: Scope = { ...base, annotations: state.annotations };
  const parts = state.where.map(({ filters, negated }) => (negated ? negate(whereSql(scope, filters)) : whereSql(scope, filters)));
  return sql<SqlBool>`${sql.join(parts, sql.raw(" and "))}`;
}

/** ORDER BY for a state (empty when there is no ordering). */
export function orderBySql(scope: Scope, ordering: readonly string[]): RawBuilder<unknown> {
  if (ordering.length === 0) return sql``;
  const terms = ordering.map((term) => {
    if (term === "?") return sql.raw("random()");
    const descending = term.startsWith("-");
    const name = descending ? term.slice(1) : term;
    const annotation = scope.annotations?.[name];
    if (annotation !== undefined) return sql`${annotationSql(scope, annotation)} ${sql.raw(descending ? "desc" : "asc")}`;
    const field = scope.model.meta.getField(name);
    return sql`${columnRef(scope, field)} ${sql.raw(descending ? "desc" : "asc")}`;
  });
  return sql` order by ${sql.join(terms)}`;
}

/** LIMIT/OFFSET for a slice (SQLite needs a LIMIT before an OFFSET: -1 is none). */
export function limitSql(state: QueryState, vendor: Vendor): RawBuilder<unknown> {
  const limit = state.high === undefined ? undefined : state.high - state.low;
  if (limit === undefined && state.low === 0) return sql``;
  if (limit === undefined) return vendor === "sqlite" ? sql` limit -1 offset ${state.low}` : sql` offset ${state.low}`;
  return state.low === 0 ? sql` limit ${limit}` : sql` limit ${limit} offset ${state.low}`;
}

/** The foreign keys `selectRelated` joins, each with its table alias. */
export interface Join {
  readonly field: ForeignKeyField;
  readonly target: AnyModel;
  readonly alias: string;
}

/** Resolves `selectRelated` names into joins (one level of foreign keys). */
export function joinsOf(model: AnyModel, names: readonly string[]): Join[] {
  return names.map((name, index) => {
    const field = model.meta.findField(name);
    if (!(field instanceof ForeignKeyField)) {
      const choices = model.meta.foreignKeys.map((fk) => fk.name).join(", ") || "none";
      throw new FieldError(`Invalid field name "${name}" in selectRelated() on ${model.meta.label}: it follows foreign keys (${choices}); use prefetchRelated() for reverse and many-to-many relations.`);
    }
    return { field, target: apps.getModel(field.targetLabel), alias: `r${index}` };
  });
}

/**
 * The SELECT of a query set: the model's columns, the joined models' columns as `r0__column`.
 *
 * @example
 * selectSql(Choice, state, "sqlite"); // select "polls_choice"."id", ... from "polls_choice" left join ...
 */
export function selectSql(model: AnyModel, state: QueryState, vendor: Vendor): RawBuilder<Record<string, unknown>> {
  const table = model.meta.table;
  const scope: Scope = { model, alias: table, vendor, annotations: state.annotations };
  const joins = joinsOf(model, state.selectRelated);
  const columns: RawBuilder<unknown>[] = model.meta.concreteFields.map((field) => sql`${columnRef(scope, field)} as ${sql.id(field.column)}`);
  for (const [name, aggregate] of Object.entries(state.annotations)) columns.push(sql`${annotationSql(scope, aggregate)} as ${sql.id(`annotation__${name}`)}`);
  let from = sql`${sql.table(table)}`;
  for (const join of joins) {
    const target = { model: join.target, alias: join.alias, vendor };
    for (const field of join.target.meta.concreteFields) columns.push(sql`${columnRef(target, field)} as ${sql.id(`${join.alias}__${field.column}`)}`);
    from = sql`${from} left join ${sql.table(join.target.meta.table)} as ${sql.id(join.alias)} on ${columnRef(target, join.target.meta.pk)} = ${columnRef(scope, join.field)}`;
  }
  const ordering = state.ordering ?? model.meta.ordering;
  return sql<Record<string, unknown>>`select ${state.distinct ? sql.raw("distinct ") : sql``}${sql.join(columns)} from ${from} where ${conditionOf(scope, state)}${orderBySql(scope, ordering)}${limitSql(state, vendor)}`;
}

/** Converts one column of a fetched row for `field`. */
export function fromRow(field: Field, row: Readonly<Record<string, unknown>>, key: string, vendor: Vendor): unknown {
  return field.fromDb(row[key], vendor);
}
