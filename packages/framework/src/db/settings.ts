import { isAbsolute, resolve } from "node:path";
import type { Check } from "../settings/checks.js";
import type { Settings } from "../settings/types.js";
import { ConnectionDoesNotExist } from "./errors.js";

/** One database, as in Django's `DATABASES["default"]`. */
export interface DatabaseSettings {
  /** `"sqlite"` (better-sqlite3, embedded) or `"postgresql"` (the `pg` client). */
  ENGINE: "sqlite" | "postgresql";
  /** SQLite: the file (relative to BASE_DIR), or `":memory:"`. PostgreSQL: the database name. */
  NAME: string;
  USER?: string;
  PASSWORD?: string;
  /** Host name, or a folder holding the server's unix socket. */
  HOST?: string;
  PORT?: number | string;
  /** Wrap each view in `atomic()` (Django's ATOMIC_REQUESTS, per database). */
  ATOMIC_REQUESTS?: boolean;
  OPTIONS?: {
    /** SQLite: milliseconds a writer waits for a lock (default 5000). */
    timeout?: number;
    /** PostgreSQL: most pooled connections (default 10). */
    max?: number;
    /**
     * PostgreSQL: seconds to wait for a new connection (libpq's and Django's `connect_timeout`;
     * default 5, `0` waits as long as the OS does). A server that never answers then costs a
     * request this long and a 503 with `Retry-After`, not the OS's TCP timeout (minutes).
     */
    connect_timeout?: number | string;
  };
  /** The test database: `NAME` (default: SQLite in memory, PostgreSQL `test_` + NAME). */
  TEST?: { NAME?: string };
}

declare module "../settings/types.js" {
  interface Settings {
    /** Databases by alias; `default` is used unless a query says otherwise. `DATABASE_URL` in the environment overrides `default`. */
    DATABASES?: Readonly<Record<string, DatabaseSettings>>;
    /** Shorthand for `ATOMIC_REQUESTS` on the default database. */
    ATOMIC_REQUESTS?: boolean;
  }
}

const KEYS = new Set(["ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "ATOMIC_REQUESTS", "OPTIONS", "TEST"]);

/**
 * Validates `DATABASES`, naming the alias and key at fault.
 *
 * @example
 * checkDatabasesSetting({ default: { ENGINE: "mysql", NAME: "x" } }); // 'default.ENGINE: expected "sqlite" or "postgresql", ...'
 */
export const checkDatabasesSetting: Check = (value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return 'expected { default: { ENGINE: "sqlite", NAME: "db.sqlite3" } }';
  for (const [alias, db] of Object.entries(value as Record<string, unknown>)) {
    if (typeof db !== "object" || db === null) return `${alias}: expected { ENGINE, NAME, ... }`;
    const entry = db as Record<string, unknown>;
    const unknown = Object.keys(entry).find((key) => !KEYS.has(key));
    if (unknown !== undefined) return `${alias}: unknown key ${JSON.stringify(unknown)}; expected only ${[...KEYS].join(", ")}`;
    if (entry.ENGINE !== "sqlite" && entry.ENGINE !== "postgresql") return `${alias}.ENGINE: expected "sqlite" or "postgresql", got ${JSON.stringify(entry.ENGINE)}`;
    if (typeof entry.NAME !== "string" || entry.NAME === "") return `${alias}.NAME: expected a file name (sqlite) or database name (postgresql), got ${JSON.stringify(entry.NAME)}`;
    const connectTimeout = (entry.OPTIONS as { connect_timeout?: unknown } | undefined)?.connect_timeout;
    if (connectTimeout !== undefined && connectTimeoutMillis(connectTimeout) === undefined) {
      return `${alias}.OPTIONS.connect_timeout: expected seconds (a number >= 0, 0 for no timeout), got ${JSON.stringify(connectTimeout)}`;
    }
  }
  return undefined;
};

/** Default `OPTIONS.connect_timeout`, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT = 5;

/**
 * `OPTIONS.connect_timeout` (seconds, a number or a numeric string as psycopg takes it) in
 * milliseconds, the unit pg's `connectionTimeoutMillis` takes; undefined when it is not one.
 *
 * @example
 * connectTimeoutMillis("2.5"); // 2500
 */
export function connectTimeoutMillis(seconds: unknown = DEFAULT_CONNECT_TIMEOUT): number | undefined {
  const value = typeof seconds === "string" && seconds.trim() !== "" ? Number(seconds) : seconds;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
}

/**
 * Parses a `DATABASE_URL`: `postgres://user:pass@host:5432/name`, `sqlite:///abs/path.db`, `sqlite://relative.db`, `sqlite://:memory:`.
 *
 * @example
 * parseDatabaseUrl("postgres://app:secret@db:5432/site"); // { ENGINE: "postgresql", NAME: "site", USER: "app", ... }
 */
export function parseDatabaseUrl(url: string): DatabaseSettings {
  if (url.startsWith("sqlite:")) {
    const rest = url.slice("sqlite:".length).replace(/^\/\//, "");
    if (rest === "" ) throw new ConnectionDoesNotExist(`DATABASE_URL ${url} names no file: use sqlite:///absolute/path.db or sqlite://relative.db`);
    return { ENGINE: "sqlite", NAME: rest === ":memory:" ? ":memory:" : rest };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConnectionDoesNotExist(`DATABASE_URL is not a URL: expected postgres://user:password@host:5432/name or sqlite:///path.db`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConnectionDoesNotExist(`DATABASE_URL scheme ${parsed.protocol} is not supported: use postgres:// or sqlite://`);
  }
  const host = parsed.searchParams.get("host") ?? decodeURIComponent(parsed.hostname);
  return {
    ENGINE: "postgresql",
    NAME: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
    ...(parsed.username && { USER: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { PASSWORD: decodeURIComponent(parsed.password) }),
    ...(host && { HOST: host }),
    ...(parsed.port && { PORT: Number(parsed.port) }),
  };
}

/** Settings with only what the database layer reads. */
export type DatabaseProjectSettings = Pick<Settings, "DATABASES" | "ATOMIC_REQUESTS" | "BASE_DIR">;

/**
 * The configuration of `alias`: `DATABASE_URL` (for `default`), else `DATABASES[alias]`,
 * else for `default` a SQLite file `db.sqlite3` in BASE_DIR (Django's startproject default).
 * A SQLite NAME is resolved against BASE_DIR.
 *
 * @example
 * databaseSettings(settings, "default", process.env); // { ENGINE: "sqlite", NAME: "/srv/site/db.sqlite3" }
 */
export function databaseSettings(settings: DatabaseProjectSettings, alias: string, env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  let config = settings.DATABASES?.[alias];
  if (alias === "default" && env.DATABASE_URL) config = { ...config, ...parseDatabaseUrl(env.DATABASE_URL) };
  if (config === undefined && alias === "default") config = { ENGINE: "sqlite", NAME: "db.sqlite3" };
  if (config === undefined) {
    throw new ConnectionDoesNotExist(`The database "${alias}" is not in DATABASES (configured: ${Object.keys(settings.DATABASES ?? {}).join(", ") || "none"}).`);
  }
  if (config.ENGINE === "sqlite" && config.NAME !== ":memory:" && !isAbsolute(config.NAME)) {
    config = { ...config, NAME: resolve(settings.BASE_DIR ?? process.cwd(), config.NAME) };
  }
  const atomic = config.ATOMIC_REQUESTS ?? (alias === "default" ? settings.ATOMIC_REQUESTS : undefined);
  return atomic === undefined ? config : { ...config, ATOMIC_REQUESTS: atomic };
}
