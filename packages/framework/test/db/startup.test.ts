import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Client, HttpResponse, defineSettings, getTsgiApplication, path } from "../../src/index.js";
import { openDatabase, runCompiled } from "../../src/db/backends/database.js";
import { OperationalError } from "../../src/db/errors.js";
import { startupDatabaseCheck } from "../../src/db/startupCheck.js";
import { sql } from "kysely";
import { useDatabase } from "./backends.js";
import { ALL_MODELS, Author } from "./fixtures/models.js";

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function projectWithMigration(): string {
  const root = mkdtempSync(join(tmpdir(), "tsgi-startup-"));
  roots.push(root);
  mkdirSync(join(root, "notes/migrations"), { recursive: true });
  writeFileSync(
    join(root, "notes/migrations/0001_initial.ts"),
    `export const migration = { dependencies: [], operations: [{ type: "CreateModel", name: "Note", table: "notes_note", fields: { id: { type: "auto", column: "id" } } }] };\n`,
  );
  return root;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 1));
    });
  });
}

describe("start-up database check", () => {
  test("a missing SQLite file is one line saying to migrate, and is not created", async () => {
    const root = projectWithMigration();
    const settings = defineSettings({ SECRET_KEY: "k", DEBUG: true, BASE_DIR: root, INSTALLED_APPS: ["notes"] });
    expect(await startupDatabaseCheck(settings)).toEqual([`The SQLite database ${join(root, "db.sqlite3")} does not exist yet: run 'manage migrate' to create it.`]);
  });

  test("unapplied migrations are a warning in DEBUG only", async () => {
    const root = projectWithMigration();
    writeFileSync(join(root, "db.sqlite3"), "");
    const debug = defineSettings({ SECRET_KEY: "k", DEBUG: true, BASE_DIR: root, INSTALLED_APPS: ["notes"] });
    expect(await startupDatabaseCheck(debug)).toEqual([
      "You have 1 unapplied migration(s). Your project may not work properly until you apply the migrations for app(s): notes. Run 'manage migrate' to apply them.",
    ]);
    expect(await startupDatabaseCheck({ ...debug, DEBUG: false })).toEqual([]);
  });

  test("an unreachable PostgreSQL server is one line", async () => {
    const root = projectWithMigration();
    const port = await closedPort();
    const settings = defineSettings({ SECRET_KEY: "k", BASE_DIR: root, INSTALLED_APPS: ["notes"], DATABASES: { default: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: port } } });
    const lines = await startupDatabaseCheck(settings);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Database "default" \\(postgresql 127.0.0.1:${port}/site\\) is unreachable: .*ECONNREFUSED`));
  });

  test("an in-memory SQLite database is not checked (another connection would see an empty one)", async () => {
    const root = projectWithMigration();
    const settings = defineSettings({ SECRET_KEY: "k", DEBUG: true, BASE_DIR: root, INSTALLED_APPS: ["notes"], DATABASES: { default: { ENGINE: "sqlite", NAME: ":memory:" } } });
    expect(await startupDatabaseCheck(settings)).toEqual([]);
  });

  test("a SQLite file in a folder that does not exist is an OperationalError naming the folder and the fix, not a TypeError", async () => {
    const root = projectWithMigration();
    const db = openDatabase("default", { ENGINE: "sqlite", NAME: join(root, "missing", "db.sqlite3") });
    try {
      const error = await runCompiled(db.kysely, sql`select 1`.compile(db.kysely)).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(OperationalError);
      expect((error as Error).message).toBe(
        `cannot open the SQLite database ${join(root, "missing", "db.sqlite3")}: the folder ${join(root, "missing")} does not exist (create it, or point DATABASES.default.NAME elsewhere)`,
      );
    } finally {
      await db.close();
    }
  });

  test("projects without migrations are not checked (nothing is opened)", async () => {
    expect(await startupDatabaseCheck(defineSettings({ SECRET_KEY: "k", DEBUG: true, INSTALLED_APPS: [] }))).toEqual([]);
  });
});

describe("an IntegrityError a view lets escape", () => {
  useDatabase("sqlite", ALL_MODELS, "debug");
  const duplicate = async () => {
    await Author.objects.create({ name: "Twin" });
    await Author.objects.create({ name: "Twin" });
    return new HttpResponse("unreachable");
  };

  test("is a 500 whose DEBUG page shows the SQL and the constraint", async () => {
    const app = getTsgiApplication({ SECRET_KEY: "k", DEBUG: true, ALLOWED_HOSTS: ["testserver"], urlpatterns: [path("dup/", duplicate)] });
    const response = await new Client(app, { raiseRequestException: false }).get("/dup/");
    expect(response.status).toBe(500);
    const text = response.text();
    expect(text).toContain("IntegrityError");
    expect(text).toContain("Database error");
    expect(text).toContain("Constraint: library_author.name");
    expect(text).toMatch(/SQL: insert into "library_author"/);
  });

  test("is a plain 500 without DEBUG", async () => {
    const app = getTsgiApplication({ SECRET_KEY: "k", ALLOWED_HOSTS: ["testserver"], urlpatterns: [path("dup/", duplicate)] });
    const response = await new Client(app, { raiseRequestException: false }).get("/dup/");
    expect(response.status).toBe(500);
    expect(response.text()).not.toContain("insert into");
  });
});
