import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { defineSettings, executeFromCommandLine } from "../../src/index.js";
import { clientCommand } from "../../src/management/commands/dbshell.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-dbshell-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = defineSettings({ SECRET_KEY: "k", DATABASES: { default: { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") } } });

async function manage(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await executeFromCommandLine(args, { settings, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out, err };
}

// .ci/run installs sqlite3 (Debian's package); skipped only where it is absent.
const hasSqlite3 = (process.env.PATH ?? "").split(":").some((folder) => folder !== "" && existsSync(join(folder, "sqlite3")));
test.skipIf(!hasSqlite3)("dbshell runs sqlite3 on the database file, passing arguments after --", async () => {
  expect(await manage("dbshell", "--", "select 6 * 7;")).toEqual({ code: 0, out: ["42"], err: [] });
});

test("a missing client program is a CommandError saying what to install", async () => {
  const path = process.env.PATH;
  process.env.PATH = dir; // no sqlite3 here
  try {
    const result = await manage("dbshell", "--", "select 1;");
    expect(result.code).toBe(1);
    expect(result.err).toEqual(["CommandError: You appear not to have the 'sqlite3' program installed or on your path (Debian: apt-get install sqlite3)."]);
  } finally {
    process.env.PATH = path;
  }
});

test("psql gets the connection through PG* variables, never the password on the command line", () => {
  expect(clientCommand({ ENGINE: "postgresql", NAME: "site", USER: "app", PASSWORD: "secret", HOST: "db", PORT: 5433 })).toEqual({
    program: "psql",
    args: [],
    env: { PGDATABASE: "site", PGUSER: "app", PGPASSWORD: "secret", PGHOST: "db", PGPORT: "5433" },
  });
});

test("an unknown alias is a CommandError", async () => {
  expect(await manage("dbshell", "--database", "replica")).toMatchObject({ code: 1, err: ["CommandError: The database \"replica\" is not in DATABASES (configured: default)."] });
});
