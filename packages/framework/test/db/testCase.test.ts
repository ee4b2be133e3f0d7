import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TestDatabase, defineSettings, models, type DatabaseSettings } from "../../src/index.js";
import { planMigrations, writeMigrations, installedApps, importModels, loadMigrations } from "../../src/db/index.js";
import { startPostgres, type PostgresServer } from "../helpers/postgres.js";
import { BACKENDS, skipBackend } from "./backends.js";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MODELS = `
import { defineModel, models } from "@tsgi/framework";
export const Team = defineModel("league", "Team", { fields: { name: models.CharField({ maxLength: 40, unique: true }) } });
export const Player = defineModel("league", "Player", {
  fields: { name: models.CharField({ maxLength: 40 }), team: models.ForeignKey(Team, { onDelete: "CASCADE", relatedName: "players" }), joined: models.DateTimeField({ null: true }) },
});
`;

describe.each(BACKENDS)("TestDatabase on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  let root: string;
  let server: PostgresServer | undefined;
  let db: TestDatabase;
  let configured: DatabaseSettings;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "tsgi-testdb-"));
    mkdirSync(join(root, "node_modules", "@tsgi"), { recursive: true });
    symlinkSync(packageDir, join(root, "node_modules", "@tsgi", "framework"), "dir");
    writeFileSync(join(root, "package.json"), JSON.stringify({ type: "module" }));
    mkdirSync(join(root, "league"));
    writeFileSync(join(root, "league/models.ts"), MODELS);
    writeFileSync(join(root, "fixture.json"), JSON.stringify([
      { model: "league.Team", pk: 7, fields: { name: "Lions" } },
      { model: "league.Player", pk: 1, fields: { name: "Ann", team: 7, joined: "2026-03-01T10:00:00Z" } },
      { model: "league.Player", pk: 2, fields: { name: "Bob", team: 7 } },
    ]));
    if (backend === "postgresql") {
      server = await startPostgres();
      configured = await server.createDatabase("league");
    } else {
      configured = { ENGINE: "sqlite", NAME: join(root, "db.sqlite3") };
    }
    const settings = defineSettings({ SECRET_KEY: "k", BASE_DIR: root, INSTALLED_APPS: ["league"], DATABASES: { default: configured } });
    const apps = installedApps(settings);
    await importModels(apps);
    await writeMigrations(planMigrations(apps, await loadMigrations(apps)));
    db = new TestDatabase(settings);
    await db.setup();
  }, 90_000);
  afterAll(async () => {
    await db?.teardown();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  const Team = () => models.apps.getModel("league.Team");
  const Player = () => models.apps.getModel("league.Player");

  test("the test database is separate and migrated", () => {
    expect(db.databaseSettings?.NAME).toBe(backend === "sqlite" ? ":memory:" : "test_league");
  });

  test("a test's rows are rolled back after it", async () => {
    const inside = await db.run(async () => {
      await Team().objects.create({ name: "Tigers" });
      return Team().objects.count();
    });
    expect(inside).toBe(1);
    expect(await Team().objects.count()).toBe(0);
  });

  test("a failing test still rolls back, and its error is rethrown", async () => {
    await expect(db.run(async () => {
      await Team().objects.create({ name: "Bears" });
      throw new Error("assertion failed");
    })).rejects.toThrow("assertion failed");
    expect(await Team().objects.count()).toBe(0);
  });

  test("fixtures load from JSON with their ids; new rows get ids after them", async () => {
    await db.run(async () => {
      expect(await db.loadFixture(join(root, "fixture.json"))).toBe(3);
      const lions = await Team().objects.get({ pk: 7 });
      expect(lions.toJSON()).toEqual({ id: 7, name: "Lions" });
      expect((await Player().objects.filter({ team__name: "Lions" }).orderBy("name").toArray()).map((p) => p.toJSON().name)).toEqual(["Ann", "Bob"]);
      const ann = await Player().objects.get({ pk: 1 });
      expect((ann.toJSON().joined as Date).toISOString()).toBe("2026-03-01T10:00:00.000Z");
      const next = await Team().objects.create({ name: "Owls" });
      expect(next.pk).not.toBe(7);
    });
    expect(await Player().objects.count()).toBe(0);
    await expect(db.loadFixture([{ model: "league.Nope", fields: {} }])).rejects.toThrow(/No model league.Nope/);
    await expect(db.loadFixture({} as never)).rejects.toThrow(/JSON array/);
  });
});
