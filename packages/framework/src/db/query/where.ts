import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { Vendor } from "../backends/database.js";
import { FieldError } from "../errors.js";
import type { Field } from "../fields/field.js";
import { ForeignKeyField, ManyToManyRelation } from "../fields/relations.js";
import { apps } from "../model/registry.js";
import type { AnyModel } from "../model/types.js";
import { annotationSql } from "./annotations.js";
import { columnRef, type Scope } from "./scope.js";

export { columnRef, type Scope } from "./scope.js";
import { Aggregate, Arithmetic, FieldRef, Q, isExpression, type Operand } from "./expressions.js";

const LOOKUPS = new Set(["exact", "iexact", "in", "lt", "lte", "gt", "gte", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "isnull", "range"]);

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

/**
 * Compiles filters (an object of `field__lookup: value`, or a `Q`) into a SQL condition.
 * Relations are followed with subqueries (`question__pubDate__lte` becomes
 * `question_id IN (SELECT id FROM polls_question WHERE pub_date <= ?)`), so rows never multiply.
 *
 * @example
 * whereSql(scope, { votes__gte: 1 }); // sql`"polls_choice"."votes" >= ?`
 */
export function whereSql(scope: Scope, filters: Readonly<Record<string, unknown>> | Q): RawBuilder<SqlBool> {
  if (filters instanceof Q) {
    const parts = filters.children.map((child) => whereSql(scope, child));
    const joined = parts.length === 0 ? TRUE : sql<SqlBool>`(${sql.join(parts, sql.raw(filters.connector === "OR" ? " or " : " and "))})`;
    return filters.negated ? negate(joined) : joined;
  }
  const parts = Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => lookupSql(scope, key, value));
  return parts.length === 0 ? TRUE : parts.length === 1 ? (parts[0] as RawBuilder<SqlBool>) : sql<SqlBool>`(${sql.join(parts, sql.raw(" and "))})`;
}

/** NOT, counting a NULL comparison as false first, so `exclude({ x: 1 })` keeps rows whose x is NULL (as Django does). */
export function negate(condition: RawBuilder<SqlBool>): RawBuilder<SqlBool> {
  return sql<SqlBool>`not coalesce((${condition}), false)`;
}

function lookupSql(scope: Scope, key: string, value: unknown): RawBuilder<SqlBool> {
  const meta = scope.model.meta;
  const [name, ...rest] = key.split("__") as [string, ...string[]];
  const annotation = scope.annotations?.[name];
  if (annotation !== undefined) return annotationCompare(scope, annotation, rest[0] ?? "exact", value, key);
  const field = meta.findField(name);
  if (field === undefined) return reverseLookup(scope, name, rest, value);
  if (field instanceof ManyToManyRelation) {
    const target = apps.getModel(field.targetLabel);
    const inner = subquery(target, rest, value, scope.vendor);
    return sql<SqlBool>`${columnRef(scope, meta.pk)} in (select ${sql.ref(`${field.table}.${field.sourceColumn}`)} from ${sql.table(field.table)} where ${sql.ref(`${field.table}.${field.targetColumn}`)} in (select ${columnRef({ ...scope, model: target, alias: target.meta.table }, target.meta.pk)} from ${sql.table(target.meta.table)} where ${inner}))`;
  }
  if (field instanceof ForeignKeyField && name === field.name && rest.length > 0 && !LOOKUPS.has(rest[0] as string)) {
    const target = apps.getModel(field.targetLabel);
    const inner = subquery(target, rest, value, scope.vendor);
    return sql<SqlBool>`${columnRef(scope, field)} in (select ${sql.ref(`${target.meta.table}.${target.meta.pk.column}`)} from ${sql.table(target.meta.table)} where ${inner})`;
  }
  if (rest.length > 1 || (rest.length === 1 && !LOOKUPS.has(rest[0] as string))) {
    throw new FieldError(`Unsupported lookup "${rest.join("__")}" on ${meta.label}.${field.name}; lookups are ${[...LOOKUPS].join(", ")}.`);
  }
  return compareSql(scope, field, rest[0] ?? "exact", value);
}

/** A filter on an annotation (`numChoices__gt: 0`): comparisons only. */
function annotationCompare(scope: Scope, annotation: Aggregate<unknown>, lookup: string, value: unknown, key: string): RawBuilder<SqlBool> {
  const ops: Record<string, string> = { exact: "=", lt: "<", lte: "<=", gt: ">", gte: ">=" };
  const op = ops[lookup];
  if (op === undefined || typeof value !== "number") throw new FieldError(`Filter "${key}": an annotation takes exact, lt, lte, gt or gte with a number.`);
  return sql<SqlBool>`${annotationSql(scope, annotation)} ${sql.raw(op)} ${value}`;
}

