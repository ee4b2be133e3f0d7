import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { connections, defineSettings, executeFromCommandLine, sql, type DatabaseSettings } from "../../src/index.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";
import { BACKENDS, skipBackend, type Backend } from "./backends.js";
import { migrationProject } from "./migrationProject.js";

const HEADER = `import { sql, runCodeNoop, type Migration } from "@tsgi/framework";\nvoid sql; void runCodeNoop;\n`;

/** shop.0001: three models, one with a composite index, one with a foreign key. */
const SHOP_0001 = `${HEADER}
export const migration: Migration = {
  dependencies: [],
  operations: [
    { type: "CreateModel", name: "Category", table: "shop_category", fields: {
      id: { type: "auto", column: "id" },
      title: { type: "char", column: "title", maxLength: 50, unique: true },
    } },
    { type: "CreateModel", name: "Product", table: "shop_product", fields: {
      id: { type: "auto", column: "id" },
      name: { type: "char", column: "name", maxLength: 100 },
      price: { type: "integer", column: "price", default: 0 },
      category: { type: "foreignKey", column: "category_id", null: true, to: "shop.Category", onDelete: "CASCADE" },
    }, indexes: [{ name: "shop_product_name_price", fields: ["name", "price"] }] },
    { type: "CreateModel", name: "Legacy", table: "shop_legacy", fields: { id: { type: "auto", column: "id" }, note: { type: "text", column: "note", null: true } } },
  ],
};
`;

/** shop.0002: one of each operation, every one reversible. */
const SHOP_0002 = `${HEADER}
export const migration: Migration = {
  dependencies: [["shop", "0001_initial"]],
  operations: [
    { type: "AddField", model: "Product", name: "sku", field: { type: "char", column: "sku", maxLength: 40, default: "none", dbIndex: true } },
    { type: "AlterField", model: "Product", name: "name", field: { type: "char", column: "name", maxLength: 150 } },
    { type: "RemoveIndex", model: "Product", name: "shop_product_name_price" },
    { type: "RemoveField", model: "Product", name: "price" },
    { type: "AddIndex", model: "Product", index: { name: "shop_product_sku_name", fields: ["sku", "name"] } },
    { type: "DeleteModel", name: "Legacy" },
    { type: "RunSQL", sql: "update shop_product set sku = 'SKU-' || name", reverseSql: "update shop_product set name = name || ' (restored)'" },
    { type: "RunCode", description: "titles in capitals",
      code: async ({ db }) => { await db.updateTable("shop_category").set({ title: sql\`upper(title)\` }).execute(); },
      reverseCode: async ({ db }) => { await db.updateTable("shop_category").set({ title: sql\`lower(title)\` }).execute(); } },
    { type: "RunSQL", sql: "update shop_product set sku = sku", reverseSql: "" },
    { type: "RunCode", code: async () => undefined, reverseCode: runCodeNoop },
  ],
};
`;

/** blog.0001 depends on shop.0001 (a foreign key to shop.Product). */
const BLOG_0001 = `${HEADER}
export const migration: Migration = {
  dependencies: [["shop", "0001_initial"]],
  operations: [
    { type: "CreateModel", name: "Post", table: "blog_post", fields: {
      id: { type: "auto", column: "id" },
      title: { type: "char", column: "title", maxLength: 100 },
      product: { type: "foreignKey", column: "product_id", null: true, to: "shop.Product", onDelete: "CASCADE" },
    } },
  ],
};
`;

/** A data fix with no reverse: the shop cannot go back past it. */
const SHOP_0003_IRREVERSIBLE = `${HEADER}
export const migration: Migration = {
  dependencies: [["shop", "0002_changes"]],
  operations: [{ type: "AddField", model: "Product", name: "note", field: { type: "text", column: "note", null: true } }, { type: "RunSQL", sql: "update shop_product set note = 'fixed'" }],
};
`;

/** Reversible, applied after the irreversible one: the check must stop before unapplying it. */
const SHOP_0004_COLOUR = `${HEADER}
export const migration: Migration = {
  dependencies: [["shop", "0003_irreversible"]],
  operations: [{ type: "AddField", model: "Product", name: "colour", field: { type: "char", column: "colour", maxLength: 10, null: true } }],
};
`;

