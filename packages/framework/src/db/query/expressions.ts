/**
 * Query expressions: `F("votes").add(1)` (a column, computed by the database, so concurrent
 * updates do not lose increments), aggregates (`Count`, `Sum`, `Avg`, `Max`, `Min`) and `Q`
 * objects combining filters with OR and NOT.
 */

/** Anything the database computes: a column reference, arithmetic on it, or an aggregate. */
export type Expression = FieldRef | Arithmetic | Aggregate<unknown>;

/** What arithmetic combines. */
export type Operand = Combinable | Aggregate<unknown> | number;

abstract class Combinable {
  /** `this + other` */
  add(other: Operand): Arithmetic {
    return new Arithmetic(this, "+", other);
  }
  /** `this - other` */
  sub(other: Operand): Arithmetic {
    return new Arithmetic(this, "-", other);
  }
  /** `this * other` */
  mul(other: Operand): Arithmetic {
    return new Arithmetic(this, "*", other);
  }
  /** `this / other` */
  div(other: Operand): Arithmetic {
    return new Arithmetic(this, "/", other);
  }
}

/** A reference to a field of the row (Django's `F`). */
export class FieldRef extends Combinable {
  readonly kind = "field";
  constructor(readonly name: string) {
    super();
  }
}

/** Arithmetic on expressions and numbers. */
export class Arithmetic extends Combinable {
  readonly kind = "arithmetic";
  constructor(
    readonly left: Operand,
    readonly operator: "+" | "-" | "*" | "/",
    readonly right: Operand,
  ) {
    super();
  }
}

/**
 * A column of the current row, for atomic updates and column-to-column filters.
 *
 * @example
 * await Choice.objects.filter({ pk: id }).update({ votes: F("votes").add(1) });
 * await Product.objects.filter({ stock__lt: F("reserved") }).toArray();
 */
export function F(name: string): FieldRef {
  return new FieldRef(name);
}

/** An aggregate function over a field; `R` is the type of its result. */
export class Aggregate<R = number> {
  readonly kind = "aggregate";
  /** Type-level only: the result's type. */
  declare readonly resultType?: R;
  constructor(
    readonly fn: "count" | "sum" | "avg" | "max" | "min",
    /** The field, or undefined for `count(*)`. */
    readonly field: string | undefined,
    readonly distinct = false,
  ) {}
}

/**
 * Number of rows (`Count()`) or of non-null values of a field.
 *
 * @example
 * await Choice.objects.aggregate({ n: Count(), questions: Count("question", { distinct: true }) });
 */
export function Count(field?: string, options: { distinct?: boolean } = {}): Aggregate {
  return new Aggregate("count", field, options.distinct ?? false);
}

/**
 * Sum of a field (null when there are no rows).
 *
 * @example
 * await Choice.objects.filter({ question }).aggregate({ total: Sum("votes") });
 */
export function Sum(field: string): Aggregate {
  return new Aggregate("sum", field);
}

/**
 * Average of a field (null when there are no rows).
 *
 * @example
 * await Choice.objects.aggregate({ mean: Avg("votes") });
 */
export function Avg(field: string): Aggregate {
  return new Aggregate("avg", field);
}

/**
 * Largest value of a field.
 *
 * @example
 * await Question.objects.aggregate({ latest: Max<Date>("pubDate") });
 */
export function Max<R = number>(field: string): Aggregate<R> {
  return new Aggregate("max", field);
}

/**
 * Smallest value of a field.
 *
 * @example
 * await Question.objects.aggregate({ first: Min<Date>("pubDate") });
 */
export function Min<R = number>(field: string): Aggregate<R> {
  return new Aggregate("min", field);
}

/** Filters combined with AND/OR and negated (Django's `Q`). */
export class Q {
  constructor(
    readonly children: ReadonlyArray<Readonly<Record<string, unknown>> | Q>,
    readonly connector: "AND" | "OR" = "AND",
    readonly negated = false,
  ) {}

  /** `this OR other` */
  or(other: Q | Readonly<Record<string, unknown>>): Q {
    return new Q([this, other], "OR");
  }

  /** `this AND other` */
  and(other: Q | Readonly<Record<string, unknown>>): Q {
    return new Q([this, other], "AND");
  }

  /** `NOT this` */
  not(): Q {
    return new Q([this], "AND", true);
  }
}

/**
 * Keyword filters as a `Q` object, to combine with `.or()` and `.not()`.
 *
 * @example
 * await Question.objects.filter(q({ questionText__startswith: "What" }).or({ pubDate__gte: lastWeek })).toArray();
 */
export function q(filters: Readonly<Record<string, unknown>>): Q {
  return new Q([filters]);
}

/** True for an expression object (not a plain value). */
export function isExpression(value: unknown): value is Expression {
  return value instanceof FieldRef || value instanceof Arithmetic || value instanceof Aggregate;
}
