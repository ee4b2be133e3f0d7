import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type QueryResult, type SqliteDatabase } from "kysely";
import pg from "pg";
import { dirname, resolve } from "node:path";
import { OperationalError } from "../errors.js";
import { connectTimeoutMillis, type DatabaseSettings } from "../settings.js";
import { translateError } from "./translateError.js";

/** Table name to row; the model layer builds its queries dynamically, so rows are loose records. */
export type AnyDB = Record<string, Record<string, unknown>>;

/** The database families the model layer speaks. */
export type Vendor = "sqlite" | "postgresql";

/** Anything that runs compiled queries: the database itself or a connection in a transaction. */
export type Executor = Kysely<AnyDB>;

/** An open database: its Kysely instance (connection pool or the SQLite file) and how to close it. */
export interface Database {
  readonly alias: string;
  readonly vendor: Vendor;
  readonly settings: DatabaseSettings;
  readonly kysely: Kysely<AnyDB>;
  close(): Promise<void>;
}

const PG_INT8 = 20;
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as kysely's SQLite driver sees it, keeping compiled statements: the driver calls
 * `prepare` for every query and better-sqlite3 compiles the SQL each time (tens of µs, as much
 * as running a small SELECT). Kept by SQL text (bounded, oldest dropped); one busy iterating a
 * stream is not handed out again. SQLite recompiles a kept statement itself after a schema change.
 */
function reusingStatements(handle: BetterSqlite3.Database): SqliteDatabase {
  const kept = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => handle.close(),
    prepare: (source: string) => {
      const statement = kept.get(source);
      if (statement !== undefined && !statement.busy) return statement;
      const compiled = handle.prepare(source);
      if (statement === undefined) {
        if (kept.size >= STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value as string);
        kept.set(source, compiled);
      }
      return compiled;
    },
  };
}
const PG_DATE = 1082;

/**
 * Opens `settings` (lazily: the first query connects), with the pragmas and type parsers the model layer relies on:
 * SQLite in WAL mode with a busy timeout and foreign keys on; PostgreSQL `bigint` as numbers and `date` as `YYYY-MM-DD` strings.
 *
 * @example
 * const db = openDatabase("default", { ENGINE: "sqlite", NAME: "/srv/site/db.sqlite3" });
 */
export function openDatabase(alias: string, settings: DatabaseSettings): Database {
  if (settings.ENGINE === "sqlite") {
    let handle: BetterSqlite3.Database | undefined;
    const kysely = new Kysely<AnyDB>({
      dialect: new SqliteDialect({
        database: async () => {
          try {
            handle = new BetterSqlite3(settings.NAME, { timeout: settings.OPTIONS?.timeout ?? 5000 });
          } catch (error) {
            // better-sqlite3 says this with a bare TypeError: name the file and the fix instead.
            if (error instanceof TypeError && /directory does not exist/.test(error.message)) {
              throw new OperationalError(
                `cannot open the SQLite database ${resolve(settings.NAME)}: the folder ${dirname(resolve(settings.NAME))} does not exist (create it, or point DATABASES.${alias}.NAME elsewhere)`,
                undefined,
                { cause: error },
              );
            }
            throw translateError(error);
          }
          if (settings.NAME !== ":memory:") handle.pragma("journal_mode = WAL");
          handle.pragma("foreign_keys = ON");
          return reusingStatements(handle);
        },
      }),
    });
    return { alias, vendor: "sqlite", settings, kysely, close: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    database: settings.NAME,
    ...(settings.USER !== undefined && { user: settings.USER }),
    ...(settings.PASSWORD !== undefined && { password: settings.PASSWORD }),
    ...(settings.HOST !== undefined && { host: settings.HOST }),
    ...(settings.PORT !== undefined && { port: Number(settings.PORT) }),
    max: settings.OPTIONS?.max ?? 10,
    // Without it a black-holed server costs each request the OS's TCP connect timeout (minutes);
    // with it the connect fails with "Connection terminated due to connection timeout" (503).
    // pg-pool also bounds a wait for a pooled client by it ("timeout exceeded when trying to connect").
    connectionTimeoutMillis: connectTimeoutMillis(settings.OPTIONS?.connect_timeout) ?? 0,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === PG_INT8) return (value: string) => Number(value);
        if (oid === PG_DATE) return (value: string) => value;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  // Nor a checked-out one: pg-pool listens for errors on idle clients only, and a client whose socket
  // dies while it is checked out (PostgreSQL restarted: EPIPE, 57P01) emits 'error' with no listener,
  // which killed the worker (every instance at once behind nginx: "no live upstreams", a flood of 502s).
  // Its query still rejects (-> OperationalError -> 503), and the pool drops it on release.
  pool.on("connect", (client) => client.on("error", () => undefined));
  const kysely = new Kysely<AnyDB>({ dialect: new PostgresDialect({ pool }) });
  return { alias, vendor: "postgresql", settings, kysely, close: () => kysely.destroy() };
}

/** Receives the SQL of each query the model layer runs (see {@link captureQueries}). */
type QueryListener = (sql: string) => void;
const listeners = new Set<QueryListener>();

/**
 * Runs `fn` and returns the SQL of every query the model layer ran meanwhile, for tests that
 * check a page makes no N+1 queries (Django's `assertNumQueries` / `CaptureQueriesContext`).
 * It sees every query of the process, so run it where nothing else queries at the same time.
 *
 * @example
 * const queries = await captureQueries(() => Choice.objects.selectRelated("question").toArray());
 * expect(queries).toHaveLength(1);
 */
export async function captureQueries(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const listener: QueryListener = (statement) => seen.push(statement);
  listeners.add(listener);
  try {
    await fn();
  } finally {
    listeners.delete(listener);
  }
  return seen;
}

/**
 * Runs a compiled query, translating driver errors into `IntegrityError`, `OperationalError`...
 *
 * @example
 * const { rows } = await runCompiled(executor, query.compile());
 */
export async function runCompiled<R = Record<string, unknown>>(executor: Executor, compiled: CompiledQuery<unknown>): Promise<QueryResult<R>> {
  for (const listener of listeners) listener(compiled.sql);
  try {
    return (await executor.executeQuery(compiled)) as QueryResult<R>;
  } catch (error) {
    throw translateError(error, compiled.sql);
  }
}