/** `choices__votes__gt` on Question: a relation declared on another model. */
function reverseLookup(scope: Scope, name: string, rest: string[], value: unknown): RawBuilder<SqlBool> {
  const meta = scope.model.meta;
  const relation = apps.reverseRelations(scope.model).find((r) => r.name === name);
  if (relation === undefined) meta.getField(name); // throws the FieldError listing the choices
  if (relation === undefined) throw new FieldError(`Cannot resolve "${name}" on ${meta.label}.`);
  const other = relation.model;
  const inner = subquery(other, rest, value, scope.vendor);
  const otherPk = sql.ref(`${other.meta.table}.${other.meta.pk.column}`);
  if (relation.field instanceof ManyToManyRelation) {
    const through = relation.field;
    return sql<SqlBool>`${columnRef(scope, meta.pk)} in (select ${sql.ref(`${through.table}.${through.targetColumn}`)} from ${sql.table(through.table)} where ${sql.ref(`${through.table}.${through.sourceColumn}`)} in (select ${otherPk} from ${sql.table(other.meta.table)} where ${inner}))`;
  }
  return sql<SqlBool>`${columnRef(scope, meta.pk)} in (select ${sql.ref(`${other.meta.table}.${relation.field.column}`)} from ${sql.table(other.meta.table)} where ${sql.ref(`${other.meta.table}.${relation.field.column}`)} is not null and ${inner})`;
}

function subquery(model: AnyModel, rest: string[], value: unknown, vendor: Vendor): RawBuilder<SqlBool> {
  const key = rest.length === 0 ? "pk" : rest.length === 1 && LOOKUPS.has(rest[0] as string) ? `pk__${rest[0]}` : rest.join("__");
  return whereSql({ model, alias: model.meta.table, vendor }, { [key]: value });
}

function compareSql(scope: Scope, field: Field, lookup: string, value: unknown): RawBuilder<SqlBool> {
  const column = columnRef(scope, field);
  const where = `${scope.model.meta.label}.${field.name}__${lookup}`;
  const param = (v: unknown): RawBuilder<unknown> => (isExpression(v) ? expressionSql(scope, v) : sql`${field.toDb(v, scope.vendor)}`);
  switch (lookup) {
    case "exact":
      return value === null ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} = ${param(value)}`;
    case "iexact":
      return sql<SqlBool>`lower(${column}) = lower(${String(value)})`;
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      if (value === null) throw new FieldError(`${where}: cannot compare with null; use ${field.name}__isnull.`);
      const op = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[lookup];
      return sql<SqlBool>`${column} ${sql.raw(op)} ${param(value)}`;
    }
    case "in": {
      if (!Array.isArray(value)) throw new FieldError(`${where}: expected an array, got ${typeof value}.`);
      const values = value.filter((v) => v !== null);
      return values.length === 0 ? FALSE : sql<SqlBool>`${column} in (${sql.join(values.map(param))})`;
    }
    case "range": {
      if (!Array.isArray(value) || value.length !== 2) throw new FieldError(`${where}: expected [low, high].`);
      return sql<SqlBool>`${column} between ${param(value[0])} and ${param(value[1])}`;
    }
    case "isnull":
      return value ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} is not null`;
    default:
      return textLookup(scope, column, lookup, String(value));
  }
}

/** contains/startswith/endswith, case-sensitive on both databases (SQLite's LIKE is not: GLOB is). */
function textLookup(scope: Scope, column: RawBuilder<unknown>, lookup: string, text: string): RawBuilder<SqlBool> {
  const caseless = lookup.startsWith("i");
  const kind = caseless ? lookup.slice(1) : lookup;
  const before = kind === "contains" || kind === "endswith";
  const after = kind === "contains" || kind === "startswith";
  if (caseless) {
    const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
    const pattern = `${before ? "%" : ""}${escaped}${after ? "%" : ""}`;
    return sql<SqlBool>`lower(${column}) like lower(${pattern}) escape '\\'`;
  }
  if (scope.vendor === "sqlite") {
    const escaped = text.replace(/[*?[]/g, (c) => `[${c}]`);
    return sql<SqlBool>`${column} glob ${`${before ? "*" : ""}${escaped}${after ? "*" : ""}`}`;
  }
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<SqlBool>`${column} like ${`${before ? "%" : ""}${escaped}${after ? "%" : ""}`}`;
}

/**
 * An expression as SQL: `F("votes").add(1)` -> `"polls_choice"."votes" + 1`.
 *
 * @example
 * expressionSql(scope, F("votes").add(1));
 */
export function expressionSql(scope: Scope, expression: Operand): RawBuilder<unknown> {
  if (typeof expression === "number") return sql`${expression}`;
  if (expression instanceof FieldRef) return columnRef(scope, scope.model.meta.getField(expression.name));
  if (expression instanceof Arithmetic) {
    return sql`(${expressionSql(scope, expression.left)} ${sql.raw(expression.operator)} ${expressionSql(scope, expression.right)})`;
  }
  if (expression instanceof Aggregate) {
    const target = expression.field === undefined ? sql.raw("*") : columnRef(scope, scope.model.meta.getField(expression.field));
    return sql`${sql.raw(expression.fn)}(${expression.distinct ? sql.raw("distinct ") : sql.raw("")}${target})`;
  }
  throw new FieldError(`Not an expression: ${String(expression)}`);
}
