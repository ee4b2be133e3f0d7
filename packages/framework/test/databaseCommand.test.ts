import { afterEach, describe, expect, test } from "vitest";
import { CommandError, DatabaseError, MigrationError, connections, databaseCommand, defineSettings, sql, type DatabaseCommandContext } from "../src/index.js";

const settings = defineSettings({ SECRET_KEY: "k", DATABASES: { default: { ENGINE: "sqlite", NAME: ":memory:" }, other: { ENGINE: "sqlite", NAME: ":memory:" } } });

/** Runs a databaseCommand with `args`, returning what its run() was given. */
async function parse(args: string[], spec: { flags?: string[]; values?: string[] } = {}): Promise<Pick<DatabaseCommandContext, "using" | "positionals" | "flags" | "values">> {
  let seen: DatabaseCommandContext | undefined;
  const command = databaseCommand({ help: "test", ...spec, run: (context) => void (seen = context) });
  await command.run({ args, settings, projectDir: process.cwd(), stdout: () => undefined, stderr: () => undefined });
  if (seen === undefined) throw new Error("run() was not called");
  return { using: seen.using, positionals: seen.positionals, flags: seen.flags, values: seen.values };
}

afterEach(async () => {
  await connections.closeAll();
  await connections.configure({});
});

describe("databaseCommand: the shared --database parsing and error handling of the migration commands", () => {
  test("parses --database, valued options in both spellings, flags and positionals", async () => {
    expect(await parse(["polls", "0001"])).toEqual({ using: "default", positionals: ["polls", "0001"], flags: new Set(), values: new Map() });
    expect(await parse(["--database", "other", "polls", "--plan"], { flags: ["plan"] })).toEqual({
      using: "other",
      positionals: ["polls"],
      flags: new Set(["plan"]),
      values: new Map([["database", "other"]]),
    });
    const named = await parse(["--name=add_slug", "polls", "--database=other", "--", "--not-an-option"], { values: ["name"] });
    expect(named).toMatchObject({ using: "other", positionals: ["polls", "--not-an-option"] });
    expect(named.values.get("name")).toBe("add_slug");
    expect((await parse(["--name", "x"], { values: ["name"] })).values.get("name")).toBe("x");
  });

  test("bad options and unknown aliases are CommandErrors naming the fix", async () => {
    await expect(parse(["--fake"], { flags: ["plan"] })).rejects.toThrow(new CommandError("Unknown option --fake; expected --database DATABASE, --plan."));
    await expect(parse(["--plan=yes"], { flags: ["plan"] })).rejects.toThrow("Unknown option --plan=yes");
    await expect(parse(["--database"])).rejects.toThrow("--database needs an alias from DATABASES, e.g. --database default");
    await expect(parse(["--database", "--plan"], { flags: ["plan"] })).rejects.toThrow("--database needs an alias from DATABASES");
    await expect(parse(["--name"], { values: ["name"] })).rejects.toThrow("--name needs a value, e.g. --name NAME");
    await expect(parse(["--database", "replica"])).rejects.toThrow(new CommandError('The database "replica" is not in DATABASES (configured: default, other).'));
  });

  test("MigrationError and DatabaseError become CommandErrors, others pass through; connections are closed after run()", async () => {
    const failing = (error: Error) =>
      databaseCommand({
        help: "test",
        async run({ using }) {
          await connections.configure(settings);
          await sql`select 1`.execute(connections.get(using).kysely);
          expect(connections.openAliases()).toEqual(["other"]);
          throw error;
        },
      });
    const context = { args: ["--database", "other"], settings, projectDir: process.cwd(), stdout: () => undefined, stderr: () => undefined };
    for (const error of [new MigrationError("Migration polls.0002_x failed"), new DatabaseError("no such table: polls_question")]) {
      const rejection = await Promise.resolve(failing(error).run(context)).then(() => undefined, (thrown: unknown) => thrown);
      expect(rejection).toBeInstanceOf(CommandError);
      expect((rejection as CommandError).message).toBe(error.message);
      expect(connections.openAliases()).toEqual([]);
    }
    const bug = new TypeError("a bug");
    await expect(failing(bug).run(context)).rejects.toBe(bug);
    expect(connections.openAliases()).toEqual([]);
  });
});
