import { describe, expect, test } from "vitest";
import { Count, q } from "../../src/index.js";
import { connections } from "../../src/db/connections.js";
import { compiledSelect } from "../../src/db/query/compiledSelect.js";
import { EMPTY_STATE, selectSql, type QueryState } from "../../src/db/query/select.js";
import { executorFor } from "../../src/db/transaction.js";
import { BACKENDS, skipBackend, useDatabase } from "./backends.js";
import { ALL_MODELS, Author, Choice, Question } from "./fixtures/models.js";

// A SELECT without filters, annotations or joins is compiled once per shape and kept; it must be
// the query a fresh compile gives (SQL text and parameters), and shapes that cannot be keyed never kept.
describe.each(BACKENDS)("kept compiled SELECTs on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  useDatabase(backend, ALL_MODELS, "compiledselect");

  const fresh = (model: typeof Question | typeof Choice, state: QueryState) => selectSql(model, state, connections.get("default").vendor).compile(executorFor("default"));
  const kept = (model: typeof Question | typeof Choice, state: QueryState) => compiledSelect(model, state, connections.get("default").vendor, executorFor("default"));

  test("each keyable shape compiles once and equals a fresh compile", () => {
    const shapes: QueryState[] = [
      EMPTY_STATE,
      { ...EMPTY_STATE, ordering: ["-votes", "pk"], high: 20 },
      { ...EMPTY_STATE, ordering: ["-votes", "pk"], low: 20, high: 40 },
      { ...EMPTY_STATE, ordering: ["votes"], low: 5 },
      { ...EMPTY_STATE, ordering: [], distinct: true },
    ];
    const seen = new Set<unknown>();
    for (const state of shapes) {
      const first = kept(Choice, state);
      expect(kept(Choice, { ...state })).toBe(first);
      expect({ sql: first.sql, parameters: first.parameters }).toEqual({ sql: fresh(Choice, state).sql, parameters: fresh(Choice, state).parameters });
      seen.add(first);
    }
    expect(seen.size).toBe(shapes.length);
    // Another model with the same shape has its own query.
    const sliced = { ...EMPTY_STATE, ordering: ["pk"], high: 20 };
    expect(kept(Question, sliced).sql).toBe(fresh(Question, sliced).sql);
    expect(kept(Question, sliced).sql).not.toBe(kept(Choice, sliced).sql);
  });

  test("filters, annotations, joins and none() are compiled every time", () => {
    const states: Array<[typeof Question | typeof Choice, QueryState]> = [
      [Choice, { ...EMPTY_STATE, where: [{ filters: { votes__gt: 1 }, negated: false }] }],
      [Choice, { ...EMPTY_STATE, where: [{ filters: q({ votes: 2 }), negated: true }] }],
      [Choice, { ...EMPTY_STATE, selectRelated: ["question"] }],
      [Question, { ...EMPTY_STATE, annotations: { n: Count("choices") } }],
      [Choice, { ...EMPTY_STATE, empty: true }],
    ];
    for (const [model, state] of states) {
      const first = kept(model, state);
      const second = kept(model, state);
      expect(second).not.toBe(first);
      expect({ sql: second.sql, parameters: second.parameters }).toEqual({ sql: first.sql, parameters: first.parameters });
    }
  });

  test("query sets through the kept queries give the rows an uncached query gives; many slices stay bounded", async () => {
    for (const name of ["Cy", "Al", "Bo", "Di"]) await Author.objects.create({ name });
    for (let round = 0; round < 2; round++) {
      expect((await Author.objects.all().toArray()).map((a) => a.name)).toEqual(["Al", "Bo", "Cy", "Di"]);
      expect((await Author.objects.orderBy("-name").slice(1, 3).toArray()).map((a) => a.name)).toEqual(["Cy", "Bo"]);
      expect((await Author.objects.filter({ name__gt: "B" }).slice(0, 2).toArray()).map((a) => a.name)).toEqual(["Bo", "Cy"]);
    }
    for (let low = 0; low < 200; low++) {
      const rows = await Author.objects.orderBy("name").slice(low, low + 1).toArray();
      expect(rows.map((a) => a.name)).toEqual(low < 4 ? [["Al", "Bo", "Cy", "Di"][low]] : []);
    }
    expect(() => kept(Choice, { ...EMPTY_STATE, ordering: ["nope"] })).toThrow(/nope/);
    expect(() => kept(Choice, { ...EMPTY_STATE, ordering: ["nope"] })).toThrow(/nope/);
  });
});
