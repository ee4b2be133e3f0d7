import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Socket } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LifespanStartupError, startLifespan } from "tsgi";
import { DatabaseStartupError, DatabaseUnreachableError, connections, type DatabaseSettings } from "../../src/index.js";
import { closeAll, makeApp, serve } from "../helpers/core.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";
import { Worker, freePort, makeWorkerProject, removeProject } from "./workerProject.js";

const skipPg = postgresUnavailable();
let server: PostgresServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "tsgi-lifespan-db-"));

beforeAll(async () => {
  if (skipPg === undefined) server = await startPostgres();
}, 120_000);
afterAll(async () => {
  await closeAll();
  await connections.closeAll();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A test that failed half-way must not leave its databases open for the next one.
afterEach(() => connections.closeAll());

/** The files this process holds open (Linux /proc): an open SQLite database is one of them. */
function openFiles(): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // closed meanwhile (the readdir's own fd)
    }
  });
}

/** How many server processes serve connections to `database` (the admin connection is to "postgres"). */
async function backends(database: string): Promise<number> {
  const client = new pg.Client({ host: server?.socketDir, port: server?.port, user: "postgres", database: "postgres" });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = $1", [database]);
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

/** Polls `read` until `accept` holds (a backend leaves pg_stat_activity shortly after its client went); returns the last value. */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

async function startupError(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason as Error,
  );
  expect(error).toBeInstanceOf(LifespanStartupError);
  return error as Error;
}

async function closedPort(): Promise<number> {
  return freePort(); // freed again at once: nothing listens there
}

describe.skipIf(skipPg !== undefined)("PostgreSQL: the pool is opened at lifespan start-up and ended at shutdown", () => {
  it("connects before the first request, serves with it, and leaves no connection after shutdown", async () => {
    const config = await (server as PostgresServer).createDatabase("lifespan_pool");
    const application = makeApp({ DATABASES: { default: config }, HEALTH_CHECKS: { READINESS_PATH: "/readyz", TIMEOUT_MS: 5000 }, urlpatterns: [] });
    expect(await backends("lifespan_pool")).toBe(0);

    const running = await startLifespan(application);
    // No request yet: the connection is the start-up's.
    expect(await backends("lifespan_pool")).toBeGreaterThanOrEqual(1);
    expect(connections.openAliases()).toEqual(["default"]);
    const { url } = await serve(application, { state: running.state });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { "database:default": "ok" } });
    await closeAll();

    await running.shutdown();
    expect(connections.openAliases()).toEqual([]);
    expect(await until(() => backends("lifespan_pool"), (n) => n === 0)).toBe(0);
  });

  it("with LIFESPAN_REQUIRE_DATABASES, an unreachable server fails the start-up with the alias, the address and the fix", async () => {
    const port = await closedPort();
    const application = makeApp({ DATABASES: { default: { ENGINE: "postgresql", NAME: "site", USER: "app", HOST: "127.0.0.1", PORT: port } }, LIFESPAN_REQUIRE_DATABASES: true, urlpatterns: [] });
    const error = await startupError(startLifespan(application));
    expect(error.message).toContain(`DATABASES.default (postgresql app@127.0.0.1:${port}/site) is unreachable:`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("check that the server is running and that HOST and PORT are right");
    expect((error.cause as Error).cause).toBeInstanceOf(DatabaseUnreachableError);
    expect((error.cause as Error).cause).toBeInstanceOf(DatabaseStartupError);
    expect(connections.openAliases()).toEqual([]);
    expect(application.lifespan.phase).toBe("failed");
  });

  it("a database that does not exist fails the start-up and closes the aliases opened before it", async () => {
    const good = await (server as PostgresServer).createDatabase("lifespan_other");
    const missing: DatabaseSettings = { ...good, NAME: "no_such_database" };
    const application = makeApp({ DATABASES: { other: good, default: missing }, urlpatterns: [] });
    const error = await startupError(startLifespan(application));
    expect(error.message).toMatch(/DATABASES\.default \(postgresql postgres@.*\/no_such_database\) cannot be opened: database "no_such_database" does not exist/);
    // "other" was opened first, then closed by the failed start-up.
    expect(connections.openAliases()).toEqual([]);
    expect(await until(() => backends("lifespan_other"), (n) => n === 0)).toBe(0);
  });

  it("under tsgi-worker: the worker process opens the pool before serving, runs the hooks in order, and closes it all on TERM", async () => {
    const config = await (server as PostgresServer).createDatabase("lifespan_worker");
    const root = makeWorkerProject();
    const worker = new Worker(root, await freePort(), config);
    try {
      await worker.listening();
      // The worker connects during its boot, before any request reaches it.
      expect(await until(() => backends("lifespan_worker"), (n) => n >= 1, 60_000)).toBeGreaterThanOrEqual(1);
      const response = await fetch(`${worker.url}/state/`);
      expect(response.status).toBe(200);
      const pid = /hello from pid (\d+)/.exec(await response.text())?.[1];
      expect(pid).toBeDefined();
      expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);

      expect(await worker.stop("SIGTERM")).toBe(0);
      expect(readFileSync(join(root, "events.log"), "utf8").trim().split("\n")).toEqual([`start opened ${pid}`, `start second ${pid}`, `stop second ${pid}`, `stop opened ${pid}`]);
      expect(await until(() => backends("lifespan_worker"), (n) => n === 0)).toBe(0);
    } finally {
      worker.kill();
      removeProject(root);
    }
  }, 120_000);
});

