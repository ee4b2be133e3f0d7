import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import pg from "pg";
import type { Settings } from "../settings/types.js";
import { connections } from "./connections.js";
import { FieldError, MigrationError } from "./errors.js";
import { applyMigrations } from "./migrations/executor.js";
import { loadMigrationProject } from "./migrations/project.js";
import { setAttr } from "./model/attributes.js";
import { apps } from "./model/registry.js";
import { databaseSettings, type DatabaseSettings } from "./settings.js";
import { atomic } from "./transaction.js";
import { errorMessage } from "tsgi/helpers";

/** One object of a fixture, in Django's `dumpdata` format. */
export interface FixtureObject {
  model: string;
  pk?: number | string;
  fields: Record<string, unknown>;
}

/** Thrown inside the test's transaction so that it rolls back; never escapes {@link TestDatabase.run}. */
class RollbackSignal extends Error {}

/**
 * A test database for a run (Django's test runner + `TestCase`): `setup()` points `using` at a
 * fresh database (SQLite in memory or `TEST.NAME`; PostgreSQL `test_<NAME>` on the configured
 * server, recreated) and applies the project's migrations; `run(fn)` runs one test in a transaction
 * that is rolled back afterwards, so tests do not see each other's rows; `loadFixture()` loads JSON
 * fixtures; `teardown()` drops the PostgreSQL database and restores the connection.
 *
 * @example
 * const db = new TestDatabase(settings);
 * beforeAll(() => db.setup());
 * afterAll(() => db.teardown());
 * test("votes", () => db.run(async () => { await db.loadFixture("polls/fixtures/questions.json"); ... }));
 */
export class TestDatabase {
  #test: DatabaseSettings | undefined;
  #admin: DatabaseSettings | undefined;

  constructor(
    readonly settings: Settings,
    readonly using = "default",
  ) {}

  /** The test database's settings (after `setup()`). */
  get databaseSettings(): DatabaseSettings | undefined {
    return this.#test;
  }

  async setup(): Promise<void> {
    const configured = databaseSettings(this.settings, this.using);
    if (configured.ENGINE === "sqlite") {
      this.#test = { ...configured, NAME: configured.TEST?.NAME ?? ":memory:" };
    } else {
      const name = configured.TEST?.NAME ?? `test_${configured.NAME}`;
      this.#admin = { ...configured, NAME: "postgres" };
      await this.#adminQuery(`drop database if exists "${name.replace(/"/g, '""')}"`);
      await this.#adminQuery(`create database "${name.replace(/"/g, '""')}"`);
      this.#test = { ...configured, NAME: name };
    }
    const { graph } = await loadMigrationProject(this.settings);
    await connections.override(this.using, this.#test);
    await applyMigrations(graph, { using: this.using });
  }

  /**
   * Runs one test in a transaction rolled back afterwards; the test's error, if any, is rethrown.
   *
   * @example
   * test("index lists questions", () => db.run(async () => { ... }));
   */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      await atomic(
        async () => {
          result = await fn();
          throw new RollbackSignal("rollback");
        },
        { using: this.using },
      );
    } catch (error) {
      if (!(error instanceof RollbackSignal)) throw error;
    }
    return result as T;
  }

  /**
   * Loads objects from a JSON fixture file (or the parsed array): `[{ "model": "polls.Question",
   * "pk": 1, "fields": { "questionText": "...", "pubDate": "2026-01-01T00:00:00Z" } }]`.
   * Foreign keys are given by id (`"question": 1`). Returns how many objects were loaded.
   *
   * @example
   * await db.loadFixture("polls/fixtures/questions.json");
   */
  async loadFixture(source: string | readonly FixtureObject[]): Promise<number> {
    const objects = typeof source === "string" ? (JSON.parse(await readFile(source, "utf8")) as unknown) : source;
    if (!Array.isArray(objects)) throw new FieldError(`A fixture is a JSON array of { model, pk, fields } objects${typeof source === "string" ? ` (${source})` : ""}.`);
    await atomic(
      async () => {
        for (const [index, entry] of (objects as FixtureObject[]).entries()) {
          if (typeof entry?.model !== "string" || typeof entry.fields !== "object") throw new FieldError(`Fixture object ${index} needs "model" ("app.Model") and "fields".`);
          const model = apps.getModel(entry.model);
          const values: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(entry.fields)) {
            const field = model.meta.getField(name);
            if (!field.concrete) continue;
            values[field.attname] = field.kind === "datetime" && typeof value === "string" ? new Date(value) : value;
          }
          const instance = model.build(values);
          if (entry.pk !== undefined) setAttr(instance, model.meta.pk.attname, entry.pk);
          instance._state.db = this.using;
          await instance.save({ forceInsert: true });
          for (const m2m of model.meta.manyToMany) {
            const linked = entry.fields[m2m.name];
            if (Array.isArray(linked)) await instance.m2m(m2m.name).add(...(linked as Array<number | string>));
          }
        }
      },
      { using: this.using },
    );
    await this.#resetSequences();
    return (objects as unknown[]).length;
  }

  /** PostgreSQL identity columns do not move when a fixture gives explicit ids: move them past the ids. */
  async #resetSequences(): Promise<void> {
    const db = connections.get(this.using);
    if (db.vendor !== "postgresql") return;
    for (const model of apps.all()) {
      if (model.meta.pk.kind !== "auto") continue;
      const table = model.meta.table;
      const column = model.meta.pk.column;
      await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false) where to_regclass(${table}) is not null`
        .execute(db.kysely)
        .catch(() => undefined);
    }
  }

  async teardown(): Promise<void> {
    await connections.restore(this.using);
    if (this.#admin !== undefined && this.#test !== undefined) {
      await this.#adminQuery(`drop database if exists "${this.#test.NAME.replace(/"/g, '""')}"`).catch((error: unknown) => {
        throw new MigrationError(`Could not drop the test database ${this.#test?.NAME}: ${errorMessage(error)}`);
      });
    }
  }

  async #adminQuery(statement: string): Promise<void> {
    const admin = this.#admin as DatabaseSettings;
    const client = new pg.Client({
      database: admin.NAME,
      ...(admin.USER !== undefined && { user: admin.USER }),
      ...(admin.PASSWORD !== undefined && { password: admin.PASSWORD }),
      ...(admin.HOST !== undefined && { host: admin.HOST }),
      ...(admin.PORT !== undefined && { port: Number(admin.PORT) }),
    });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }
}
