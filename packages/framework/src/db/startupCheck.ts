import { existsSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import type { Settings } from "../settings/types.js";
import { openDatabase } from "./backends/database.js";
import { installedApps, loadMigrations } from "./migrations/loader.js";
import { MIGRATIONS_TABLE } from "./migrations/recorder.js";
import { databaseSettings, type DatabaseSettings } from "./settings.js";
import { errorMessage } from "tsgi/helpers";

function describeDatabase(config: DatabaseSettings): string {
  return config.ENGINE === "sqlite" ? `sqlite ${config.NAME}` : `postgresql ${config.HOST ?? "localhost"}:${config.PORT ?? 5432}/${config.NAME}`;
}

/**
 * What a starting application should say about its database, in one line each (Django's
 * runserver check): the database is missing or unreachable; in DEBUG, migrations are not applied.
 * Only projects with a `migrations/` folder in an installed app are checked, and nothing is created.
 *
 * @example
 * for (const line of await startupDatabaseCheck(settings)) process.stderr.write(`${line}\n`);
 */
export async function startupDatabaseCheck(settings: Settings): Promise<string[]> {
  const apps = installedApps(settings);
  if (!apps.some((app) => existsSync(join(app.path, "migrations")))) return [];
  let config: DatabaseSettings;
  try {
    config = databaseSettings(settings, "default");
  } catch (error) {
    return [`Database "default": ${errorMessage(error)}`];
  }
  // An in-memory database is private to its connection: a check from another one would see nothing.
  if (config.ENGINE === "sqlite" && config.NAME === ":memory:") return [];
  if (config.ENGINE === "sqlite" && !existsSync(config.NAME)) {
    return [`The SQLite database ${config.NAME} does not exist yet: run 'manage migrate' to create it.`];
  }
  const db = openDatabase("startup-check", config);
  try {
    const graph = await loadMigrations(apps);
    const exists =
      db.vendor === "sqlite"
        ? (await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${MIGRATIONS_TABLE}`.execute(db.kysely)).rows[0]?.n === 1
        : (await sql<{ t: string | null }>`select to_regclass(${MIGRATIONS_TABLE})::text as t`.execute(db.kysely)).rows[0]?.t !== null;
    const applied = new Set<string>();
    if (exists) {
      const rows = await db.kysely.selectFrom(MIGRATIONS_TABLE).select(["app", "name"]).execute();
      for (const row of rows) applied.add(`${String(row.app)}.${String(row.name)}`);
    }
    const pending = graph.plan().filter((m) => !applied.has(`${m.app}.${m.name}`));
    if (pending.length === 0 || !settings.DEBUG) return [];
    const labels = [...new Set(pending.map((m) => m.app))].join(", ");
    return [`You have ${pending.length} unapplied migration(s). Your project may not work properly until you apply the migrations for app(s): ${labels}. Run 'manage migrate' to apply them.`];
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return [`Database "default" (${describeDatabase(config)}) is unreachable: ${message}`];
  } finally {
    await db.close();
  }
}