describe("a database server that accepts and never answers", () => {
  it("fails the start-up within the connect timeout, naming the database, instead of hanging", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const failure = await connections.connect({ DATABASES: { default: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: port } } }, { timeoutMs: 500 }).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure).toBeInstanceOf(DatabaseStartupError);
      expect(failure).toBeInstanceOf(DatabaseUnreachableError);
      expect(failure?.message).toContain(`DATABASES.default (postgresql 127.0.0.1:${port}/site) is unreachable: no answer within 500 ms`);
      expect(connections.openAliases()).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("with LIFESPAN_REQUIRE_DATABASES, a database that cannot be reached fails tsgi-worker's boot, not the first request", () => {
  it("the master reports the worker's boot failure with the database error and exits 3", async () => {
    const root = makeWorkerProject();
    const worker = new Worker(root, await freePort(), { ENGINE: "postgresql", NAME: "site", USER: "app", HOST: "127.0.0.1", PORT: await closedPort() }, { LIFESPAN_TEST_REQUIRE: "1" });
    try {
      expect(await worker.exited).toBe(3);
      expect(worker.log).toMatch(/failed to boot: .*DATABASES\.default \(postgresql app@127\.0\.0\.1:\d+\/site\) is unreachable/);
      // No hook ran: the databases open first.
      expect(existsSync(join(root, "events.log"))).toBe(false);
    } finally {
      worker.kill();
      removeProject(root);
    }
  }, 120_000);
});

describe("SQLite: the file is opened at lifespan start-up and closed at shutdown", () => {
  it.skipIf(!existsSync("/proc/self/fd"))("opens the database file before any request and closes it at shutdown (the process no longer holds it)", async () => {
    const name = join(dir, "site.sqlite3");
    const application = makeApp({ DATABASES: { default: { ENGINE: "sqlite", NAME: name } }, urlpatterns: [] });
    expect(openFiles()).not.toContain(name);
    const running = await startLifespan(application);
    expect(existsSync(name)).toBe(true);
    expect(openFiles()).toContain(name);
    expect(connections.openAliases()).toEqual(["default"]);
    await running.shutdown();
    expect(connections.openAliases()).toEqual([]);
    expect(openFiles()).not.toContain(name);
  });

  it("a folder that does not exist fails the start-up, naming the folder", async () => {
    const application = makeApp({ DATABASES: { default: { ENGINE: "sqlite", NAME: join(dir, "missing", "site.sqlite3") } }, urlpatterns: [] });
    const error = await startupError(startLifespan(application));
    expect(error.message).toContain(`DATABASES.default (sqlite ${join(dir, "missing", "site.sqlite3")}) cannot be opened`);
    expect(error.message).toContain(`the folder ${join(dir, "missing")} does not exist`);
  });

  it("a project without DATABASES opens nothing (no db.sqlite3 is created)", async () => {
    const application = makeApp({ BASE_DIR: dir, urlpatterns: [] });
    const running = await startLifespan(application);
    expect(connections.openAliases()).toEqual([]);
    expect(existsSync(join(dir, "db.sqlite3"))).toBe(false);
    await running.shutdown();
  });
});
