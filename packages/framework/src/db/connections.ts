import { sql } from "kysely";
import { errorMessage } from "tsgi/helpers";
import { currentContext } from "../handler/requestContext.js";
import type { Settings } from "../settings/types.js";
import { openDatabase, type Database } from "./backends/database.js";
import { DatabaseStartupError, DatabaseUnreachableError } from "./errors.js";
import { databaseSettings, type DatabaseProjectSettings, type DatabaseSettings } from "./settings.js";
import { isServerUnreachable } from "./unreachable.js";

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

  /**
   * Opens each database `settings` configures (every `DATABASES` alias, and `default` when
   * `DATABASE_URL` is set) and makes one round trip on each, all at once, so a wrong
   * configuration fails at start-up rather than on the first request: the framework's lifespan
   * start-up calls it. Rejects with {@link DatabaseStartupError} naming the alias, the server and
   * the fix (the first alias in order that failed); the databases that failed are closed again.
   *
   * A server that cannot be reached right now (refused, reset, no answer within `timeoutMs`,
   * shutting down or starting up: {@link isServerUnreachable}) rejects with its subclass
   * {@link DatabaseUnreachableError}, unless `failWhenUnreachable` spares the alias: then the
   * error is passed to `onUnreachable` and returned, the alias is left closed, and its next use
   * connects again (Django's lazy connection). Misconfiguration (authentication failed, no such
   * database, a SQLite folder that does not exist) always rejects.
   *
   * @example
   * await connections.connect(settings); // any failure rejects
   * const down = await connections.connect(settings, { failWhenUnreachable: false }); // [DatabaseUnreachableError, ...]
   */
  async connect(settings: DatabaseProjectSettings, options: ConnectOptions = {}): Promise<DatabaseUnreachableError[]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const failWhenUnreachable = options.failWhenUnreachable ?? true;
    const spared = (alias: string) => failWhenUnreachable === false || (Array.isArray(failWhenUnreachable) && !failWhenUnreachable.includes(alias));
    // All at once, so a network that drops packets costs one timeout, not one per alias (within the servers' start-up timeout).
    const outcomes = await Promise.allSettled((options.aliases ?? configuredAliases(settings)).map((alias) => this.#connectOne(settings, alias, timeoutMs)));
    const deferred: DatabaseUnreachableError[] = [];
    let failure: unknown;
    let failed = false;
    for (const outcome of outcomes) {
      const error = outcome.status === "rejected" ? outcome.reason : outcome.value;
      if (error === undefined) continue;
      if (error instanceof DatabaseUnreachableError && spared(error.alias)) {
        deferred.push(error);
        options.onUnreachable?.(error);
      } else if (!failed) {
        failed = true;
        failure = error;
      }
    }
    if (failed) throw failure;
    return deferred;
  }

  /** One round trip on `alias`: undefined when it answered, else why not (the database is closed again). */
  async #connectOne(settings: DatabaseProjectSettings, alias: string, timeoutMs: number): Promise<DatabaseStartupError | undefined> {
    let db = this.#open.get(alias);
    if (db === undefined) {
      db = openDatabase(alias, this.#overrides.get(alias) ?? databaseSettings(settings, alias));
      this.#open.set(alias, db);
    }
    try {
      await bounded(sql`select 1`.execute(db.kysely), timeoutMs);
      return undefined;
    } catch (error) {
      if (this.#open.get(alias) === db) this.#open.delete(alias);
      // Not awaited after a timeout: ending a pool waits for the connection attempt that hangs.
      const closing = db.close().catch(() => undefined);
      if (!(error instanceof ConnectTimeout)) await closing;
      const where = `DATABASES.${alias} (${describe(db.settings)})`;
      // A SQLite file is never "down": whatever fails to open it is the configuration's fault.
      if (db.vendor === "postgresql" && (error instanceof ConnectTimeout || isServerUnreachable(error))) {
        return new DatabaseUnreachableError(`${where} is unreachable: ${firstLine(error)}; check that the server is running and that HOST and PORT are right`, alias, { cause: error });
      }
      return new DatabaseStartupError(`${where} cannot be opened: ${firstLine(error)}; ${fixFor(db.settings)}`, undefined, { cause: error });
    }
  }

  /** The aliases open now (what {@link ConnectionHandler.closeAll} would close). */
  openAliases(): string[] {
    return [...this.#open.keys()];
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

/** Options of {@link ConnectionHandler.connect}. */
export interface ConnectOptions {
  /** The aliases to open (default: every configured one). */
  aliases?: readonly string[];
  /** How long each database may take to answer, in ms (10 000): below the servers' 30 s start-up timeout, so the error names the database. */
  timeoutMs?: number;
  /**
   * Whether a server that cannot be reached right now rejects (`true`, the default), is only
   * reported in the returned list (`false`), or rejects for the aliases listed only.
   */
  failWhenUnreachable?: boolean | readonly string[];
  /** Called at once for each alias spared by `failWhenUnreachable` (so it is reported even when a later alias rejects). */
  onUnreachable?: (error: DatabaseUnreachableError) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

class ConnectTimeout extends Error {}

/** `work`, or a {@link ConnectTimeout} once `ms` passed (a server that accepts and never answers). */
async function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The aliases a project configures, in the order {@link ConnectionHandler.connect} opens them:
 * every `DATABASES` key, and `default` first when `DATABASE_URL` is set.
 *
 * @example
 * configuredAliases({ DATABASES: { default: db, replica } }); // ["default", "replica"]
 */
export function configuredAliases(settings: DatabaseProjectSettings, env: NodeJS.ProcessEnv = process.env): string[] {
  const aliases = Object.keys(settings.DATABASES ?? {});
  if (env.DATABASE_URL && !aliases.includes("default")) aliases.unshift("default");
  return aliases;
}

function describe(config: DatabaseSettings): string {
  return config.ENGINE === "sqlite" ? `sqlite ${config.NAME}` : `postgresql ${config.USER ?? ""}${config.USER ? "@" : ""}${config.HOST ?? "localhost"}:${config.PORT ?? 5432}/${config.NAME}`;
}

/** The first line of what went wrong (a socket error's message may be empty: then its code). */
function firstLine(error: unknown): string {
  const line = errorMessage(error).split("\n")[0]?.trim();
  if (line) return line;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : String(error);
}

function fixFor(config: DatabaseSettings): string {
  return config.ENGINE === "sqlite"
    ? "check NAME (its folder must exist and be writable)"
    : "check HOST, PORT, NAME, USER and PASSWORD, and that the server is running and accepts this user";
}

/** The process's databases. */
export const connections = new ConnectionHandler();