/** Its reverse fails half-way (after a statement that changed rows). */
const SHOP_0003_FRAGILE = `${HEADER}
export const migration: Migration = {
  dependencies: [["shop", "0002_changes"]],
  operations: [
    { type: "AddField", model: "Product", name: "weight", field: { type: "integer", column: "weight", null: true } },
    { type: "RunSQL", sql: "update shop_product set weight = 7", reverseSql: ["update shop_product set weight = 1", "this is not sql"] },
  ],
};
`;

/** makemigrations' 0001 for a Category, an Item (indexed, unique, a foreign key, one to itself, a named index and a unique pair) and a Review pointing at Item. */
const ITEM_0001 = `import type { Migration } from "@tsgi/framework";
export const migration: Migration = {
  dependencies: [],
  operations: [
    { type: "CreateModel", name: "Category", table: "shop_category", fields: {
      "id": {"type":"auto","column":"id"},
      "title": {"type":"char","column":"title","maxLength":50},
    } },
    { type: "CreateModel", name: "Item", table: "shop_item", fields: {
      "id": {"type":"auto","column":"id"},
      "name": {"type":"char","column":"name","dbIndex":true,"maxLength":100},
      "code": {"type":"char","column":"code","unique":true,"maxLength":20},
      "category": {"type":"foreignKey","column":"category_id","null":true,"to":"shop.Category","onDelete":"CASCADE"},
      "parent": {"type":"foreignKey","column":"parent_id","null":true,"to":"shop.Item","onDelete":"SET_NULL"},
    }, indexes: [{"name":"shop_item_name_code_idx","fields":["name","code"]},{"name":"shop_item_name_category_id_uniq","fields":["name","category"],"unique":true}] },
    { type: "CreateModel", name: "Review", table: "shop_review", fields: {
      "id": {"type":"auto","column":"id"},
      "item": {"type":"foreignKey","column":"item_id","to":"shop.Item","onDelete":"CASCADE"},
      "stars": {"type":"integer","column":"stars"},
    } },
  ],
};
`;

/** A comparable picture of the schema: tables, columns (sorted: SQLite rebuilds append), indexes and constraints. */
async function schemaOf(backend: Backend, database: DatabaseSettings): Promise<Record<string, unknown>> {
  await connections.configure({ DATABASES: { default: database } });
  try {
    const db = connections.get("default").kysely;
    const rows = async (statement: ReturnType<typeof sql>) => (await statement.execute(db)).rows as Array<Record<string, unknown>>;
    const picture: Record<string, unknown> = {};
    if (backend === "sqlite") {
      const tables = (await rows(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)).map((row) => String(row.name));
      for (const table of tables) {
        const columns = await rows(sql`select name, type, "notnull" as nn, pk from pragma_table_info(${table})`);
        const indexes = await rows(sql`select name, "unique" as u from pragma_index_list(${table}) where origin = 'c'`);
        const keys = await rows(sql`select "table" as target, "from" as source, "to" as pk, on_delete from pragma_foreign_key_list(${table})`);
        picture[table] = {
          columns: columns.map((c) => `${String(c.name)} ${String(c.type)}${c.nn ? " not null" : ""}${c.pk ? " pk" : ""}`).sort(),
          indexes: indexes.map((i) => `${String(i.name)}${i.u ? " unique" : ""}`).sort(),
          foreignKeys: keys.map((k) => `${String(k.source)} -> ${String(k.target)}.${String(k.pk)} ${String(k.on_delete)}`).sort(),
        };
      }
      return picture;
    }
    const tables = (await rows(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`)).map((row) => String(row.tablename));
    for (const table of tables) {
      const columns = await rows(sql`select column_name, data_type, character_maximum_length as length, is_nullable from information_schema.columns where table_schema = 'public' and table_name = ${table}`);
      const indexes = await rows(sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = ${table}`);
      const constraints = await rows(sql`select conname, pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_class t on c.conrelid = t.oid where t.relname = ${table}`);
      picture[table] = {
        columns: columns.map((c) => `${String(c.column_name)} ${String(c.data_type)}${c.length ? `(${String(c.length)})` : ""}${c.is_nullable === "NO" ? " not null" : ""}`).sort(),
        indexes: indexes.map((i) => String(i.indexdef)).sort(),
        constraints: constraints.map((c) => `${String(c.conname)} ${String(c.def)}`).sort(),
      };
    }
    return picture;
  } finally {
    await connections.closeAll();
  }
}

