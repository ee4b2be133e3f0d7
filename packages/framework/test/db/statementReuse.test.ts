import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../src/db/backends/database.js";

// SQLite statements are kept compiled by SQL text. A kept statement must give what a freshly
// compiled one gives after the schema changes, and after a stream used it (to the end or stopped early).
describe("SQLite statements kept by SQL text", () => {
  const folder = mkdtempSync(join(tmpdir(), "tsgi-statements-"));
  const db = openDatabase("default", { ENGINE: "sqlite", NAME: join(folder, "db.sqlite3") });
  afterAll(async () => {
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  test("see columns added, tables recreated and rows changed after they were first run", async () => {
    const k = db.kysely;
    await sql`create table t (a integer)`.execute(k);
    await sql`insert into t (a) values (1)`.execute(k);
    const select = () => sql<Record<string, unknown>>`select * from t order by a`.execute(k).then((r) => r.rows);
    expect(await select()).toEqual([{ a: 1 }]);
    await sql`alter table t add column b text default 'x'`.execute(k);
    expect(await select()).toEqual([{ a: 1, b: "x" }]);
    await sql`drop table t`.execute(k);
    await expect(select()).rejects.toThrow(/no such table/);
    await sql`create table t (a integer, c integer)`.execute(k);
    await sql`insert into t (a) values (1)`.execute(k);
    await sql`insert into t (a, c) values (2, 3)`.execute(k);
    await sql`insert into t (a) values (1)`.execute(k);
    expect(await select()).toEqual([{ a: 1, c: null }, { a: 1, c: null }, { a: 2, c: 3 }]);
  });

  test("the statement a stream used answers the same query afterwards, also after the stream stopped early", async () => {
    const k = db.kysely;
    await sql`create table s (n integer)`.execute(k);
    for (let n = 0; n < 5; n++) await sql`insert into s (n) values (${n})`.execute(k);
    const query = k.selectFrom("s").select("n").orderBy("n");
    const streamed: unknown[] = [];
    for await (const row of query.stream()) streamed.push(row.n);
    expect(streamed).toEqual([0, 1, 2, 3, 4]);
    expect((await query.execute()).map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    for await (const row of query.stream()) if (row.n === 1) break;
    expect((await query.execute()).map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    const [first] = await sql<{ n: number }>`select n from s order by n limit 1`.execute(k).then((r) => r.rows);
    expect(first?.n).toBe(0);
  });
});
