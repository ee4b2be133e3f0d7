import { describe, expect, test } from "vitest";
import { Avg, Count, F, Max, Min, Q, Sum, q, sql } from "../../src/index.js";
import { FieldError, ObjectDoesNotExist, MultipleObjectsReturned, RelatedObjectNotLoaded } from "../../src/index.js";
import { captureQueries } from "../../src/db/index.js";
import { BACKENDS, skipBackend, useDatabase } from "./backends.js";
import { ALL_MODELS, Author, Book, Choice, Question, Tag } from "./fixtures/models.js";

const day = 86_400_000;

async function poll(text: string, daysAgo: number, choices: Array<[string, number]> = []) {
  const question = await Question.objects.create({ questionText: text, pubDate: new Date(Date.UTC(2026, 0, 10) - daysAgo * day) });
  for (const [choiceText, votes] of choices) await Choice.objects.create({ question, choiceText, votes });
  return question;
}

describe.each(BACKENDS)("queries on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  useDatabase(backend, ALL_MODELS, "queries");

  test("create, get, DoesNotExist and MultipleObjectsReturned", async () => {
    const question = await poll("What's new?", 0);
    expect(typeof question.id).toBe("number");
    expect(question.pk).toBe(question.id);
    const found = await Question.objects.get({ pk: question.id });
    expect(found.questionText).toBe("What's new?");
    expect(found.pubDate).toBeInstanceOf(Date);
    expect(found.pubDate.getTime()).toBe(question.pubDate.getTime());
    expect(String(found)).toBe("What's new?");
    const missing = Question.objects.get({ pk: question.id + 1000 });
    await expect(missing).rejects.toBeInstanceOf(Question.DoesNotExist);
    await expect(Question.objects.get({ pk: -1 })).rejects.toBeInstanceOf(ObjectDoesNotExist);
    await expect(Question.objects.get({ pk: -1 })).rejects.toThrow(/Question matching query does not exist/);
    await expect(Choice.objects.get({ pk: question.id })).rejects.not.toBeInstanceOf(Question.DoesNotExist);
    await poll("What's old?", 3);
    await expect(Question.objects.get()).rejects.toBeInstanceOf(Question.MultipleObjectsReturned);
    await expect(Question.objects.get({ questionText__startswith: "What" })).rejects.toBeInstanceOf(MultipleObjectsReturned);
    await expect(Question.objects.get({ questionText__startswith: "What" })).rejects.toThrow(/returned 2/);
  });

  test("methods and defaults", async () => {
    const question = await poll("Recent?", 0);
    question.pubDate = new Date(Date.now() - 1000);
    expect(question.wasPublishedRecently()).toBe(true);
    question.pubDate = new Date(Date.now() + day);
    expect(question.wasPublishedRecently()).toBe(false);
    const choice = await Choice.objects.create({ question, choiceText: "Yes" });
    expect(choice.votes).toBe(0);
    expect(choice.questionId).toBe(question.id);
  });

  test("lookups: exact, iexact, in, comparisons, range, isnull", async () => {
    const q1 = await poll("Alpha", 1, [["a", 1], ["b", 5], ["c", 10]]);
    await poll("beta", 2);
    const votes = async (filters: Parameters<typeof Choice.objects.filter>[0]) =>
      (await Choice.objects.filter(filters).orderBy("votes").toArray()).map((c) => c.votes);
    expect(await votes({ votes: 5 })).toEqual([5]);
    expect(await votes({ votes__exact: 5 })).toEqual([5]);
    expect(await votes({ votes__in: [1, 10] })).toEqual([1, 10]);
    expect(await votes({ votes__in: [] })).toEqual([]);
    expect(await votes({ votes__lt: 5 })).toEqual([1]);
    expect(await votes({ votes__lte: 5 })).toEqual([1, 5]);
    expect(await votes({ votes__gt: 5 })).toEqual([10]);
    expect(await votes({ votes__gte: 5 })).toEqual([5, 10]);
    expect(await votes({ votes__range: [2, 10] })).toEqual([5, 10]);
    expect(await votes({ question: q1, votes__gt: 1 })).toEqual([5, 10]);
    expect(await votes({ questionId: q1.id })).toEqual([1, 5, 10]);
    expect((await Question.objects.filter({ questionText__iexact: "ALPHA" }).toArray()).map((x) => x.questionText)).toEqual(["Alpha"]);
    const author = await Author.objects.create({ name: "Ann" });
    await Author.objects.create({ name: "Bob", bio: "writes" });
    expect((await Author.objects.filter({ bio__isnull: true }).toArray()).map((a) => a.name)).toEqual([author.name]);
    expect((await Author.objects.filter({ bio: null }).toArray()).map((a) => a.name)).toEqual(["Ann"]);
    expect((await Author.objects.filter({ bio__isnull: false }).toArray()).map((a) => a.name)).toEqual(["Bob"]);
  });

  test("text lookups: contains is case-sensitive, icontains is not, startswith/endswith, wildcards are literal", async () => {
    for (const text of ["What is up?", "what time", "50% off_sale", "Is it [x]*?"]) await poll(text, 0);
    const texts = async (filters: Parameters<typeof Question.objects.filter>[0]) =>
      (await Question.objects.filter(filters).orderBy("questionText").toArray()).map((x) => x.questionText);
    expect(await texts({ questionText__contains: "What" })).toEqual(["What is up?"]);
    expect(await texts({ questionText__icontains: "what" })).toEqual(["What is up?", "what time"]);
    expect(await texts({ questionText__startswith: "what" })).toEqual(["what time"]);
    expect(await texts({ questionText__istartswith: "WHAT" })).toEqual(["What is up?", "what time"]);
    expect(await texts({ questionText__endswith: "time" })).toEqual(["what time"]);
    expect(await texts({ questionText__iendswith: "UP?" })).toEqual(["What is up?"]);
    expect(await texts({ questionText__contains: "%" })).toEqual(["50% off_sale"]);
    expect(await texts({ questionText__icontains: "_" })).toEqual(["50% off_sale"]);
    expect(await texts({ questionText__contains: "[x]*" })).toEqual(["Is it [x]*?"]);
    expect(await texts({ questionText__contains: "*" })).toEqual(["Is it [x]*?"]);
  });

  test("exclude keeps NULL rows; Q combines with OR and NOT", async () => {
    await Author.objects.create({ name: "Ann" });
    await Author.objects.create({ name: "Bob", bio: "x" });
    await Author.objects.create({ name: "Cy", bio: "y" });
    const names = async (query: { toArray(): Promise<Array<{ name: string }>> }) => (await query.toArray()).map((a) => a.name);
    expect(await names(Author.objects.exclude({ bio: "x" }))).toEqual(["Ann", "Cy"]);
    expect(await names(Author.objects.filter(q({ name: "Ann" }).or({ bio: "y" })))).toEqual(["Ann", "Cy"]);
    expect(await names(Author.objects.filter(new Q([{ name: "Ann" }]).not()))).toEqual(["Bob", "Cy"]);
    expect(await names(Author.objects.exclude(q({ name: "Ann" }).or({ name: "Bob" })))).toEqual(["Cy"]);
  });

  test("following relations in filters, both directions", async () => {
    const recent = await poll("Recent", 1, [["x", 0], ["y", 3]]);
    await poll("Old", 30, [["z", 0]]);
    const cutoff = new Date(Date.UTC(2026, 0, 1));
    expect((await Choice.objects.filter({ question__pubDate__gte: cutoff }).orderBy("choiceText").toArray()).map((c) => c.choiceText)).toEqual(["x", "y"]);
    expect((await Question.objects.filter({ choices__votes__gt: 0 }).toArray()).map((x) => x.id)).toEqual([recent.id]);
    expect(await Question.objects.filter({ choices__choiceText: "z" }).count()).toBe(1);
    await expect(Choice.objects.filter({ question__nope: 1 }).toArray()).rejects.toBeInstanceOf(FieldError);
  });

  test("ordering (Meta and explicit), reverse, slicing, first, last, count, exists", async () => {
    const [a, b, c] = [await poll("a", 3), await poll("b", 1), await poll("c", 2)];
    const ids = async (query: { toArray(): Promise<Array<{ id: number }>> }) => (await query.toArray()).map((x) => x.id);
    expect(await ids(Question.objects.all())).toEqual([b.id, c.id, a.id]); // Meta: -pubDate
    expect(await ids(Question.objects.orderBy("questionText"))).toEqual([a.id, b.id, c.id]);
    expect(await ids(Question.objects.orderBy("questionText").reverse())).toEqual([c.id, b.id, a.id]);
    expect(await ids(Question.objects.orderBy("questionText").slice(1))).toEqual([b.id, c.id]);
    expect(await ids(Question.objects.orderBy("questionText").slice(0, 2))).toEqual([a.id, b.id]);
    expect(await ids(Question.objects.orderBy("questionText").slice(1, 3).slice(1))).toEqual([c.id]);
    expect(await ids(Question.objects.orderBy("questionText").slice(5, 9))).toEqual([]);
    expect((await Question.objects.orderBy("questionText").first())?.id).toBe(a.id);
    expect((await Question.objects.orderBy("questionText").last())?.id).toBe(c.id);
    expect(await Question.objects.filter({ questionText: "zzz" }).first()).toBeUndefined();
    expect(await Question.objects.count()).toBe(3);
    expect(await Question.objects.orderBy("questionText").slice(0, 2).count()).toBe(2);
    expect(await Question.objects.filter({ questionText: "b" }).exists()).toBe(true);
    expect(await Question.objects.filter({ questionText: "x" }).exists()).toBe(false);
    expect(await Question.objects.none().count()).toBe(0);
    expect(() => Question.objects.slice(0, 1).filter({ questionText: "a" })).toThrow(/slice/);
    expect(() => Question.objects.slice(-1)).toThrow(FieldError);
    expect(() => Question.objects.orderBy("nope" as "questionText")).toThrow(/Cannot resolve keyword "nope"/);
    const seen: number[] = [];
    for await (const question of Question.objects.orderBy("pubDate")) seen.push(question.id);
    expect(seen).toEqual([a.id, c.id, b.id]);
  });

  test("save() inserts then updates; update() and delete() on query sets; F() increments atomically", async () => {
    const question = new Question({ questionText: "Draft", pubDate: new Date() });
    expect(question.id).toBeUndefined();
    await question.save();
    expect(question.id).toBeGreaterThan(0);
    question.questionText = "Final";
    await question.save();
    expect((await Question.objects.get({ pk: question.id })).questionText).toBe("Final");
    expect(await Question.objects.count()).toBe(1);
    const choice = await Choice.objects.create({ question, choiceText: "Yes" });
    // 20 concurrent votes: each one an UPDATE ... SET votes = votes + 1, so none is lost.
    await Promise.all(Array.from({ length: 20 }, () => Choice.objects.filter({ pk: choice.id }).update({ votes: F("votes").add(1) })));
    await choice.refreshFromDb();
    expect(choice.votes).toBe(20);
    expect(await Choice.objects.filter({ votes__gte: F("votes") }).count()).toBe(1);
    expect(await Choice.objects.filter({ votes: 20 }).update({ choiceText: "Yes!" })).toBe(1);
    expect(await Choice.objects.update({ votes: F("votes").mul(2).sub(1) })).toBe(1);
    await choice.refreshFromDb();
    expect([choice.choiceText, choice.votes]).toEqual(["Yes!", 39]);
    expect(await Question.objects.filter({ pk: question.id }).delete()).toBe(1);
    expect(await Choice.objects.count()).toBe(0); // CASCADE
  });

  test("selectRelated loads foreign keys in the same query; prefetchRelated with one query per relation", async () => {
    for (let i = 0; i < 3; i++) await poll(`q${i}`, i, [["a", 1], ["b", 2]]);
    let choices: Choice[] = [];
    const joined = await captureQueries(async () => {
      choices = await Choice.objects.selectRelated("question").orderBy("id").toArray();
      for (const choice of choices) expect(choice.question.questionText).toMatch(/^q\d$/);
    });
    expect(joined).toHaveLength(1);
    const plain = await Choice.objects.orderBy("id").first();
    expect(() => plain?.question).toThrow(RelatedObjectNotLoaded);
    expect(() => plain?.question).toThrow(/selectRelated\("question"\)/);
    expect((await plain?.getRelated("question"))?.toString()).toBe("q0");
    let totals: number[] = [];
    const prefetched = await captureQueries(async () => {
      const questions = await Question.objects.prefetchRelated("choices").orderBy("questionText").toArray();
      totals = [];
      for (const question of questions) {
        const related = await question.related(Choice).toArray();
        totals.push(related.reduce((sum, c) => sum + c.votes, 0));
        for (const choice of related) expect(choice.question.id).toBe(question.id);
      }
    });
    expect(totals).toEqual([3, 3, 3]);
    expect(prefetched).toHaveLength(2);
    const forward = await captureQueries(async () => {
      for (const choice of await Choice.objects.prefetchRelated("question").toArray()) expect(choice.question.questionText).toMatch(/^q/);
    });
    expect(forward).toHaveLength(2);
    const first = await Question.objects.orderBy("questionText").first();
    expect(await first?.related(Choice).filter({ votes: 2 }).count()).toBe(1);
    expect(() => Choice.objects.selectRelated("choiceText")).toThrow(/prefetchRelated/);
    await expect(Question.objects.prefetchRelated("nope").toArray()).rejects.toThrow(/choices/);
  });

  test("aggregates: Count, Sum, Avg, Max, Min (null over no rows)", async () => {
    const question = await poll("Q", 0, [["a", 1], ["b", 2], ["c", 6]]);
    const result = await Choice.objects.filter({ question }).aggregate({ n: Count(), total: Sum("votes"), mean: Avg("votes"), most: Max("votes"), least: Min("votes") });
    expect(result).toEqual({ n: 3, total: 9, mean: 3, most: 6, least: 1 });
    const none = await Choice.objects.filter({ votes__gt: 100 }).aggregate({ n: Count("id"), total: Sum("votes"), mean: Avg("votes") });
    expect(none).toEqual({ n: 0, total: null, mean: null });
    const latest = await Question.objects.aggregate({ latest: Max<Date>("pubDate") });
    expect(latest.latest).toBeInstanceOf(Date);
    expect(await Choice.objects.orderBy("votes").slice(0, 2).aggregate({ total: Sum("votes") })).toEqual({ total: 3 });
  });

  test("annotate: aggregates over a reverse relation, usable in filter and orderBy, rows not multiplied", async () => {
    await poll("none", 1);
    await poll("two", 2, [["a", 1], ["b", 4]]);
    await poll("one", 3, [["c", 7]]);
    const rows = await Question.objects.annotate({ numChoices: Count("choices"), totalVotes: Sum("choices__votes") }).orderBy("-numChoices", "questionText").toArray();
    expect(rows.map((r) => [r.questionText, r.numChoices, r.totalVotes])).toEqual([["two", 2, 5], ["one", 1, 7], ["none", 0, null]]);
    const busy = await Question.objects.annotate({ numChoices: Count("choices") }).filter({ numChoices__gte: 1 }).orderBy("numChoices").toArray();
    expect(busy.map((r) => r.questionText)).toEqual(["one", "two"]);
    expect(await Question.objects.annotate({ n: Count("choices") }).count()).toBe(3);
    expect(() => Question.objects.annotate({ n: Count("questionText") })).toThrow(/annotate\(\) aggregates a relation pointing at polls.Question, e.g. Count\("choices"\)/);
    expect(() => Question.objects.annotate({ pubDate: Count("choices") })).toThrow(/conflicts with a field/);
  });

  test("raw SQL, values and valuesList, bulkCreate, getOrCreate", async () => {
    const question = await poll("Raw", 0, [["a", 1]]);
    const raw = await Question.objects.raw(sql`select * from polls_question where question_text = ${"Raw"}`);
    expect(raw.map((x) => [x.id, x.questionText, x.pubDate instanceof Date])).toEqual([[question.id, "Raw", true]]);
    expect(await Choice.objects.values("choiceText", "votes")).toEqual([{ choiceText: "a", votes: 1 }]);
    expect(await Choice.objects.valuesList("questionId")).toEqual([question.id]);
    const made = await Choice.objects.bulkCreate([{ question, choiceText: "b" }, { questionId: question.id, choiceText: "c", votes: 4 }]);
    expect(made.map((c) => typeof c.id)).toEqual(["number", "number"]);
    expect(await Choice.objects.count()).toBe(3);
    const [tag, created] = await Tag.objects.getOrCreate({ name: "sf" });
    const [again, createdAgain] = await Tag.objects.getOrCreate({ name: "sf" });
    expect([created, createdAgain, again.id]).toEqual([true, false, tag.id]);
  });

  test("field types round-trip: decimal, boolean, date, JSON, float, null", async () => {
    const author = await Author.objects.create({ name: "Ann" });
    const book = await Book.objects.create({ title: "T", author, price: "12.50", inPrint: false, published: "2024-02-29", extra: { pages: 300, languages: ["en", "fr"] }, rating: 4.5 });
    const loaded = await Book.objects.get({ pk: book.id });
    expect(Number(loaded.price)).toBe(12.5);
    expect(loaded.inPrint).toBe(false);
    expect(loaded.published).toBe("2024-02-29");
    expect(loaded.extra).toEqual({ pages: 300, languages: ["en", "fr"] });
    expect(loaded.rating).toBe(4.5);
    expect(loaded.editorId).toBeNull();
    expect(loaded.editor).toBeNull();
    const defaults = await Book.objects.create({ title: "U", author });
    expect([defaults.inPrint, defaults.extra, defaults.published]).toEqual([true, {}, null]);
    expect(await Book.objects.filter({ inPrint: true }).count()).toBe(1);
    expect(await Book.objects.filter({ published__gte: "2024-01-01" }).count()).toBe(1);
  });

  test("constraints: IntegrityError names the constraint; PROTECT, SET_NULL and CASCADE", async () => {
    const { IntegrityError } = await import("../../src/index.js");
    const ann = await Author.objects.create({ name: "Ann" });
    const error = await Author.objects.create({ name: "Ann" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as InstanceType<typeof IntegrityError>).constraint).toMatch(backend === "sqlite" ? /library_author\.name/ : /library_author_name_key/);
    expect((error as InstanceType<typeof IntegrityError>).sql).toMatch(/insert into/i);
    const bob = await Author.objects.create({ name: "Bob" });
    const book = await Book.objects.create({ title: "T", author: ann, editor: bob });
    await expect(Book.objects.create({ title: "T", author: ann })).rejects.toBeInstanceOf(IntegrityError); // uniqueTogether
    await expect(ann.delete()).rejects.toBeInstanceOf(IntegrityError); // PROTECT
    await bob.delete();
    await book.refreshFromDb();
    expect(book.editorId).toBeNull(); // SET_NULL
    await expect(Choice.objects.create({ questionId: 999_999, choiceText: "orphan" })).rejects.toBeInstanceOf(IntegrityError);
  });

  test("many-to-many: add, remove, set, clear, filter across it, prefetch", async () => {
    const ann = await Author.objects.create({ name: "Ann" });
    const book = await Book.objects.create({ title: "T", author: ann });
    const other = await Book.objects.create({ title: "U", author: ann });
    const [sf, fun, old] = [await Tag.objects.create({ name: "sf" }), await Tag.objects.create({ name: "fun" }), await Tag.objects.create({ name: "old" })];
    await book.m2m("tags").add(sf, fun);
    await book.m2m("tags").add(sf); // already linked: no duplicate
    await other.m2m("tags").add(old.id);
    const names = async (query: { toArray(): Promise<Array<{ toJSON(): Record<string, unknown> }>> }) => (await query.toArray()).map((t) => t.toJSON().name).sort();
    expect(await names(book.m2m("tags").all())).toEqual(["fun", "sf"]);
    expect((await sf.m2m("books").all().toArray()).map((b) => b.pk)).toEqual([book.id]);
    expect((await Book.objects.filter({ tags__name: "old" }).toArray()).map((b) => b.title)).toEqual(["U"]);
    expect(await Tag.objects.filter({ books__title: "T" }).count()).toBe(2);
    await book.m2m("tags").remove(fun);
    expect(await names(book.m2m("tags").all())).toEqual(["sf"]);
    await book.m2m("tags").set([old, fun]);
    expect(await names(book.m2m("tags").all())).toEqual(["fun", "old"]);
    const queries = await captureQueries(async () => {
      const books = await Book.objects.prefetchRelated("tags").orderBy("title").toArray();
      expect(await Promise.all(books.map(async (b) => (await b.m2m("tags").all().toArray()).length))).toEqual([2, 1]);
    });
    expect(queries).toHaveLength(3);
    await book.m2m("tags").clear();
    expect(await book.m2m("tags").all().count()).toBe(0);
    expect(() => book.m2m("nope")).toThrow(/tags/);
  });

  test("a query naming an unknown field or lookup is a FieldError listing the choices", async () => {
    await expect(Question.objects.filter({ nope: 1 } as never).toArray()).rejects.toThrow(/Cannot resolve keyword "nope" into a field of polls.Question. Choices are: pk, id, questionText, pubDate/);
    await expect(Question.objects.filter({ questionText__near: "x" } as never).toArray()).rejects.toThrow(/Unsupported lookup "near"/);
    expect(() => new Question({ questionText: "x", pubDate: new Date(), colour: "red" } as never)).toThrow(/has no field "colour"/);
    await expect(Question.objects.filter({ pubDate__lt: null } as never).toArray()).rejects.toThrow(/isnull/);
  });
});
