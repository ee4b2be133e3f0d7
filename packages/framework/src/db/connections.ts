import { currentContext } from "../handler/requestContext.js";
import type { Settings } from "../settings/types.js";
import { openDatabase, type Database } from "./backends/database.js";
import { databaseSettings, type DatabaseProjectSettings, type DatabaseSettings } from "./settings.js";

/**
 * The open databases by alias (Django's `django.db.connections`). Each is opened on first
 * use from the configured settings: those given to {@link ConnectionHandler.configure}
 * (management commands, tests), else the running application's.
 */
export class ConnectionHandler {
  #settings: DatabaseProjectSettings | undefined;
  readonly #open = new Map<string, Database>();
  readonly #overrides = new Map<string, DatabaseSettings>();

  /**
   * Uses `settings` from now on; databases already open with another configuration are closed.
   *
   * @example
   * await connections.configure(settings);
   */
  async configure(settings: DatabaseProjectSettings): Promise<void> {
    this.#settings = settings;
    for (const [alias, db] of [...this.#open]) {
      if (JSON.stringify(db.settings) !== JSON.stringify(this.#resolve(alias))) {
        this.#open.delete(alias);
        await db.close();
      }
    }
  }

  /**
   * Points `alias` at another database (a test database) until {@link ConnectionHandler.restore}.
   *
   * @example
   * await connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
   */
  async override(alias: string, settings: DatabaseSettings): Promise<void> {
    await this.close(alias);
    this.#overrides.set(alias, settings);
  }

  /** Undoes {@link ConnectionHandler.override}. */
  async restore(alias: string): Promise<void> {
    await this.close(alias);
    this.#overrides.delete(alias);
  }

  /**
   * The database `alias`, opened on first use.
   *
   * @example
   * const { kysely, vendor } = connections.get("default");
   */
  get(alias = "default"): Database {
    let db = this.#open.get(alias);
    if (db === undefined) {
      db = openDatabase(alias, this.#resolve(alias));
      this.#open.set(alias, db);
    }
    return db;
  }

  /** The settings `alias` would open with. */
  settingsOf(alias = "default"): DatabaseSettings {
    return this.#resolve(alias);
  }

  /** Closes one database (the next use opens it again). */
  async close(alias: string): Promise<void> {
    const db = this.#open.get(alias);
    this.#open.delete(alias);
    await db?.close();
  }

  /** Closes every open database (end of a command, a test file, a worker). */
  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(all.map((db) => db.close()));
  }

  #resolve(alias: string): DatabaseSettings {
    const override = this.#overrides.get(alias);
    if (override !== undefined) return override;
    const settings: DatabaseProjectSettings = this.#settings ?? (currentContext()?.settings as Settings | undefined) ?? {};
    return databaseSettings(settings, alias);
  }
}

/** The process's databases. */
export const connections = new ConnectionHandler();
