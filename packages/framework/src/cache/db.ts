import { sql } from "kysely";
import { ImproperlyConfigured } from "../exceptions.js";
import { connections } from "../db/connections.js";
import { executorFor } from "../db/transaction.js";
import { BaseCache, CacheKeyMissing, type CacheSettings } from "./backend.js";

interface Row {
  cache_key: string;
  value: string;
  /** ms since the epoch; null = never expires. */
  expires: number | null;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The database cache (Django's `DatabaseCache`): one row per key in the table named by
 * LOCATION (create it with `manage createcachetable`), on the database `OPTIONS.DATABASE`
 * ("default"), inside the request's transaction when there is one. Shared by every worker
 * and machine using that database. Past `OPTIONS.MAX_ENTRIES` (300) rows, expired rows
 * then 1/`CULL_FREQUENCY` (3) of the rest (first keys in order) are deleted, as Django does.
 *
 * @example
 * CACHES: { default: { BACKEND: "db", LOCATION: "tsgi_cache" } }
 */
export class DatabaseCache extends BaseCache {
  readonly table: string;
  readonly database: string;
  readonly #maxEntries: number;
  readonly #cullFrequency: number;

  constructor(settings: CacheSettings) {
    super(settings);
    if (typeof settings.LOCATION !== "string" || !TABLE_NAME.test(settings.LOCATION)) {
      throw new ImproperlyConfigured(`The "db" cache needs LOCATION: the table's name, such as "tsgi_cache" (letters, digits, _), got ${JSON.stringify(settings.LOCATION)}.`);
    }
    this.table = settings.LOCATION;
    const options = settings.OPTIONS ?? {};
    this.database = typeof options.DATABASE === "string" ? options.DATABASE : "default";
    this.#maxEntries = typeof options.MAX_ENTRIES === "number" && options.MAX_ENTRIES > 0 ? options.MAX_ENTRIES : 300;
    this.#cullFrequency = typeof options.CULL_FREQUENCY === "number" && options.CULL_FREQUENCY >= 0 ? options.CULL_FREQUENCY : 3;
  }

  get #db() {
    return executorFor(this.database);
  }

  /**
   * Creates the table and its expiry index when missing (what `createcachetable` runs).
   *
   * @example
   * await new DatabaseCache({ LOCATION: "tsgi_cache" }).createTable();
   */
  async createTable(): Promise<boolean> {
    const db = connections.get(this.database).kysely;
    const existing = await db.introspection.getTables();
    if (existing.some((table) => table.name === this.table)) return false;
    await db.schema
      .createTable(this.table)
      .addColumn("cache_key", "varchar(255)", (column) => column.primaryKey())
      .addColumn("value", "text", (column) => column.notNull())
      .addColumn("expires", "bigint")
      .execute();
    await db.schema.createIndex(`${this.table}_expires`).on(this.table).column("expires").execute();
    return true;
  }

  async #live(fullKey: string): Promise<Row | undefined> {
    const row = (await this.#db.selectFrom(this.table).selectAll().where("cache_key", "=", fullKey).executeTakeFirst()) as Row | undefined;
    if (row === undefined) return undefined;
    if (row.expires !== null && Number(row.expires) <= Date.now()) return undefined;
    return row;
  }

  protected async rawGet(fullKey: string): Promise<string | undefined> {
    return (await this.#live(fullKey))?.value;
  }

  protected async rawSet(fullKey: string, value: string, seconds: number | null, onlyIfMissing: boolean): Promise<boolean> {
    await this.#cull();
    const expires = seconds === null ? null : Math.round(Date.now() + seconds * 1000);
    const now = Date.now();
    const result = await this.#db
      .insertInto(this.table)
      .values({ cache_key: fullKey, value, expires })
      .onConflict((conflict) => {
        const update = conflict.column("cache_key").doUpdateSet({ value, expires });
        // add(): an existing row is only replaced when it has expired, in the same statement (no race).
        return onlyIfMissing ? update.where(sql.ref(`${this.table}.expires`), "<=", now) : update;
      })
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  protected async rawDelete(fullKeys: string[]): Promise<number> {
    const now = Date.now();
    const result = await this.#db
      .deleteFrom(this.table)
      .where("cache_key", "in", fullKeys)
      .where((eb) => eb.or([eb("expires", "is", null), eb("expires", ">", now)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  protected async rawTouch(fullKey: string, seconds: number | null): Promise<boolean> {
    const now = Date.now();
    const expires = seconds === null ? null : Math.round(now + seconds * 1000);
    const result = await this.#db
      .updateTable(this.table)
      .set({ expires })
      .where("cache_key", "=", fullKey)
      .where((eb) => eb.or([eb("expires", "is", null), eb("expires", ">", now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  protected async rawIncr(fullKey: string, delta: number): Promise<number> {
    const row = await this.#live(fullKey);
    if (row === undefined) throw new CacheKeyMissing(fullKey);
    const current: unknown = JSON.parse(row.value);
    if (typeof current !== "number" || !Number.isInteger(current)) throw new TypeError(`incr(): the value at "${fullKey}" is not an integer.`);
    // Compare-and-set on the old value: a concurrent incr makes this one retry instead of being lost.
    const result = await this.#db
      .updateTable(this.table)
      .set({ value: JSON.stringify(current + delta) })
      .where("cache_key", "=", fullKey)
      .where("value", "=", row.value)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return this.rawIncr(fullKey, delta);
    return current + delta;
  }

  /** Deletes every row of the table (as Django's). */
  async clear(): Promise<void> {
    await this.#db.deleteFrom(this.table).execute();
  }

  /** Django's `_cull`: runs before a write once the table holds MAX_ENTRIES rows. */
  async #cull(): Promise<void> {
    const count = async () => Number(((await this.#db.selectFrom(this.table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirst()) as { n: unknown }).n);
    if ((await count()) < this.#maxEntries) return;
    await this.#db.deleteFrom(this.table).where("expires", "<=", Date.now()).execute();
    const remaining = await count();
    if (remaining < this.#maxEntries) return;
    if (this.#cullFrequency === 0) {
      await this.clear();
      return;
    }
    const cut = (await this.#db
      .selectFrom(this.table)
      .select("cache_key")
      .orderBy("cache_key")
      .offset(Math.floor(remaining / this.#cullFrequency))
      .limit(1)
      .executeTakeFirst()) as { cache_key: string } | undefined;
    if (cut !== undefined) await this.#db.deleteFrom(this.table).where("cache_key", "<", cut.cache_key).execute();
  }
}
