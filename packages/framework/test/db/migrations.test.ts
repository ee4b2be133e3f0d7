import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connections, defineSettings, executeFromCommandLine, models, sql, type DatabaseSettings } from "../../src/index.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";
import { BACKENDS, skipBackend } from "./backends.js";
import { migrationProject } from "./migrationProject.js";

const project = migrationProject;

const PRODUCT_V1 = `
import { defineModel, models } from "@tsgi/framework";
export const Category = defineModel("shop", "Category", { fields: { title: models.CharField({ maxLength: 50, unique: true }) } });
export const Product = defineModel("shop", "Product", {
  fields: {
    name: models.CharField({ maxLength: 100 }),
    price: models.IntegerField(),
    category: models.ForeignKey(Category, { onDelete: "CASCADE", null: true, relatedName: "products" }),
  },
  meta: { ordering: ["name"] },
});
`;
const PRODUCT_V2 = PRODUCT_V1.replace(
  'price: models.IntegerField(),',
  'price: models.IntegerField(),\n    sku: models.CharField({ maxLength: 20, default: "none", dbIndex: true }),\n    stock: models.IntegerField({ null: true }),',
).replace("maxLength: 100", "maxLength: 150");
const PRODUCT_V3 = PRODUCT_V2.replace("stock: models.IntegerField({ null: true }),", "stock: models.IntegerField({ null: true }),\n    weight: models.IntegerField(),");