describe.each(BACKENDS)("unapplying migrations on %s", (backend) => {
  if (skipBackend(backend)) return test.skip(postgresUnavailable() ?? "");
  const roots: string[] = [];
  let server: PostgresServer | undefined;
  let database: DatabaseSettings;
  let databases = 0;
  let installed = ["shop", "blog"];

  beforeAll(async () => {
    if (backend === "postgresql") server = await startPostgres();
  }, 90_000);
  /** Each test starts from an empty database of its own. */
  beforeEach(async () => {
    installed = ["shop", "blog"];
    databases += 1;
    if (server !== undefined) {
      database = await server.createDatabase(`backwards_${databases}`);
    } else {
      const dir = mkdtempSync(join(tmpdir(), "tsgi-backwards-db-"));
      roots.push(dir);
      database = { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") };
    }
  }, 60_000);
  afterAll(async () => {
    await connections.closeAll();
    await connections.configure({});
    await server?.stop();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }, 60_000);

  async function manage(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const settings = defineSettings({ SECRET_KEY: "k", BASE_DIR: root, INSTALLED_APPS: installed, DATABASES: { default: database } });
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

  const schema = () => schemaOf(backend, database);

  test("migrate app <migration> goes backwards and forwards, zero unapplies dependants first, each operation's reverse restores the schema", async () => {
    const root = migrationProject(
      { "shop/migrations/0001_initial.ts": SHOP_0001, "shop/migrations/0002_changes.ts": SHOP_0002, "blog/migrations/0001_initial.ts": BLOG_0001 },
      roots,
    );
    // The schema without shop.0002, to compare the unapplied state with (blog.0001 needs only shop.0001).
    expect(await manage(root, "migrate", "blog")).toMatchObject({
      code: 0,
      err: "",
      out: "Operations to perform:\n  Apply all migrations: blog\nRunning migrations:\n  Applying shop.0001_initial... OK\n  Applying blog.0001_initial... OK",
    });
    const afterFirst = await schema();
    expect(Object.keys(afterFirst)).toContain("shop_legacy");
    expect((await manage(root, "migrate")).out).toBe("Operations to perform:\n  Apply all migrations: shop, blog\nRunning migrations:\n  Applying shop.0002_changes... OK");
    const afterSecond = await schema();
    expect(afterSecond).not.toEqual(afterFirst);
    await query("insert into shop_category (title) values ('tools')");
    await query("insert into shop_product (name, sku, category_id) values ('hammer', 'x', (select id from shop_category))");
    await query("update shop_product set sku = 'SKU-' || name");
    await query("insert into blog_post (title, product_id) values ('review', (select id from shop_product))");

    // --plan: what would be undone, in the order it would run; nothing changes.
    const plan = await manage(root, "migrate", "shop", "0001", "--plan");
    expect(plan).toMatchObject({ code: 0, err: "" });
    expect(plan.out).toBe(
      [
        "Planned operations:",
        "shop.0002_changes",
        "    Undo Raw code operation",
        "    Undo Raw SQL operation",
        "    Undo Raw code operation -> titles in capitals",
        "    Undo Raw SQL operation -> update shop_product set name = name || ' (restored)'",
        "    Undo Delete model Legacy",
        "    Undo Create index shop_product_sku_name on field(s) sku, name of model product",
        "    Undo Remove field price from product",
        "    Undo Remove index shop_product_name_price from product",
        "    Undo Alter field name on product",
        "    Undo Add field sku to product",
      ].join("\n"),
    );
    expect(await schema()).toEqual(afterSecond);

    // Backwards to 0001 (by prefix): blog.0001 depends on shop.0001 only, so it stays.
    const back = await manage(root, "migrate", "shop", "0001");
    expect(back).toMatchObject({ code: 0, err: "" });
    expect(back.out).toBe("Operations to perform:\n  Target specific migration: 0001_initial, from shop\nRunning migrations:\n  Unapplying shop.0002_changes... OK");
    expect(await schema()).toEqual(afterFirst);
    // Rows kept; the reverse SQL and code ran; the re-added column got its default.
    expect(await query("select name, price from shop_product")).toEqual([{ name: "hammer (restored)", price: 0 }]);
    expect(await query("select title from shop_category")).toEqual([{ title: "tools" }]);
    expect(await query("select title from blog_post")).toEqual([{ title: "review" }]);
    expect((await manage(root, "showmigrations")).out).toBe("shop\n [X] 0001_initial\n [ ] 0002_changes\nblog\n [X] 0001_initial");
    expect(await manage(root, "migrate", "shop", "0001")).toMatchObject({ code: 0, out: expect.stringContaining("No migrations to apply.") });

    // Forwards again to a named migration.
    const forwards = await manage(root, "migrate", "shop", "0002_changes");
    expect(forwards.err).toBe("");
    expect(forwards.out).toBe("Operations to perform:\n  Target specific migration: 0002_changes, from shop\nRunning migrations:\n  Applying shop.0002_changes... OK");
    expect(await schema()).toEqual(afterSecond);
    expect(await query("select name, sku from shop_product")).toEqual([{ name: "hammer (restored)", sku: "SKU-hammer (restored)" }]);

    // zero: blog.0001 depends on shop.0001, so it is unapplied before it.
    const zeroPlan = await manage(root, "migrate", "shop", "zero", "--plan");
    const planned = zeroPlan.out.split("\n").filter((line) => !line.startsWith(" "));
    expect(planned).toEqual(["Planned operations:", "shop.0002_changes", "blog.0001_initial", "shop.0001_initial"]);
    const zero = await manage(root, "migrate", "shop", "zero");
    expect(zero).toMatchObject({ code: 0, err: "" });
    expect(zero.out).toBe(
      "Operations to perform:\n  Unapply all migrations: shop\nRunning migrations:\n  Unapplying shop.0002_changes... OK\n  Unapplying blog.0001_initial... OK\n  Unapplying shop.0001_initial... OK",
    );
    expect(Object.keys(await schema())).toEqual(["tsgi_migrations"]);
    expect((await manage(root, "showmigrations")).out).toBe("shop\n [ ] 0001_initial\n [ ] 0002_changes\nblog\n [ ] 0001_initial");
    expect((await manage(root, "showmigrations", "--plan")).out).toBe("[ ]  shop.0001_initial\n[ ]  blog.0001_initial\n[ ]  shop.0002_changes");
    expect((await manage(root, "migrate", "--plan")).out).toContain("Planned operations:\nshop.0001_initial\n    Create model Category\n    Create model Product\n    Create model Legacy\nshop.0002_changes\n    Add field sku to product\n");
    expect(await manage(root, "migrate", "--check")).toMatchObject({ code: 1, out: "" });

    // Migrating blog forwards applies only what it depends on.
    expect((await manage(root, "migrate", "blog")).out).toBe("Operations to perform:\n  Apply all migrations: blog\nRunning migrations:\n  Applying shop.0001_initial... OK\n  Applying blog.0001_initial... OK");
    expect((await manage(root, "migrate")).out).toContain("  Applying shop.0002_changes... OK");
    expect(await manage(root, "migrate", "--check")).toMatchObject({ code: 0, out: "" });
    expect(await schema()).toEqual(afterSecond);
  }, 120_000);

  test("an irreversible operation stops the unapply before anything changes", async () => {
    const root = migrationProject(
      {
        "shop/migrations/0001_initial.ts": SHOP_0001,
        "shop/migrations/0002_changes.ts": SHOP_0002,
        "shop/migrations/0003_irreversible.ts": SHOP_0003_IRREVERSIBLE,
        "shop/migrations/0004_colour.ts": SHOP_0004_COLOUR,
        "blog/migrations/0001_initial.ts": BLOG_0001,
      },
      roots,
    );
    expect((await manage(root, "migrate", "shop", "0002")).code).toBe(0);
    await query("insert into shop_product (name, sku) values ('saw', 'S1')");
    expect((await manage(root, "migrate")).out).toContain("  Applying shop.0004_colour... OK");
    const before = await schema();

    const plan = await manage(root, "migrate", "shop", "0002", "--plan");
    expect(plan.out).toContain("shop.0003_irreversible\n    Undo Raw SQL operation -> IRREVERSIBLE\n    Undo Add field note to product");
    const refused = await manage(root, "migrate", "shop", "0002");
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'CommandError: Operation 2 (RunSQL) of migration shop.0003_irreversible is not reversible: give it reverseSql (the SQL that undoes it; reverseSql: "" when nothing needs undoing). Nothing was unapplied.',
    );
    // 0004 comes first backwards and is reversible, yet it was not unapplied: the check ran before.
    expect(await schema()).toEqual(before);
    expect((await manage(root, "showmigrations", "shop")).out).toBe("shop\n [X] 0001_initial\n [X] 0002_changes\n [X] 0003_irreversible\n [X] 0004_colour");
    expect(await manage(root, "sqlmigrate", "shop", "0003", "--backwards")).toMatchObject({ code: 1, err: expect.stringContaining("CommandError: Operation 2 (RunSQL) of migration shop.0003_irreversible is not reversible") });
    // --fake only forgets (and re-records) the migrations: no reverse runs, so irreversibility does not matter.
    const faked = await manage(root, "migrate", "shop", "0002", "--fake");
    expect(faked).toMatchObject({ code: 0, err: "" });
    expect(faked.out).toContain("Running migrations:\n  Unapplying shop.0004_colour... FAKED\n  Unapplying shop.0003_irreversible... FAKED");
    expect(await schema()).toEqual(before);
    expect((await manage(root, "showmigrations", "shop")).out).toBe("shop\n [X] 0001_initial\n [X] 0002_changes\n [ ] 0003_irreversible\n [ ] 0004_colour");
    expect((await manage(root, "migrate", "--fake")).out).toContain("  Applying shop.0003_irreversible... FAKED\n  Applying shop.0004_colour... FAKED");
    expect(await schema()).toEqual(before);
    // Back to 0003 is allowed: only 0004 is undone.
    expect((await manage(root, "migrate", "shop", "0003")).out).toContain("  Unapplying shop.0004_colour... OK");
    expect(await query("select note from shop_product")).toEqual([{ note: "fixed" }]);

  }, 120_000);

  test("a reverse that fails half-way leaves its migration applied and the database as it was", async () => {
    const root = migrationProject(
      { "shop/migrations/0001_initial.ts": SHOP_0001, "shop/migrations/0002_changes.ts": SHOP_0002, "shop/migrations/0003_fragile.ts": SHOP_0003_FRAGILE, "blog/migrations/0001_initial.ts": BLOG_0001 },
      roots,
    );
    expect((await manage(root, "migrate")).out).toContain("  Applying shop.0003_fragile... OK");
    await query("insert into shop_product (name, sku) values ('saw', 'S1')");
    await query("update shop_product set weight = 7");
    const applied = await schema();
    const failed = await manage(root, "migrate", "shop", "0002");
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("CommandError: Unapplying migration shop.0003_fragile failed at operation 2 (RunSQL, undone by RunSQL):");
    expect(failed.err).toContain("Statement: this is not sql");
    // The first reverse statement (weight = 1) was rolled back with the rest.
    expect(await query("select name, weight from shop_product")).toEqual([{ name: "saw", weight: 7 }]);
    expect(await schema()).toEqual(applied);
    expect((await manage(root, "showmigrations", "shop")).out).toBe("shop\n [X] 0001_initial\n [X] 0002_changes\n [X] 0003_fragile");
  }, 120_000);

  test("sqlmigrate --backwards prints the reverse SQL; bad targets are CommandErrors", async () => {
    const root = migrationProject({ "shop/migrations/0001_initial.ts": SHOP_0001, "shop/migrations/0002_changes.ts": SHOP_0002, "blog/migrations/0001_initial.ts": BLOG_0001 }, roots);
    const forwards = await manage(root, "sqlmigrate", "shop", "0002");
    expect(forwards.out).toMatch(/^BEGIN;\n-- AddField Product\.sku\n/);
    const backwards = await manage(root, "sqlmigrate", "shop", "0002", "--backwards");
    expect(backwards).toMatchObject({ code: 0, err: "" });
    const lines = backwards.out.split("\n");
    expect(lines.filter((line) => line.startsWith("-- "))).toEqual([
      "-- Undo RunCode",
      "-- (code, no SQL)",
      "-- Undo RunSQL",
      "-- Undo RunCode: titles in capitals",
      "-- (code, no SQL)",
      "-- Undo RunSQL",
      "-- Undo DeleteModel Legacy",
      "-- Undo AddIndex Product.shop_product_sku_name",
      "-- Undo RemoveField Product.price",
      "-- Undo RemoveIndex Product.shop_product_name_price",
      "-- Undo AlterField Product.name",
      "-- Undo AddField Product.sku",
    ]);
    expect(lines[0]).toBe("BEGIN;");
    expect(lines.at(-1)).toBe("COMMIT;");
    expect(backwards.out).toContain("update shop_product set name = name || ' (restored)';");
    expect(backwards.out).toContain('create table "shop_legacy"');
    expect(backwards.out).toContain('drop index "shop_product_sku_name";');
    expect(backwards.out).toContain('create index "shop_product_name_price" on "shop_product" ("name", "price");');
    if (backend === "sqlite") {
      expect(backwards.out).toContain('create table "new__shop_product"');
    } else {
      expect(backwards.out).toContain('alter table "shop_product" add column "price" integer default 0 not null;');
      expect(backwards.out).toContain('alter table "shop_product" alter column "name" type varchar(100) using "name"::varchar(100);');
      expect(backwards.out).toContain('alter table "shop_product" drop column "sku";');
    }
    // Nothing was run: sqlmigrate only prints.
    expect((await manage(root, "showmigrations", "shop")).out).toBe("shop\n [ ] 0001_initial\n [ ] 0002_changes");

    const ambiguous = migrationProject({ ...{ "shop/migrations/0001_initial.ts": SHOP_0001 }, "shop/migrations/0001_initial_extra.ts": `${HEADER}export const migration: Migration = { dependencies: [], operations: [] };\n`, "shop/migrations/0002_a.ts": `${HEADER}export const migration: Migration = { dependencies: [], operations: [] };\n`, "shop/migrations/0002_b.ts": `${HEADER}export const migration: Migration = { dependencies: [], operations: [] };\n` }, roots);
    expect(await manage(ambiguous, "migrate", "shop", "0002")).toMatchObject({ code: 1, err: "CommandError: More than one migration matches '0002' in app 'shop'. Please be more specific." });
    expect(await manage(ambiguous, "sqlmigrate", "shop", "0002")).toMatchObject({ code: 1, err: "CommandError: More than one migration matches '0002' in app 'shop'. Please be more specific." });
    // An exact name wins over the longer names it prefixes.
    expect((await manage(ambiguous, "migrate", "shop", "0001_initial", "--plan")).out).toBe("Planned operations:\nshop.0001_initial\n    Create model Category\n    Create model Product\n    Create model Legacy");
    expect(await manage(root, "migrate", "shop", "0009")).toMatchObject({ code: 1, err: "CommandError: Cannot find a migration matching '0009' from app 'shop'." });
    expect(await manage(root, "migrate", "shop", "0001", "extra")).toMatchObject({ code: 1, err: "CommandError: migrate takes an app label and a migration name at most, e.g. migrate polls 0001 (or migrate polls zero)." });
    expect(await manage(root, "migrate", "nope", "zero")).toMatchObject({ code: 1, err: "CommandError: App 'nope' does not have migrations (is it in INSTALLED_APPS?)." });
    expect(await manage(root, "migrate", "--fake-initial")).toMatchObject({ code: 1, err: "CommandError: Unknown option --fake-initial; expected --database DATABASE, --plan, --check, --fake." });
    expect(await manage(root, "migrate", "--database")).toMatchObject({ code: 1, err: "CommandError: --database needs an alias from DATABASES, e.g. --database default" });
    expect(await manage(root, "migrate", "--database", "replica")).toMatchObject({ code: 1, err: 'CommandError: The database "replica" is not in DATABASES (configured: default).' });
    expect(await manage(root, "showmigrations", "nope")).toMatchObject({ code: 1, err: "CommandError: No installed app with label 'nope'." });
    expect(await manage(root, "sqlmigrate", "shop", "0002", "--backward")).toMatchObject({ code: 1, err: "CommandError: Unknown option --backward; expected --database DATABASE, --backwards." });
  }, 120_000);

  test("RenameField renames the column, its index and constraints, matches the renamed models, and unapplies", async () => {
    installed = ["shop"];
    const MODELS = `
import { defineModel, models } from "@tsgi/framework";
export const Category = defineModel("shop", "Category", { fields: { title: models.CharField({ maxLength: 50 }) } });
export const Product = defineModel("shop", "Product", {
  fields: {
    name: models.CharField({ maxLength: 100, dbIndex: true }),
    sku: models.CharField({ maxLength: 20, unique: true }),
    category: models.ForeignKey(Category, { onDelete: "CASCADE", null: true }),
    price: models.IntegerField({ dbColumn: "amount" }),
  },
});
`;
    const renamed = MODELS.replace("name: models", "label: models").replace("sku: models", "code: models").replace("category: models", "kind: models").replace("price: models", "cost: models");
    const v1 = migrationProject({ "shop/models.ts": MODELS }, roots);
    expect((await manage(v1, "makemigrations")).code).toBe(0);
    expect((await manage(v1, "migrate")).out).toContain("Applying shop.0001_initial... OK");
    await query("insert into shop_category (title) values ('tools')");
    await query("insert into shop_product (name, sku, category_id, amount) values ('saw', 'S1', (select id from shop_category), 12)");
    const before = await schema();

    const v2 = migrationProject({ "shop/models.ts": renamed, "shop/migrations/0001_initial.ts": readFileSync(join(v1, "shop/migrations/0001_initial.ts"), "utf8") }, roots);
    writeFileSync(
      join(v2, "shop/migrations/0002_renames.ts"),
      `${HEADER}
export const migration: Migration = {
  dependencies: [["shop", "0001_initial"]],
  operations: [
    { type: "RenameField", model: "Product", oldName: "name", newName: "label" },
    { type: "RenameField", model: "Product", oldName: "sku", newName: "code" },
    { type: "RenameField", model: "Product", oldName: "category", newName: "kind" },
    { type: "RenameField", model: "Product", oldName: "price", newName: "cost" },
  ],
};
`,
    );
    // The migration state after the renames is what the renamed models declare.
    expect(await manage(v2, "makemigrations", "--check")).toMatchObject({ code: 0, out: "No changes detected" });
    expect((await manage(v2, "migrate", "--plan")).out).toContain("    Rename field name on product to label\n    Rename field sku on product to code");
    expect((await manage(v2, "migrate")).out).toContain("Applying shop.0002_renames... OK");
    expect(await query("select label, code, kind_id is not null as linked, amount from shop_product")).toEqual([{ label: "saw", code: "S1", linked: backend === "sqlite" ? 1 : true, amount: 12 }]);
    const after = JSON.stringify(await schema());
    expect(after).toContain(backend === "sqlite" ? "shop_product_label_idx" : 'CREATE INDEX shop_product_label_idx ON public.shop_product USING btree (label)');
    expect(after).toContain(backend === "sqlite" ? "shop_product_kind_id_idx" : "shop_product_kind_id_fkey FOREIGN KEY (kind_id) REFERENCES shop_category(id) ON DELETE CASCADE");
    if (backend === "postgresql") expect(after).toContain("shop_product_code_key UNIQUE (code)");
    expect(after).not.toMatch(/shop_product_(name|sku|category_id)_/);

    const back = await manage(v2, "migrate", "shop", "0001");
    expect(back.out).toContain("Unapplying shop.0002_renames... OK");
    expect(await schema()).toEqual(before);
    expect(await query("select name, sku, amount from shop_product")).toEqual([{ name: "saw", sku: "S1", amount: 12 }]);
    const sqlText = (await manage(v2, "sqlmigrate", "shop", "0002", "--backwards")).out;
    expect(sqlText).toContain("-- Undo RenameField Product.name -> label");
    expect(sqlText).toContain('alter table "shop_product" rename column "label" to "name";');
  }, 120_000);

  test("RenameModel renames the table, its indexes and constraints, follows the relations pointing at it, and unapplies", async () => {
    installed = ["shop"];
    // The models after the rename; ITEM_0001 is what makemigrations wrote for them before it (Item for Product).
    const MODELS = `
import { defineModel, models } from "@tsgi/framework";
export const Category = defineModel("shop", "Category", { fields: { title: models.CharField({ maxLength: 50 }) } });
export const Product = defineModel("shop", "Product", {
  fields: {
    name: models.CharField({ maxLength: 100, dbIndex: true }),
    code: models.CharField({ maxLength: 20, unique: true }),
    category: models.ForeignKey(Category, { onDelete: "CASCADE", null: true }),
    parent: models.ForeignKey("self", { onDelete: "SET_NULL", null: true }),
  },
  meta: { indexes: [{ fields: ["name", "code"] }], uniqueTogether: [["name", "category"]] },
});
export const Review = defineModel("shop", "Review", { fields: { item: models.ForeignKey(Product, { onDelete: "CASCADE" }), stars: models.IntegerField() } });
`;
    // No models.ts here: importing the old models would leave shop.Item in the process's model registry.
    const v1 = migrationProject({ "shop/migrations/0001_initial.ts": ITEM_0001 }, roots);
    const first = await manage(v1, "migrate");
    expect(first).toMatchObject({ err: "" });
    expect(first.out).toContain("Applying shop.0001_initial... OK");
    await query("insert into shop_category (title) values ('tools')");
    await query("insert into shop_item (name, code, category_id) values ('saw', 'S1', (select id from shop_category))");
    await query("insert into shop_review (item_id, stars) values ((select id from shop_item), 5)");
    const before = await schema();

    const v2 = migrationProject({ "shop/models.ts": MODELS, "shop/migrations/0001_initial.ts": ITEM_0001 }, roots);
    writeFileSync(
      join(v2, "shop/migrations/0002_rename.ts"),
      `${HEADER}
export const migration: Migration = { dependencies: [["shop", "0001_initial"]], operations: [{ type: "RenameModel", oldName: "Item", newName: "Product" }] };
`,
    );
    // The state after the rename is what the renamed models declare (table, index names, relations).
    expect(await manage(v2, "makemigrations", "--check")).toMatchObject({ code: 0, out: "No changes detected" });
    expect((await manage(v2, "migrate", "--plan")).out).toContain("shop.0002_rename\n    Rename model Item to Product");
    expect((await manage(v2, "migrate")).out).toContain("Applying shop.0002_rename... OK");
    const after = await schema();
    expect(Object.keys(after)).toEqual(expect.arrayContaining(["shop_product", "shop_review"]));
    const text = JSON.stringify(after);
    expect(text).not.toContain("shop_item");
    for (const name of ["shop_product_name_idx", "shop_product_name_code_idx", "shop_product_name_category_id_uniq", "shop_product_category_id_idx", "shop_product_parent_id_idx"]) expect(text).toContain(name);
    if (backend === "postgresql") for (const name of ["shop_product_pkey", "shop_product_code_key", "shop_product_category_id_fkey", "shop_product_parent_id_fkey"]) expect(text).toContain(name);
    expect(text).toContain(backend === "sqlite" ? "item_id -> shop_product.id CASCADE" : "REFERENCES shop_product(id) ON DELETE CASCADE");
    expect(await query("select p.name, r.stars from shop_review r join shop_product p on p.id = r.item_id")).toEqual([{ name: "saw", stars: 5 }]);
    // The renamed table keeps working with the constraints the next operations expect by name.
    await expect(query("insert into shop_product (name, code) values ('other', 'S1')")).rejects.toThrow();

    expect((await manage(v2, "migrate", "shop", "0001")).out).toContain("Unapplying shop.0002_rename... OK");
    expect(await schema()).toEqual(before);
    expect(await query("select i.name, r.stars from shop_review r join shop_item i on i.id = r.item_id")).toEqual([{ name: "saw", stars: 5 }]);
  }, 120_000);
});
