import { sql, type RawBuilder, type SqlBool } from "kysely";
import { runCompiled } from "../backends/database.js";
import { connections } from "../connections.js";
import { FieldError } from "../errors.js";
import type { Field } from "../fields/field.js";
import { getAttr, setAttr } from "../model/attributes.js";
import type { ModelInstance } from "../model/instance.js";
import { instanceFromDb } from "../model/fromDb.js";
import type { CreateValues, FieldMap, Filters, AnyModel, UpdateValues } from "../model/types.js";
import { atomic, executorFor } from "../transaction.js";
import { annotationSql } from "./annotations.js";
import { compiledSelect } from "./compiledSelect.js";
import { Aggregate, Q, isExpression } from "./expressions.js";
import { assignRow, rowOf } from "./persistence.js";
import { prefetchRelations } from "./prefetch.js";
import { EMPTY_STATE, conditionOf, joinsOf, limitSql, orderBySql, selectSql, type QueryState } from "./select.js";
import { expressionSql, type Scope } from "./where.js";

/** Field names of `F`, for ordering: `"pubDate"` or `"-pubDate"`. */
export type OrderTerm<F extends FieldMap> = `${keyof F & string}` | `-${keyof F & string}` | "pk" | "-pk" | "id" | "-id" | "?";

/**
 * A lazy, immutable query (Django's `QuerySet`): chained calls return new query sets, and
 * nothing runs until a terminal call (`toArray()`, `get()`, `count()`, `for await`...).
 * `Model.objects` is the query set of every row.
 *
 * @example
 * const latest = await Question.objects.filter({ pubDate__lte: new Date() }).orderBy("-pubDate").slice(0, 5).toArray();
 */
export class QuerySet<F extends FieldMap, I extends ModelInstance> implements AsyncIterable<I> {
  constructor(
    readonly model: AnyModel,
    private readonly state: QueryState = EMPTY_STATE,
    private readonly resultCache?: readonly I[],
  ) {}