describe.each(BACKENDS)("migrations and their commands on %s", (backend) => {
  if (skipBackend(backend)) return test.skip(postgresUnavailable() ?? "");
  const roots: string[] = [];
  let server: PostgresServer | undefined;
  let database: DatabaseSettings;

  beforeAll(async () => {
    if (backend === "postgresql") {
      server = await startPostgres();
      database = await server.createDatabase("migrations");
    } else {
      const dir = mkdtempSync(join(tmpdir(), "tsgi-migrations-db-"));
      roots.push(dir);
      database = { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") };
    }
  }, 90_000);
  afterAll(async () => {
    await connections.closeAll();
    await connections.configure({});
    await server?.stop();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }, 60_000);

  async function manage(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const settings = defineSettings({ SECRET_KEY: "k", BASE_DIR: root, INSTALLED_APPS: ["shop"], DATABASES: { default: database } });
    const code = await executeFromCommandLine(args, { settings, projectDir: root, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  async function query(statement: string): Promise<Array<Record<string, unknown>>> {
    await connections.configure({ DATABASES: { default: database } });
    try {
      return (await sql.raw<Record<string, unknown>>(statement).execute(connections.get("default").kysely)).rows;
    } finally {
      await connections.closeAll();
    }
  }

  test("makemigrations, showmigrations, sqlmigrate, migrate; changes; a failing migration changes nothing; data migrations", async () => {
    // 1. The first migration, written as readable TypeScript.
    const v1 = project({ "shop/models.ts": PRODUCT_V1 }, roots);
    const made = await manage(v1, "makemigrations");
    expect(made).toMatchObject({ code: 0, err: "" });
    expect(made.out).toContain("Migrations for 'shop':");
    expect(made.out).toContain("shop/migrations/0001_initial.ts");
    expect(made.out).toContain("- Create model Category");
    expect(made.out).toContain("- Create model Product");
    const source = readFileSync(join(v1, "shop/migrations/0001_initial.ts"), "utf8");
    expect(source).toContain('import type { Migration } from "@tsgi/framework";');
    expect(source).toContain('type: "CreateModel",\n      name: "Product",\n      table: "shop_product",');
    expect(source).toContain('"category": {"type":"foreignKey","column":"category_id","null":true,"to":"shop.Category","onDelete":"CASCADE"}');
    expect(await manage(v1, "makemigrations")).toMatchObject({ code: 0, out: "No changes detected" });
    expect((await manage(v1, "makemigrations", "--check")).code).toBe(0);

    expect((await manage(v1, "showmigrations")).out).toBe("shop\n [ ] 0001_initial");
    const sqlText = (await manage(v1, "sqlmigrate", "shop", "0001")).out;
    expect(sqlText).toMatch(/^BEGIN;\n-- CreateModel Category\ncreate table "shop_category"/);
    expect(sqlText).toContain(`references "shop_category" ("id") on delete cascade`);
    expect(sqlText).toMatch(/COMMIT;$/);
    expect(await manage(v1, "sqlmigrate", "shop", "0009")).toMatchObject({ code: 1, err: "CommandError: Cannot find a migration matching '0009' from app 'shop'." });

    const migrated = await manage(v1, "migrate");
    expect(migrated).toMatchObject({ code: 0, err: "" });
    expect(migrated.out).toContain("  Applying shop.0001_initial... OK");
    expect((await manage(v1, "migrate")).out).toContain("No migrations to apply.");
    expect((await manage(v1, "showmigrations", "shop")).out).toBe("shop\n [X] 0001_initial");
    await query("insert into shop_category (title) values ('tools')");
    await query("insert into shop_product (name, price, category_id) values ('hammer', 10, (select id from shop_category))");

    // 2. Fields added (one with a default, one nullable) and one altered: 0002, existing rows kept.
    const v2 = project({ "shop/models.ts": PRODUCT_V2 }, roots);
    cpSync(join(v1, "shop/migrations"), join(v2, "shop/migrations"), { recursive: true });
    expect((await manage(v2, "makemigrations", "--check")).code).toBe(1);
    const second = await manage(v2, "makemigrations");
    expect(second.out).toContain("shop/migrations/0002_product_name_product_sku_product_stock.ts");
    expect(second.out).toContain("- Alter field name on product\n    - Add field sku to product\n    - Add field stock to product");
    expect(readdirSync(join(v2, "shop/migrations")).sort()).toEqual(["0001_initial.ts", "0002_product_name_product_sku_product_stock.ts"]);
    expect((await manage(v2, "migrate")).out).toContain("Applying shop.0002_product_name_product_sku_product_stock... OK");
    expect(await query("select name, price, sku, stock from shop_product")).toEqual([{ name: "hammer", price: 10, sku: "none", stock: null }]);
    expect((await query("select count(*) as n from shop_category"))[0]?.n).toBe(1); // the table rebuild did not cascade

    // 3. A field added without null or default cannot be generated: the message says how to fix it.
    const v3 = project({ "shop/models.ts": PRODUCT_V3 }, roots);
    cpSync(join(v2, "shop/migrations"), join(v3, "shop/migrations"), { recursive: true });
    const refused = await manage(v3, "makemigrations");
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^CommandError: shop.Product.weight is added without null: true and without a default.*give the field a default \(a literal, e.g. default: 0\) or null: true/);

    // 4. A hand-written migration that fails half-way leaves the database as it was.
    writeFileSync(
      join(v2, "shop/migrations/0003_broken.ts"),
      `import type { Migration } from "@tsgi/framework";
export const migration: Migration = {
  dependencies: [["shop", "0002_product_name_product_sku_product_stock"]],
  operations: [
    { type: "AddField", model: "Product", name: "colour", field: { type: "char", column: "colour", maxLength: 10, null: true } },
    { type: "RunSQL", sql: "update shop_product set price = 99" },
    { type: "RunSQL", sql: "this is not sql" },
  ],
};
`,
    );
    const failed = await manage(v2, "migrate");
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("CommandError: Migration shop.0003_broken failed at operation 3 (RunSQL):");
    expect(failed.err).toContain("Statement: this is not sql");
    expect(await query("select * from shop_product")).toEqual([{ id: expect.any(Number), name: "hammer", price: 10, sku: "none", stock: null, category_id: expect.any(Number) }]);
    expect((await manage(v2, "showmigrations")).out).toContain(" [ ] 0003_broken");

    // 5. A data migration (RunCode) in the same format, then the app is fully migrated.
    rmSync(join(v2, "shop/migrations/0003_broken.ts"));
    const empty = await manage(v2, "makemigrations", "--empty", "shop", "--name", "restock");
    expect(empty.out).toContain("shop/migrations/0003_restock.ts");
    writeFileSync(
      join(v2, "shop/migrations/0003_restock.ts"),
      `import type { Migration } from "@tsgi/framework";
export const migration: Migration = {
  dependencies: [["shop", "0002_product_name_product_sku_product_stock"]],
  operations: [{ type: "RunCode", description: "stock every product", code: async ({ db }) => { await db.updateTable("shop_product").set({ stock: 5 }).execute(); } }],
};
`,
    );
    expect((await manage(v2, "sqlmigrate", "shop", "0003")).out).toContain("-- RunCode: stock every product (code, no SQL)");
    expect((await manage(v2, "migrate")).out).toContain("Applying shop.0003_restock... OK");
    expect(await query("select stock from shop_product")).toEqual([{ stock: 5 }]);
    expect((await manage(v2, "showmigrations")).out).toBe("shop\n [X] 0001_initial\n [X] 0002_product_name_product_sku_product_stock\n [X] 0003_restock");

    // 6. The models work on the migrated tables (v2's models: v3's replaced them in the registry when imported).
    const { Product } = (await import(join(v2, "shop/models.ts"))) as { Product: ReturnType<typeof models.apps.getModel> };
    models.apps.register(Product);
    await connections.configure({ DATABASES: { default: database } });
    try {
      const hammer = await Product.objects.get({ sku: "none" });
      expect(hammer.toJSON()).toMatchObject({ name: "hammer", price: 10, stock: 5 });
      expect(await Product.objects.filter({ category__title: "tools" }).count()).toBe(1);
    } finally {
      await connections.closeAll();
    }
  }, 120_000);

  test("bad arguments are CommandErrors", async () => {
    const root = project({ "shop/models.ts": PRODUCT_V1 }, roots);
    expect(await manage(root, "makemigrations", "blog")).toMatchObject({ code: 1, err: "CommandError: App 'blog' could not be found. Is it in INSTALLED_APPS?" });
    expect(await manage(root, "makemigrations", "--empty")).toMatchObject({ code: 1, err: "CommandError: --empty needs the app to make it for, e.g. makemigrations --empty polls" });
    expect(await manage(root, "sqlmigrate", "shop")).toMatchObject({ code: 1, err: "CommandError: Usage: sqlmigrate <app> <migration>, e.g. sqlmigrate polls 0001" });
    expect(await manage(root, "migrate", "blog")).toMatchObject({ code: 1, err: "CommandError: App 'blog' does not have migrations (is it in INSTALLED_APPS?)." });
  });
});
