import { describe, expect, test } from "vitest";
import { ModelDeclarationError, defineModel, models } from "../../src/index.js";
import { ForeignKey } from "../../src/db/index.js";
import { Question } from "./fixtures/models.js";

describe("a wrong model declaration throws a ModelDeclarationError naming the fix", () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["CharField without maxLength", () => defineModel("bad", "A", { fields: { title: models.CharField({} as never) } }), /bad.A.title: CharField needs maxLength/],
    ["DecimalField without digits", () => defineModel("bad", "B", { fields: { price: models.DecimalField({} as never) } }), /DecimalField needs maxDigits and decimalPlaces/],
    ["SET_NULL on a non-null key", () => defineModel("bad", "C", { fields: { q: ForeignKey(Question, { onDelete: "SET_NULL" }) } }), /onDelete "SET_NULL" needs null: true/],
    ["an unknown onDelete", () => defineModel("bad", "D", { fields: { q: ForeignKey(Question, { onDelete: "CASCADES" as "CASCADE" }) } }), /onDelete must be one of CASCADE/],
    ["an undefined target", () => defineModel("bad", "E", { fields: { q: ForeignKey(undefined as unknown as typeof Question, { onDelete: "CASCADE" }) } }), /pass a function: ForeignKey\(\(\) => Model/],
    ["a value that is not a field", () => defineModel("bad", "F", { fields: { title: "text" as never } }), /bad.F.title is not a field: use a field factory/],
    ["a field object shared by two models", () => {
      const shared = models.IntegerField();
      defineModel("bad", "G", { fields: { n: shared } });
      return defineModel("bad", "H", { fields: { n: shared } });
    }, /already belongs to bad.G.n; create a new one/],
    ["two primary keys", () => defineModel("bad", "I", { fields: { a: models.IntegerField({ primaryKey: true }), b: models.IntegerField({ primaryKey: true }) } }), /more than one primary key/],
    ["an app label with capitals", () => defineModel("Bad", "J", { fields: {} }), /app label must be lower-case/],
    ["a model name in lower case", () => defineModel("bad", "thing", { fields: {} }), /PascalCase/],
    ["a field name with __", () => defineModel("bad", "K", { fields: { a__b: models.IntegerField() } }), /camelCase letters and digits \(no "__", not "pk"\)/],
    ["a column clash", () => defineModel("bad", "L", { fields: { a: models.IntegerField({ dbColumn: "x" }), b: models.IntegerField({ dbColumn: "x" }) } }), /both use the column "x"; set dbColumn/],
    ["ordering by an unknown field", () => defineModel("bad", "M", { fields: { a: models.IntegerField() }, meta: { ordering: ["-b" as "-a"] } }), /Cannot resolve keyword "b"/],
    ["a method named like a field", () => defineModel("bad", "N", { fields: { a: models.IntegerField() }, methods: { a() { return 1; } } }), /method "a" has the name of a field/],
  ];
  test.each(cases)("%s", (_name, declare, message) => {
    expect(declare).toThrow(message);
    expect(declare).toThrow(ModelDeclarationError);
  });

  test("the error class is ModelDeclarationError", () => {
    expect(() => defineModel("bad", "O", { fields: { title: models.CharField({} as never) } })).toThrow(ModelDeclarationError);
  });

  test("a correct declaration fills in Django's defaults", () => {
    expect(Question.meta.table).toBe("polls_question");
    expect(Question.meta.pk.name).toBe("id");
    expect(Question.meta.getField("pubDate").column).toBe("pub_date");
    expect(Question.meta.getField("pubDate").options.verboseName).toBe("date published");
    expect(Question.meta.verboseName).toBe("question");
    expect(Question.name).toBe("Question");
  });
});
