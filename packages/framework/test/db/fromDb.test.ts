import { describe, expect, test } from "vitest";
import { defineModel, models } from "../../src/index.js";
import { runCompiled } from "../../src/db/backends/database.js";
import { connections } from "../../src/db/connections.js";
import { getAttr } from "../../src/db/model/attributes.js";
import { instanceFromDb } from "../../src/db/model/fromDb.js";
import type { ModelInstance } from "../../src/db/model/instance.js";
import type { AnyModel } from "../../src/db/model/types.js";
import { assignRow } from "../../src/db/query/persistence.js";
import { EMPTY_STATE, selectSql } from "../../src/db/query/select.js";
import { executorFor } from "../../src/db/transaction.js";
import { BACKENDS, skipBackend, useDatabase } from "./backends.js";
import { ALL_MODELS, Author, Book, Choice, Question, Tag } from "./fixtures/models.js";

// Rows loaded by a query are built by instanceFromDb (each field set once from its column). They
// must be the objects the constructor-then-assign path builds: same prototype, same own
// properties in the same order, same values, same state. A callable default is not called for them.
let stamps = 0;
const Stamped = defineModel("fromdb", "Stamped", {
  fields: { label: models.CharField({ maxLength: 20 }), stamp: models.IntegerField({ default: () => ++stamps }) },
});

/** The way rows were loaded before: `new model()` (every default), then each column assigned over it. */
function builtSlowly(model: AnyModel, row: Readonly<Record<string, unknown>>, prefix = ""): ModelInstance {
  const instance = new model();
  assignRow(model, instance, row, connections.get("default").vendor, prefix);
  instance._state.adding = false;
  instance._state.db = "default";
  return instance;
}

async function rawRows(model: AnyModel, selectRelated: string[] = []): Promise<Array<Record<string, unknown>>> {
  const executor = executorFor("default");
  const state = { ...EMPTY_STATE, ordering: ["pk"], selectRelated };
  return (await runCompiled(executor, selectSql(model, state, connections.get("default").vendor).compile(executor))).rows;
}

function expectSame(fast: ModelInstance, slow: ModelInstance): void {
  expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(slow));
  expect(Reflect.ownKeys(fast)).toEqual(Reflect.ownKeys(slow));
  for (const key of Reflect.ownKeys(slow)) {
    const [a, b] = [Reflect.getOwnPropertyDescriptor(fast, key), Reflect.getOwnPropertyDescriptor(slow, key)];
    expect({ ...a, value: undefined }).toEqual({ ...b, value: undefined });
  }
  for (const key of Object.keys(slow)) expect(getAttr(fast, key)).toStrictEqual(getAttr(slow, key));
  expect(fast._model).toBe(slow._model);
  expect([fast._state.adding, fast._state.db]).toEqual([slow._state.adding, slow._state.db]);
  expect([...fast._state.prefetched.keys()]).toEqual([...slow._state.prefetched.keys()]);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  expect(String(fast)).toBe(String(slow));
}

describe.each(BACKENDS)("instances from rows on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  useDatabase(backend, [...ALL_MODELS, Stamped], "fromdb");

  test("query results equal the constructor-then-assign instances, every field type", async () => {
    const ann = await Author.objects.create({ name: "Ann", bio: null });
    const bob = await Author.objects.create({ name: "Bob", bio: "Writes." });
    const tag = await Tag.objects.create({ name: "py" });
    const book = await Book.objects.create({ title: "T1", author: ann, editor: bob, price: "12.50", inPrint: false, published: "2026-02-03", extra: { pages: 3, languages: ["en"] }, rating: 4.5 });
    await book.m2m("tags").add(tag);
    await Book.objects.create({ title: "T2", author: bob });
    const question = await Question.objects.create({ questionText: "Why?", pubDate: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    await Choice.objects.create({ question, choiceText: "Because", votes: 7 });
    for (const model of [Author, Tag, Book, Question, Choice] as AnyModel[]) {
      const fast = await model.objects.orderBy("pk").toArray();
      const slow = (await rawRows(model)).map((row) => builtSlowly(model, row));
      expect(fast.length).toBe(slow.length);
      expect(fast.length).toBeGreaterThan(0);
      fast.forEach((instance, i) => expectSame(instance, slow[i] as ModelInstance));
    }
  });

  test("selectRelated: the joined instances and the foreign keys' cached objects match too", async () => {
    const ann = await Author.objects.create({ name: "Ann" });
    await Book.objects.create({ title: "T1", author: ann });
    const [fast] = await Book.objects.selectRelated("author", "editor").toArray();
    const [row] = await rawRows(Book, ["author", "editor"]);
    if (fast === undefined || row === undefined) throw new Error("no book loaded");
    expectSame(fast, builtSlowly(Book, row));
    expect(fast._state.relatedCache.get("editor")).toBeNull();
    expectSame(fast._state.relatedCache.get("author") as ModelInstance, builtSlowly(Author, row, "r0__"));
    expect(getAttr(fast, "authorId")).toBe(ann.pk);
  });

  test("a loaded row calls no callable default; a column missing from the row gets the default", async () => {
    await Stamped.objects.create({ label: "a", stamp: 100 });
    const before = stamps;
    const [loaded] = await Stamped.objects.all().toArray();
    expect(stamps).toBe(before);
    expect(loaded?.stamp).toBe(100);
    const partial = instanceFromDb(Stamped, { id: 5, label: "b" }, connections.get("default").vendor, "", "default");
    expect(getAttr(partial, "stamp")).toBe(before + 1);
    expect(Reflect.ownKeys(partial)).toEqual(Reflect.ownKeys(new Stamped({ label: "c" })));
    expect([partial._state.adding, partial._state.db]).toEqual([false, "default"]);
  });

  test("a loaded instance saves as an UPDATE and reloads equal", async () => {
    const question = await Question.objects.create({ questionText: "Q", pubDate: new Date(Date.UTC(2026, 0, 1)) });
    const [loaded] = await Question.objects.all().toArray();
    if (loaded === undefined) throw new Error("no question loaded");
    loaded.questionText = "Q2";
    await loaded.save();
    expect(await Question.objects.count()).toBe(1);
    expect((await Question.objects.get({ pk: question.pk })).questionText).toBe("Q2");
  });
});
