import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CharField, Form, IntegerField, ModelForm, formsetFactory, models, modelFormFactory, defineModel, type InstanceOf } from "../../src/index.js";

const Author = defineModel("shop", "Author", { fields: { name: models.CharField({ maxLength: 50 }) }, str: (a) => a.name });
const Book = defineModel("shop", "Book", {
  fields: {
    title: models.CharField({ maxLength: 20, unique: true, verboseName: "title" }),
    pages: models.IntegerField({ default: 100 }),
    published: models.DateField({ null: true, blank: true }),
    inPrint: models.BooleanField({ default: true }),
    format: models.CharField({ maxLength: 5, choices: [["hb", "Hardback"], ["pb", "Paperback"]] }),
    author: models.ForeignKey(Author, { onDelete: "CASCADE" }),
    created: models.DateTimeField({ autoNowAdd: true }),
  },
});
type Book = InstanceOf<typeof Book>;

beforeAll(async () => {
  await models.connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
  await models.createTables([Author, Book]);
});
afterAll(() => models.connections.restore("default"));

describe("ModelForm", () => {
  const BookForm = ModelForm.forModel(Book, { exclude: ["inPrint"], labels: { pages: "Page count" } });

  it("builds fields from the model: lengths, defaults, choices, optional fields, foreign keys; skips automatic ones", async () => {
    const form = await new BookForm().prepare();
    expect(Object.keys(form.fields)).toEqual(["title", "pages", "published", "format", "author"]);
    expect(form.fields.title?.required).toBe(true);
    expect(form.fields.published?.required).toBe(false);
    expect(form.get("pages").label).toBe("Page count");
    expect(form.get("pages").value()).toBe(100);
    const html = String(form);
    expect(html).toContain('maxlength="20"');
    expect(html).toContain('<option value="hb">Hardback</option>');
    expect(() => ModelForm.forModel(Book, { fields: ["title", "nope"] })).toThrow("Unknown field(s) (nope) specified for Book.");
    expect(() => new ModelForm()).toThrow(/has no model/);
  });

  it("creates, then updates, checking uniqueness and the foreign key", async () => {
    const ada = await Author.objects.create({ name: "Ada" });
    const form = await new BookForm({ title: "Notes", pages: "42", published: "1843-10-01", format: "pb", author: String(ada.pk) }).prepare();
    expect(await form.isValid()).toBe(true);
    const book = (await form.save()) as Book;
    expect(book.pk).toBeGreaterThan(0);
    const stored = await Book.objects.get({ pk: book.pk });
    expect([stored.title, stored.pages, stored.published, stored.format, stored.authorId]).toEqual(["Notes", 42, "1843-10-01", "pb", ada.pk]);

    const duplicate = await new BookForm({ title: "Notes", pages: "1", format: "hb", author: String(ada.pk) }).prepare();
    expect(await duplicate.isValid()).toBe(false);
    expect(duplicate.errors.get("title")?.messages).toEqual(["Book with this Title already exists."]);
    const missingAuthor = await new BookForm({ title: "Other", pages: "1", format: "hb", author: "999" }).prepare();
    expect(await missingAuthor.isValid()).toBe(false);
    expect(missingAuthor.errors.get("author")?.messages[0]).toMatch(/Select a valid choice/);
    await expect(missingAuthor.save()).rejects.toThrow("could not be created because the data didn't validate");

    const edit = await new BookForm({ title: "Notes", pages: "50", format: "hb", author: String(ada.pk) }, { instance: stored }).prepare();
    expect(edit.get("title").initial).toBe("Notes");
    expect(await edit.isValid()).toBe(true);
    await edit.save();
    expect((await Book.objects.get({ pk: book.pk })).pages).toBe(50);
    const unsaved = modelFormFactory(Author, { fields: "__all__" });
    const draft = new unsaved({ name: "Grace" });
    const author = await draft.save({ commit: false });
    expect(await Author.objects.count()).toBe(1);
    await author.save();
    expect(await Author.objects.count()).toBe(2);
  });
});

describe("formsets", () => {
  const LineForm = Form.define({ item: new CharField(), qty: new IntegerField({ minValue: 1 }) });
  const LineFormSet = formsetFactory(LineForm, { extra: 2, canDelete: true, maxNum: 3, validateMax: true });

  it("renders the management form and prefixed forms", () => {
    const formset = new LineFormSet(null, { initial: [{ item: "tea", qty: 1 }] });
    expect(formset.forms).toHaveLength(3);
    const html = String(formset);
    expect(html).toContain('name="form-TOTAL_FORMS" value="3"');
    expect(html).toContain('name="form-INITIAL_FORMS" value="1"');
    expect(html).toContain('name="form-0-item" value="tea"');
    expect(html).toContain('name="form-2-DELETE"');
  });

  it("validates filled forms, skips empty extras and deleted ones", async () => {
    const data = { "form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "1", "form-0-item": "tea", "form-0-qty": "2", "form-1-item": "cake", "form-1-qty": "1", "form-1-DELETE": "on" };
    const formset = new LineFormSet(data);
    expect(await formset.isValid()).toBe(true);
    expect(formset.cleanedData).toEqual([{ item: "tea", qty: 2 }]);
    expect(formset.deletedForms).toHaveLength(1);
    const bad = new LineFormSet({ ...data, "form-0-qty": "0" });
    expect(await bad.isValid()).toBe(false);
    expect(bad.errors[0]).toMatchObject({ qty: [{ code: "min_value" }] });
  });

  it("a missing management form and too many forms are errors", async () => {
    const tampered = new LineFormSet({ "form-0-item": "x" });
    expect(await tampered.isValid()).toBe(false);
    expect(tampered.nonFormErrors().messages[0]).toMatch(/ManagementForm data is missing or has been tampered with/);
    const many: Record<string, string> = { "form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "0" };
    for (let i = 0; i < 4; i++) Object.assign(many, { [`form-${i}-item`]: `i${i}`, [`form-${i}-qty`]: "1" });
    const tooMany = new LineFormSet(many);
    expect(await tooMany.isValid()).toBe(false);
    expect(tooMany.nonFormErrors().messages).toEqual(["Please submit at most 3 forms."]);
    const huge = new LineFormSet({ "form-TOTAL_FORMS": "99999999", "form-INITIAL_FORMS": "0" });
    expect(huge.forms.length).toBeLessThanOrEqual(1003);
  });
});
