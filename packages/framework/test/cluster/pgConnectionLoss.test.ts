/**
 * What a PostgreSQL restart does to a worker's pool, made deterministic: a pooled connection that is
 * checked out (a request between acquiring it and its query) when its server process is terminated.
 * The worker must not crash (pg emits 'error' on that client, which had no listener: every instance
 * behind nginx died at once in the cluster's restart test), and the query then run on it must be an
 * error the handler answers with 503, not 500.
 */
import pg from "pg";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, runCompiled, type Database } from "../../src/db/index.js";
import { OperationalError } from "../../src/db/errors.js";
import { retryAfterFor } from "../../src/handler/unavailable.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";

const skip = postgresUnavailable();
let server: PostgresServer;
let database: Database;
let admin: pg.Client;

beforeAll(async () => {
  if (skip !== undefined) return;
  server = await startPostgres();
  const settings = await server.createDatabase("loss");
  database = openDatabase("default", settings);
  admin = new pg.Client({ database: settings.NAME, host: settings.HOST, port: Number(settings.PORT), ...(settings.USER !== undefined && { user: settings.USER }) });
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await database?.close();
  await server?.stop();
}, 60_000);

describe.skipIf(skip !== undefined)("a checked-out PostgreSQL connection whose server process goes away", () => {
  it("does not crash the process; its next query is an OperationalError answered 503 with Retry-After; the pool recovers", async () => {
    const error = await database.kysely.connection().execute(async (connection) => {
      const { rows } = await runCompiled<{ pid: number }>(connection, sql`select pg_backend_pid() as pid`.compile(connection));
      const pid = rows[0]?.pid;
      // What a fast shutdown does to every backend; the client's socket closes while it is checked out.
      await admin.query("select pg_terminate_backend($1)", [pid]);
      for (let i = 0; i < 200; i++) {
        const gone = await admin.query("select 1 from pg_stat_activity where pid = $1", [pid]);
        if (gone.rowCount === 0) break;
        await new Promise((done) => setTimeout(done, 25));
      }
      // Let the client read the server's goodbye (57P01) and its socket's close: the 'error' event.
      await new Promise((done) => setTimeout(done, 200));
      return runCompiled(connection, sql`select 1`.compile(connection)).then(
        () => undefined,
        (failure: unknown) => failure,
      );
    });
    expect(error).toBeInstanceOf(OperationalError);
    expect(retryAfterFor(error), String(error)).toBe(5);
    const { rows } = await runCompiled<{ answer: number }>(database.kysely, sql`select 42 as answer`.compile(database.kysely));
    expect(rows).toEqual([{ answer: 42 }]);
  }, 60_000);
});
