import { describe, expect, test } from "vitest";
import { SettingsError, defineSettings } from "../../src/index.js";
import { databaseSettings, parseDatabaseUrl } from "../../src/db/index.js";

describe("DATABASES and DATABASE_URL", () => {
  test("a wrong DATABASES entry fails defineSettings naming the alias and key", () => {
    const bad = (DATABASES: unknown) => () => defineSettings({ SECRET_KEY: "k", DATABASES: DATABASES as never });
    expect(bad({ default: { ENGINE: "mysql", NAME: "x" } })).toThrow(/DATABASES: default.ENGINE: expected "sqlite" or "postgresql", got "mysql"/);
    expect(bad({ default: { ENGINE: "sqlite" } })).toThrow(/default.NAME: expected a file name/);
    expect(bad({ default: { ENGINE: "sqlite", NAME: "db", HOSTNAME: "x" } })).toThrow(/unknown key "HOSTNAME"/);
    expect(bad("sqlite")).toThrow(SettingsError);
    expect(() => defineSettings({ SECRET_KEY: "k", ATOMIC_REQUESTS: "yes" as never })).toThrow(/ATOMIC_REQUESTS: expected true or false/);
  });

  test("defaults: SQLite db.sqlite3 in BASE_DIR; relative names resolve there; DATABASE_URL overrides default", () => {
    expect(databaseSettings({ BASE_DIR: "/srv/site" }, "default", {})).toEqual({ ENGINE: "sqlite", NAME: "/srv/site/db.sqlite3" });
    expect(databaseSettings({ BASE_DIR: "/srv/site", DATABASES: { default: { ENGINE: "sqlite", NAME: "data/x.db" } }, ATOMIC_REQUESTS: true }, "default", {})).toEqual({ ENGINE: "sqlite", NAME: "/srv/site/data/x.db", ATOMIC_REQUESTS: true });
    expect(databaseSettings({}, "default", { DATABASE_URL: "postgres://app:s%40cret@db.internal:6543/site" })).toEqual({ ENGINE: "postgresql", NAME: "site", USER: "app", PASSWORD: "s@cret", HOST: "db.internal", PORT: 6543 });
    expect(() => databaseSettings({}, "replica", {})).toThrow(/The database "replica" is not in DATABASES \(configured: none\)/);
  });

  test("DATABASE_URL forms and mistakes", () => {
    expect(parseDatabaseUrl("sqlite:///var/db/site.db")).toEqual({ ENGINE: "sqlite", NAME: "/var/db/site.db" });
    expect(parseDatabaseUrl("sqlite://:memory:")).toEqual({ ENGINE: "sqlite", NAME: ":memory:" });
    expect(parseDatabaseUrl("postgresql:///site?host=/run/postgresql")).toMatchObject({ ENGINE: "postgresql", NAME: "site", HOST: "/run/postgresql" });
    expect(() => parseDatabaseUrl("mysql://x/y")).toThrow(/scheme mysql: is not supported: use postgres:\/\/ or sqlite:\/\//);
    expect(() => parseDatabaseUrl("not a url")).toThrow(/DATABASE_URL is not a URL/);
    expect(() => parseDatabaseUrl("sqlite://")).toThrow(/names no file/);
  });
});
