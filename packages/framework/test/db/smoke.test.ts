import { expect, test } from "vitest";
import { defineModel, models, connections, F, Sum, type InstanceOf } from "../../src/index.js";

const Question = defineModel("polls", "Question", {
  fields: { questionText: models.CharField({ maxLength: 200 }), pubDate: models.DateTimeField() },
  meta: { ordering: ["-pubDate"] },
  str: (q) => q.questionText,
});
const Choice = defineModel("polls", "Choice", {
  fields: {
    question: models.ForeignKey(Question, { onDelete: "CASCADE", relatedName: "choices" }),
    choiceText: models.CharField({ maxLength: 200 }),
    votes: models.IntegerField({ default: 0 }),
  },
});
type Question = InstanceOf<typeof Question>;

test("smoke", async () => {
  await connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
  await models.createTables([Question, Choice]);
  const q: Question = await Question.objects.create({ questionText: "What's up?", pubDate: new Date() });
  expect(q.id).toBe(1);
  const c = await Choice.objects.create({ question: q, choiceText: "Not much" });
  await Choice.objects.filter({ pk: c.pk }).update({ votes: F("votes").add(1) });
  await c.refreshFromDb();
  expect(c.votes).toBe(1);
  expect(String(await Question.objects.get({ questionText__startswith: "What" }))).toBe("What's up?");
  const withQ = await Choice.objects.selectRelated("question").toArray();
  expect(withQ[0]!.question.questionText).toBe("What's up?");
  const qs = await Question.objects.prefetchRelated("choices").toArray();
  expect((await qs[0]!.related(Choice).toArray()).length).toBe(1);
  expect(await Choice.objects.aggregate({ total: Sum("votes") })).toEqual({ total: 1 });
  expect(await Question.objects.filter({ choices__votes__gt: 0 }).count()).toBe(1);
  await connections.closeAll();
});