  #with(changes: Partial<QueryState>): QuerySet<F, I> {
    return new QuerySet<F, I>(this.model, { ...this.state, ...changes });
  }

  #filtering(method: string): void {
    if (this.state.low !== 0 || this.state.high !== undefined) throw new FieldError(`Cannot ${method}() a query once a slice has been taken; slice last.`);
  }

  /** A copy (Django's `all()`). */
  all(): QuerySet<F, I> {
    return this.#with({});
  }

  /**
   * Rows matching every filter (`field__lookup: value`), or a `Q` combination.
   *
   * @example
   * Choice.objects.filter({ question, votes__gte: 1 });
   */
  filter(filters: Filters<F> | Q): QuerySet<F, I> {
    this.#filtering("filter");
    return this.#with({ where: [...this.state.where, { filters, negated: false }] });
  }

  /**
   * Rows not matching the filters (rows where the field is NULL are kept, as in Django).
   *
   * @example
   * Question.objects.exclude({ questionText__contains: "spam" });
   */
  exclude(filters: Filters<F> | Q): QuerySet<F, I> {
    this.#filtering("exclude");
    return this.#with({ where: [...this.state.where, { filters, negated: true }] });
  }

  /**
   * Orders by fields (`-` for descending, `?` random), replacing the Meta ordering.
   *
   * @example
   * Question.objects.orderBy("-pubDate", "questionText");
   */
  orderBy(...terms: OrderTerm<F>[]): QuerySet<F, I> {
    for (const term of terms) if (term !== "?" && this.state.annotations[term.replace(/^-/, "")] === undefined) this.model.meta.getField(term.replace(/^-/, ""));
    return this.#with({ ordering: terms });
  }

  /** The same rows in the opposite order. */
  reverse(): QuerySet<F, I> {
    const ordering = this.state.ordering ?? this.model.meta.ordering;
    const terms = ordering.length === 0 ? ["pk"] : ordering;
    return this.#with({ ordering: terms.map((t) => (t.startsWith("-") ? t.slice(1) : `-${t}`)) });
  }

  /**
   * Rows `start` to `end` (exclusive), as Python's `qs[start:end]`: LIMIT/OFFSET.
   *
   * @example
   * Question.objects.orderBy("-pubDate").slice(0, 5);
   */
  slice(start: number, end?: number): QuerySet<F, I> {
    if (!Number.isInteger(start) || start < 0 || (end !== undefined && (!Number.isInteger(end) || end < start))) {
      throw new FieldError(`slice(${start}, ${end}): expected 0 <= start <= end integers (negative indexing is not supported).`);
    }
    const low = this.state.low + start;
    const wanted = end === undefined ? undefined : this.state.low + end;
    const high = this.state.high === undefined ? wanted : wanted === undefined ? this.state.high : Math.min(wanted, this.state.high);
    return this.#with({ low, high: high === undefined ? undefined : Math.max(low, high) });
  }

  /** No rows, without a query. */
  none(): QuerySet<F, I> {
    return this.#with({ empty: true });
  }

  /**
   * Adds an aggregate over a relation to each row (Django's `annotate`), as a correlated subquery:
   * the instances get it as a property, and `orderBy` and `filter` may name it.
   *
   * @example
   * const popular = await Question.objects.annotate({ numChoices: Count("choices"), totalVotes: Sum("choices__votes") })
   *   .filter({ numChoices__gt: 0 }).orderBy("-totalVotes").toArray();
   * popular[0].totalVotes;
   */
  annotate<A extends Record<string, Aggregate<unknown>>>(annotations: A): QuerySet<F & { [K in keyof A]: Field<(A[K] extends Aggregate<infer R> ? R : never) | null, true> }, I & { [K in keyof A]: (A[K] extends Aggregate<infer R> ? R : never) | null }> {
    const scope = this.#scope;
    for (const [name, aggregate] of Object.entries(annotations)) {
      if (this.model.meta.findField(name) !== undefined) throw new FieldError(`The annotation "${name}" conflicts with a field on ${this.model.meta.label}; choose another name.`);
      annotationSql(scope, aggregate); // checks the relation now, not when the query runs
    }
    return new QuerySet(this.model, { ...this.state, annotations: { ...this.state.annotations, ...annotations } });
  }

  /** Distinct rows. */
  distinct(): QuerySet<F, I> {
    return this.#with({ distinct: true });
  }

  /** Runs on another database of `DATABASES`. */
  using(alias: string): QuerySet<F, I> {
    return this.#with({ using: alias });
  }

  /**
   * Loads the objects these foreign keys point at in the same query (a JOIN).
   *
   * @example
   * for await (const choice of Choice.objects.selectRelated("question")) console.log(choice.question.questionText);
   */
  selectRelated(...names: string[]): QuerySet<F, I> {
    joinsOf(this.model, names);
    return this.#with({ selectRelated: [...this.state.selectRelated, ...names] });
  }

  /**
   * Loads reverse foreign keys and many-to-many relations with one extra query each.
   *
   * @example
   * const questions = await Question.objects.prefetchRelated("choices").toArray();
   * await questions[0].related(Choice).toArray(); // no query
   */
  prefetchRelated(...names: string[]): QuerySet<F, I> {
    return this.#with({ prefetch: [...this.state.prefetch, ...names] });
  }

  /** A query set that answers `toArray()` from `rows` (the prefetch cache) until it is changed. */
  withResultCache(rows: readonly I[]): QuerySet<F, I> {
    return new QuerySet<F, I>(this.model, this.state, rows);
  }

  get #vendor() {
    return connections.get(this.state.using).vendor;
  }

  get #scope(): Scope {
    return { model: this.model, alias: this.model.meta.table, vendor: this.#vendor, annotations: this.state.annotations };
  }

  /**
   * Runs the query and returns the instances.
   *
   * @example
   * const questions = await Question.objects.all().toArray();
   */
  async toArray(): Promise<I[]> {
    if (this.resultCache !== undefined) return [...this.resultCache];
    if (this.state.empty || (this.state.high !== undefined && this.state.high <= this.state.low)) return [];
    const vendor = this.#vendor;
    const executor = executorFor(this.state.using);
    const { rows } = await runCompiled(executor, compiledSelect(this.model, this.state, vendor, executor));
    const joins = joinsOf(this.model, this.state.selectRelated);
    const annotations = Object.entries(this.state.annotations);
    const instances = rows.map((row) => {
      const instance = this.#instantiate(this.model, row, "");
      for (const [name, aggregate] of annotations) setAttr(instance, name, this.#convertAggregate(aggregate, row[`annotation__${name}`]));
      for (const join of joins) {
        const id = getAttr(instance, join.field.attname);
        instance._state.relatedCache.set(join.field.name, id === null || id === undefined ? null : this.#instantiate(join.target, row, `${join.alias}__`));
      }
      return instance;
    });
    await prefetchRelations(this.model, instances, this.state.prefetch, this.state.using);
    return instances as I[];
  }

  #instantiate(model: AnyModel, row: Readonly<Record<string, unknown>>, prefix: string): ModelInstance {
    return instanceFromDb(model, row, this.#vendor, prefix, this.state.using);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<I> {
    yield* await this.toArray();
  }

  /**
   * The one row matching `filters`; throws `Model.DoesNotExist` or `Model.MultipleObjectsReturned`.
   *
   * @example
   * const question = await Question.objects.get({ pk: 1 });
   */
  async get(filters?: Filters<F> | Q): Promise<I> {
    const query = filters === undefined ? this : this.filter(filters);
    const rows = await query.#with({ high: query.state.low + 21 }).toArray();
    const where = filters === undefined ? "" : ` matching ${describe(filters)}`;
    if (rows.length === 0) throw new this.model.DoesNotExist(`${this.model.meta.name} matching query does not exist${where}.`);
    if (rows.length > 1) {
      throw new this.model.MultipleObjectsReturned(`get() returned more than one ${this.model.meta.name} -- it returned ${rows.length > 20 ? "more than 20" : rows.length}${where}!`);
    }
    return rows[0] as I;
  }

  /** The first row (by the ordering, else the primary key), or undefined. */
  async first(): Promise<I | undefined> {
    const ordered = (this.state.ordering ?? this.model.meta.ordering).length === 0 ? this.#with({ ordering: ["pk"] }) : this;
    return (await ordered.slice(0, 1).toArray())[0];
  }

  /** The last row (by the ordering, else the primary key), or undefined. */
  async last(): Promise<I | undefined> {
    const ordered = (this.state.ordering ?? this.model.meta.ordering).length === 0 ? this.#with({ ordering: ["pk"] }) : this;
    return ordered.reverse().first();
  }

  /**
   * The number of rows (`SELECT COUNT(*)`).
   *
   * @example
   * await Choice.objects.filter({ votes__gt: 0 }).count();
   */
  async count(): Promise<number> {
    if (this.resultCache !== undefined) return this.resultCache.length;
    if (this.state.empty) return 0;
    const executor = executorFor(this.state.using);
    const inner = selectSql(this.model, { ...this.state, selectRelated: [], ordering: [] }, this.#vendor);
    const { rows } = await runCompiled<{ count: unknown }>(executor, sql`select count(*) as count from (${inner}) as counted`.compile(executor));
    return Number(rows[0]?.count ?? 0);
  }

  /** True when at least one row matches. */
  async exists(): Promise<boolean> {
    if (this.state.empty) return false;
    return (await this.#with({ ordering: [], selectRelated: [], prefetch: [] }).slice(0, 1).toArray()).length > 0;
  }

  /**
   * Aggregates over the rows: `{ name: Count() | Sum(field) | Avg(field) | Max(field) | Min(field) }`.
   * Sums and averages are numbers (null over no rows).
   *
   * @example
   * const { total } = await Choice.objects.filter({ question }).aggregate({ total: Sum("votes") });
   */
  async aggregate<A extends Record<string, Aggregate<unknown>>>(aggregates: A): Promise<{ [K in keyof A]: A[K] extends Aggregate<infer R> ? R | null : never }> {
    const entries = Object.entries(aggregates);
    if (entries.length === 0) throw new FieldError("aggregate() needs at least one aggregate, e.g. aggregate({ total: Sum(\"votes\") }).");
    const scope = this.#scope;
    const columns = entries.map(([name, aggregate]) => sql`${expressionSql(scope, aggregate)} as ${sql.id(name)}`);
    const executor = executorFor(this.state.using);
    const sliced = this.state.low !== 0 || this.state.high !== undefined;
    const where = this.state.empty ? sql`1 = 0` : conditionOf(scope, this.state);
    const query = sliced
      ? sql`select ${sql.join(entries.map(([name, aggregate]) => sql`${sql.raw(aggregate.fn)}(${aggregate.field === undefined ? sql.raw("*") : sql.ref(`sliced.${this.model.meta.getField(aggregate.field).column}`)}) as ${sql.id(name)}`))} from (${selectSql(this.model, { ...this.state, selectRelated: [] }, scope.vendor)}) as sliced`
      : sql`select ${sql.join(columns)} from ${sql.table(this.model.meta.table)} where ${where}`;
    const { rows } = await runCompiled(executor, query.compile(executor));
    const row = rows[0] ?? {};
    const converted = entries.map(([name, aggregate]) => [name, this.#convertAggregate(aggregate, row[name])]);
    return Object.fromEntries(converted) as { [K in keyof A]: A[K] extends Aggregate<infer R> ? R | null : never };
  }

  /** Count/Sum/Avg as numbers (PostgreSQL sends numeric as text); Max/Min converted by the field. */
  #convertAggregate(aggregate: Aggregate<unknown>, value: unknown): unknown {
    if (value === null || value === undefined) return aggregate.fn === "count" ? 0 : null;
    if ((aggregate.fn === "max" || aggregate.fn === "min") && aggregate.field !== undefined) {
      return this.model.meta.getField(aggregate.field).fromDb(value, this.#vendor);
    }
    return Number(value);
  }

  /**
   * Inserts a row and returns the saved instance.
   *
   * @example
   * const question = await Question.objects.create({ questionText: "What's new?", pubDate: new Date() });
   */
  async create(values: CreateValues<F>): Promise<I> {
    const instance = this.model.build(values);
    instance._state.db = this.state.using;
    await instance.save({ forceInsert: true });
    return instance as I;
  }

  /**
   * Inserts many rows in one statement; returns the instances with their primary keys.
   *
   * @example
   * await Choice.objects.bulkCreate([{ question, choiceText: "A" }, { question, choiceText: "B" }]);
   */
  async bulkCreate(values: ReadonlyArray<CreateValues<F>>): Promise<I[]> {
    if (values.length === 0) return [];
    const vendor = this.#vendor;
    const instances = values.map((v) => this.model.build(v));
    const executor = executorFor(this.state.using);
    const rows = instances.map((instance) => rowOf(this.model, instance, vendor));
    const result = await runCompiled(executor, executor.insertInto(this.model.meta.table).values(rows).returningAll().compile());
    instances.forEach((instance, index) => {
      const row = result.rows[index];
      if (row !== undefined) assignRow(this.model, instance, row, vendor);
      instance._state.adding = false;
      instance._state.db = this.state.using;
    });
    return instances as I[];
  }

  /**
   * The row matching `filters`, else one created from `filters` and `defaults`; `created` says which.
   *
   * @example
   * const [tag, created] = await Tag.objects.getOrCreate({ name: "python" });
   */
  async getOrCreate(filters: Filters<F>, defaults: Partial<CreateValues<F>> = {}): Promise<[I, boolean]> {
    try {
      return [await this.get(filters), false];
    } catch (error) {
      if (!(error instanceof this.model.DoesNotExist)) throw error;
    }
    const values = Object.fromEntries(Object.entries(filters).filter(([key]) => !key.includes("__")));
    try {
      // A savepoint, so a lost race (IntegrityError) does not poison an outer transaction.
      return [await atomic(() => this.create({ ...values, ...defaults } as CreateValues<F>), { using: this.state.using }), true];
    } catch (error) {
      const existing = await this.filter(filters).first();
      if (existing !== undefined) return [existing, false];
      throw error;
    }
  }

  /**
   * Updates the matching rows in one statement; returns how many. Values may be `F()` expressions.
   *
   * @example
   * await Choice.objects.filter({ pk: choiceId }).update({ votes: F("votes").add(1) });
   */
  async update(values: UpdateValues<F>): Promise<number> {
    if (this.state.empty) return 0;
    const scope = this.#scope;
    const set: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const field = this.model.meta.getField(name);
      if (!field.concrete) throw new FieldError(`update() cannot set the many-to-many field ${this.model.meta.label}.${name}; use instance.m2m("${name}").set(...).`);
      set[field.column] = isExpression(value) ? expressionSql(scope, value) : field.toDb(value, scope.vendor);
    }
    if (Object.keys(set).length === 0) return 0;
    const executor = executorFor(this.state.using);
    const result = await runCompiled(executor, executor.updateTable(this.model.meta.table).set(set).where(this.#pkCondition()).compile());
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * Deletes the matching rows in one statement (foreign keys' `onDelete` applies); returns how many.
   *
   * @example
   * await Question.objects.filter({ pubDate__lt: cutoff }).delete();
   */
  async delete(): Promise<number> {
    if (this.state.empty) return 0;
    if (this.state.distinct) throw new FieldError("Cannot call delete() after distinct().");
    const executor = executorFor(this.state.using);
    const result = await runCompiled(executor, executor.deleteFrom(this.model.meta.table).where(this.#pkCondition()).compile());
    return Number(result.numAffectedRows ?? 0);
  }

  /** The filter as a condition on the table itself (through the primary key when sliced or ordered). */
  #pkCondition(): RawBuilder<SqlBool> {
    const scope = this.#scope;
    if (this.state.low === 0 && this.state.high === undefined) return conditionOf(scope, this.state);
    const pk = sql.ref(`${this.model.meta.table}.${this.model.meta.pk.column}`);
    const inner = sql`select ${pk} from ${sql.table(this.model.meta.table)} where ${conditionOf(scope, this.state)}${orderBySql(scope, this.state.ordering ?? this.model.meta.ordering)}${limitSql(this.state, scope.vendor)}`;
    return sql<SqlBool>`${pk} in (select * from (${inner}) as sliced)`;
  }

  /**
   * Plain objects of the named fields (all fields when none are named), converted to JavaScript values.
   *
   * @example
   * await Question.objects.values("id", "questionText"); // [{ id: 1, questionText: "What's new?" }]
   */
  async values<K extends keyof I & string>(...names: K[]): Promise<Array<Pick<I, K>>> {
    const instances = await this.#with({ prefetch: [] }).toArray();
    const fields = names.length === 0 ? this.model.meta.concreteFields.map((f) => f.attname) : names;
    return instances.map((instance) => Object.fromEntries(fields.map((name) => [name, getAttr(instance, this.model.meta.getField(name).attname)])) as Pick<I, K>);
  }

  /**
   * One field's values.
   *
   * @example
   * await Question.objects.valuesList("id"); // [1, 2, 3]
   */
  async valuesList<K extends keyof I & string>(name: K): Promise<Array<I[K]>> {
    return (await this.values(name)).map((row) => row[name]);
  }

  /**
   * Instances from raw SQL (written with Kysely's `sql` tag, so values are parameters); the
   * columns must include the primary key and are matched to fields by column name.
   *
   * @example
   * await Question.objects.raw(sql`select * from polls_question where question_text like ${"What%"}`);
   */
  async raw(query: RawBuilder<unknown>): Promise<I[]> {
    const executor = executorFor(this.state.using);
    const { rows } = await runCompiled(executor, query.compile(executor));
    return rows.map((row) => this.#instantiate(this.model, row, "") as I);
  }
}


function describe(filters: object): string {
  if (filters instanceof Q) return "the Q filter";
  return JSON.stringify(filters, (_key, value: unknown) => (typeof value === "object" && value !== null && "pk" in value ? (value as { pk: unknown }).pk : value));
}
