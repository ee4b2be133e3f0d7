import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineModel, defineSettings, modelFormsetFactory, models } from "../../src/index.js";

const Shelf = defineModel("library", "Shelf", {
  fields: { label: models.CharField({ maxLength: 20 }), size: models.IntegerField({ default: 10 }) },
});
const db = new models.TestDatabase(defineSettings({ SECRET_KEY: "m".repeat(50), DATABASES: { default: { ENGINE: "sqlite", NAME: ":memory:" } } }));

beforeAll(async () => {
  await db.setup();
  await models.createTables([Shelf]);
});
afterAll(() => db.teardown());

const ShelfFormSet = modelFormsetFactory(Shelf, { fields: ["label", "size"], extra: 1, canDelete: true });
const management = (total: number, initial: number) => ({ "form-TOTAL_FORMS": total, "form-INITIAL_FORMS": initial, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000 });

describe("modelFormsetFactory on SQLite", () => {
  it("renders one form per row plus the extra ones, with the rows' values", () =>
    db.run(async () => {
      await Shelf.objects.create({ label: "A", size: 1 });
      await Shelf.objects.create({ label: "B", size: 2 });
      const formset = await ShelfFormSet.create();
      expect(formset.forms).toHaveLength(3);
      const html = String(formset);
      expect(html).toContain('name="form-TOTAL_FORMS" value="3"');
      expect(html).toContain('name="form-INITIAL_FORMS" value="2"');
      expect(html).toContain('name="form-0-label"');
      expect(html).toMatch(/name="form-1-label"[^>]*value="B"|value="B"[^>]*name="form-1-label"/);
      expect(html).toContain('name="form-2-DELETE"');
    }));

  it("updates changed rows, creates the filled extra form, deletes the ticked row", () =>
    db.run(async () => {
      const a = await Shelf.objects.create({ label: "A", size: 1 });
      const b = await Shelf.objects.create({ label: "B", size: 2 });
      const formset = await ShelfFormSet.create({
        ...management(3, 2),
        "form-0-label": "A2", "form-0-size": 5,
        "form-1-label": "B", "form-1-size": 2, "form-1-DELETE": "on",
        "form-2-label": "C", "form-2-size": 3,
      });
      expect(await formset.isValid()).toBe(true);
      const saved = await formset.save();
      expect(saved.map((row) => Reflect.get(row, "label"))).toEqual(["A2", "C"]);
      // Deleted rows lose their pk, as in Django.
      expect(formset.deletedObjects.map((row) => Reflect.get(row, "label"))).toEqual([Reflect.get(b, "label")]);
      const rows = await Shelf.objects.orderBy("pk").toArray();
      expect(rows.map((row) => [Reflect.get(row, "label"), Reflect.get(row, "size")])).toEqual([["A2", 5], ["C", 3]]);
      expect(rows[0]?.pk).toBe(a.pk);
    }));

  it("an invalid row keeps the formset invalid and save() refuses", () =>
    db.run(async () => {
      await Shelf.objects.create({ label: "A", size: 1 });
      const formset = await ShelfFormSet.create({ ...management(2, 1), "form-0-label": "", "form-0-size": "x", "form-1-label": "", "form-1-size": "" });
      expect(await formset.isValid()).toBe(false);
      expect(Object.keys(formset.errors[0] ?? {})).toEqual(["label", "size"]);
      await expect(formset.save()).rejects.toThrow(/didn't validate/);
      expect(await Shelf.objects.count()).toBe(1);
    }));

  it("a missing management form is an error, not a crash", async () => {
    const formset = await db.run(() => ShelfFormSet.create({ "form-0-label": "x" }));
    expect(await formset.isValid()).toBe(false);
    expect(String(formset.nonFormErrors().toHtml())).toContain("ManagementForm data is missing");
  });
});
