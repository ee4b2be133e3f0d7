/**
 * A database server that is down at start-up is an outage, not a misconfiguration: the lifespan
 * start-up logs one warning naming the alias and the process serves (requests that need the
 * database get 503 with Retry-After, readiness 503) until the server is back, with no restart.
 * A wrong password or database name still fails the start-up, and LIFESPAN_REQUIRE_DATABASES
 * makes an unreachable server fatal too. Against a real PostgreSQL stopped and started with
 * pg_ctl, and a real tsgi-worker.
 */
import { createServer, type Socket } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LifespanStartupError, callApp, startLifespan } from "tsgi";
import {
  DatabaseStartupError,
  DatabaseUnreachableError,
  HttpResponse,
  SettingsError,
  connections,
  defineSettings,
  models,
  path,
  sql,
  type DatabaseSettings,
  type SettingsInput,
} from "../../src/index.js";
import { isServerUnreachable } from "../../src/db/unreachable.js";
import { BASE_SETTINGS, closeAll, makeApp, serve } from "../helpers/core.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";
import { PostgresControl } from "./postgresControl.js";
import { Worker, freePort, makeWorkerProject, removeProject } from "./workerProject.js";

const skipPg = postgresUnavailable();
let server: PostgresServer | undefined;
let control: PostgresControl | undefined;

beforeAll(async () => {
  if (skipPg !== undefined) return;
  server = await startPostgres();
  control = new PostgresControl(server);
}, 120_000);
afterAll(async () => {
  await closeAll();
  await connections.closeAll();
  await control?.teardown();
  await server?.stop();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closeAll();
  await connections.closeAll();
});

const HEALTH = { READINESS_PATH: "/readyz", TIMEOUT_MS: 5000 } as const;

/** A view that runs one query through the model layer (so driver errors become OperationalError). */
const queryView = path("db/", async () => {
  const { kysely } = connections.get("default");
  const { rows } = await models.runCompiled<{ answer: number }>(kysely, sql`select 42 as answer`.compile(kysely));
  return new HttpResponse(String(rows[0]?.answer));
});

function appFor(databases: Record<string, DatabaseSettings>, extra: Partial<SettingsInput> = {}) {
  return makeApp({ DATABASES: databases, HEALTH_CHECKS: HEALTH, urlpatterns: [queryView], ...extra });
}

/** The lines the process writes to stderr from now on (the start-up's warnings go there). */
function stderrLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  });
  return lines;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address() as { port: number };
      probe.close(() => resolve(address.port));
    });
  });
}

async function startupFailure(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason as Error,
  );
  expect(error).toBeInstanceOf(LifespanStartupError);
  return error as Error;
}

/** The framework's error behind a server's LifespanStartupError (its cause is the LifespanHookError). */
const rootCause = (error: Error): unknown => (error.cause as Error | undefined)?.cause;

async function get(url: string): Promise<{ status: number; text: string; retryAfter: string | null }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text(), retryAfter: response.headers.get("retry-after") };
}

describe("an unreachable server at start-up: one warning, the process serves", () => {
  it("a refused TCP connection (ECONNREFUSED): start-up succeeds, the query gets 503 with Retry-After, no connection is left open", async () => {
    const port = await closedPort();
    const application = appFor({ default: { ENGINE: "postgresql", NAME: "site", USER: "app", HOST: "127.0.0.1", PORT: port } });
    const lines = stderrLines();
    const running = await startLifespan(application);
    vi.restoreAllMocks();
    expect(application.lifespan.phase).toBe("started");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`WARNING (pid ${process.pid}): DATABASES.default (postgresql app@127.0.0.1:${port}/site) is unreachable: connect ECONNREFUSED`);
    expect(lines[0]).toContain("503 with Retry-After");
    expect(lines[0]).toContain("LIFESPAN_REQUIRE_DATABASES");
    expect(connections.openAliases()).toEqual([]);

    const response = await callApp(application, { path: "/db/" });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    await running.shutdown();
  });

  it("a server that closes every connection at once (reset / terminated): warned, not fatal", async () => {
    const closing = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
    const port = (closing.address() as { port: number }).port;
    try {
      const lines = stderrLines();
      const running = await startLifespan(appFor({ default: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: port } }));
      vi.restoreAllMocks();
      expect(lines).toEqual([expect.stringMatching(new RegExp(`DATABASES\\.default \\(postgresql 127\\.0\\.0\\.1:${port}/site\\) is unreachable: (Connection terminated|read ECONNRESET)`))]);
      await running.shutdown();
    } finally {
      await new Promise((resolve) => closing.close(resolve));
    }
  });

  it("a server that accepts and never answers: connect() reports it after timeoutMs instead of failing when told to", async () => {
    const silent = createServer(() => undefined);
    const sockets = new Set<Socket>();
    silent.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const seen: string[] = [];
      const down = await connections.connect(
        { DATABASES: { default: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: port } } },
        { timeoutMs: 300, failWhenUnreachable: false, onUnreachable: (error) => seen.push(error.alias) },
      );
      expect(down.map((error) => error.message)).toEqual([expect.stringContaining(`DATABASES.default (postgresql 127.0.0.1:${port}/site) is unreachable: no answer within 300 ms`)]);
      expect(seen).toEqual(["default"]);
      expect(connections.openAliases()).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("every alias is tried at once: a second silent server is reached before the first one's timeout", async () => {
    const sockets: Socket[] = [];
    let bothSeen: () => void = () => undefined;
    const seenBoth = new Promise<void>((resolve) => (bothSeen = resolve));
    const silent = createServer((socket) => {
      sockets.push(socket);
      if (sockets.length === 2) bothSeen();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const databases = { default: { ENGINE: "postgresql", NAME: "a", HOST: "127.0.0.1", PORT: port }, other: { ENGINE: "postgresql", NAME: "b", HOST: "127.0.0.1", PORT: port } } as const;
      // A timeout far beyond the test's: one after the other, the second connection would never come in time.
      const connecting = connections.connect({ DATABASES: databases }, { timeoutMs: 600_000, failWhenUnreachable: false });
      await seenBoth;
      for (const socket of sockets) socket.destroy();
      expect((await connecting).map((error) => error.alias)).toEqual(["default", "other"]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("connect() on its own still rejects by default; failWhenUnreachable: false returns the errors instead", async () => {
    const port = await closedPort();
    const settings = { DATABASES: { default: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: port } as const } };
    await expect(connections.connect(settings)).rejects.toBeInstanceOf(DatabaseUnreachableError);
    const down = await connections.connect(settings, { failWhenUnreachable: false });
    expect(down.map((error) => [error.alias, error instanceof DatabaseStartupError])).toEqual([["default", true]]);
    expect(connections.openAliases()).toEqual([]);
  });
});

describe("LIFESPAN_REQUIRE_DATABASES (fail fast)", () => {
  it("a list makes only the aliases it names fatal; the others are warned about", async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const databases: Record<string, DatabaseSettings> = {
      default: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: a },
      reports: { ENGINE: "postgresql", NAME: "reports", HOST: "127.0.0.1", PORT: b },
    };
    const lines = stderrLines();
    const error = await startupFailure(startLifespan(appFor(databases, { LIFESPAN_REQUIRE_DATABASES: ["reports"] })));
    vi.restoreAllMocks();
    expect(error.message).toContain(`databases: DATABASES.reports (postgresql 127.0.0.1:${b}/reports) is unreachable`);
    expect(rootCause(error)).toBeInstanceOf(DatabaseUnreachableError);
    expect(lines.filter((line) => line.includes("WARNING"))).toEqual([expect.stringContaining("DATABASES.default")]);
    expect(connections.openAliases()).toEqual([]);
  });

  it("an alias the list names that DATABASES lacks fails the start-up naming the setting", async () => {
    const error = await startupFailure(startLifespan(appFor({ default: { ENGINE: "sqlite", NAME: ":memory:" } }, { LIFESPAN_REQUIRE_DATABASES: ["defualt"] })));
    expect(error.message).toContain('LIFESPAN_REQUIRE_DATABASES names "defualt", which is not a configured database (configured: default)');
    expect(rootCause(error)).toBeInstanceOf(models.ConnectionDoesNotExist);
  });

  it("is validated by defineSettings, and a misspelt name gets a suggestion", () => {
    expect(() => defineSettings({ ...BASE_SETTINGS, LIFESPAN_REQUIRE_DATABASES: "default" } as never)).toThrow(
      /LIFESPAN_REQUIRE_DATABASES: expected true, false or a list of DATABASES aliases such as \["default"\], got "default"/,
    );
    let error: unknown;
    try {
      defineSettings({ ...BASE_SETTINGS, LIFESPAN_REQUIRE_DATABASE: true } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).unknownSettings).toEqual([{ name: "LIFESPAN_REQUIRE_DATABASE", suggestion: "LIFESPAN_REQUIRE_DATABASES" }]);
    expect(defineSettings({ ...BASE_SETTINGS, LIFESPAN_REQUIRE_DATABASES: ["default"] }).LIFESPAN_REQUIRE_DATABASES).toEqual(["default"]);
  });
});

describe("isServerUnreachable: an outage, not a mistake", () => {
  const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOENT", "EAI_AGAIN", "57P01", "57P02", "57P03", "08006", "53300"])("%s is unreachable", (code) => {
    expect(isServerUnreachable(withCode(code))).toBe(true);
    // Also as the cause of the framework's error, as the handler sees it.
    expect(isServerUnreachable(new models.OperationalError("wrapped", undefined, { cause: withCode(code) }))).toBe(true);
  });
  it.each(["Connection terminated unexpectedly", "Client has encountered a connection error and is not queryable"])("pg's %j is unreachable", (message) => {
    expect(isServerUnreachable(new Error(message))).toBe(true);
  });
  it.each(["28P01", "28000", "3D000", "42P01", "ENOTFOUND", "SQLITE_CANTOPEN"])("%s is a configuration or query error", (code) => {
    expect(isServerUnreachable(withCode(code, `failed with ${code}`))).toBe(false);
  });
});

describe("misconfiguration is still a boot failure", () => {
  it("an unsupported DATABASE_URL scheme fails the start-up", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "mysql://app@db/site";
    try {
      const error = await startupFailure(startLifespan(appFor({})));
      expect(error.message).toContain("DATABASE_URL scheme mysql: is not supported");
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it("an unknown ENGINE is refused with the settings, before any start-up", () => {
    expect(() => appFor({ default: { ENGINE: "mysql", NAME: "site" } as never })).toThrow(/DATABASES: default\.ENGINE: expected "sqlite" or "postgresql", got "mysql"/);
  });
});

describe.skipIf(skipPg !== undefined)("PostgreSQL stopped and started with pg_ctl", () => {
  it("start-up succeeds with the server down; requests get 503 and readiness 503; after pg_ctl start the next requests succeed without a restart", async () => {
    const pgServer = server as PostgresServer;
    const config = await pgServer.createDatabase("lifespan_down");
    const application = appFor({ default: config });
    await control?.stop();
    let running: Awaited<ReturnType<typeof startLifespan>> | undefined;
    try {
      const lines = stderrLines();
      running = await startLifespan(application);
      vi.restoreAllMocks();
      expect(application.lifespan.phase).toBe("started");
      // Over the unix socket a stopped server leaves no socket file: ENOENT.
      expect(lines).toEqual([expect.stringContaining(`DATABASES.default (postgresql postgres@${pgServer.socketDir}:${pgServer.port}/lifespan_down) is unreachable: connect ENOENT`)]);

      const { url } = await serve(application, { state: running.state });
      for (let i = 0; i < 3; i++) {
        expect(await get(`${url}/db/`)).toMatchObject({ status: 503, retryAfter: "5" });
      }
      const ready = await get(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toEqual({ status: "unavailable", checks: { "database:default": "failed" } });
    } finally {
      await control?.start();
    }
    if (running === undefined) throw new Error("the start-up did not complete");
    const { url } = await serve(application, { state: running.state });
    expect(await get(`${url}/db/`)).toMatchObject({ status: 200, text: "42" });
    expect((await get(`${url}/readyz`)).status).toBe(200);
    expect(application.lifespan.phase).toBe("started");
    await running.shutdown();
  });

  it("a server shutting down (57P03, pg_ctl stop -m smart with a session open): warned, not fatal; fatal with LIFESPAN_REQUIRE_DATABASES", async () => {
    const pgServer = server as PostgresServer;
    const config = await pgServer.createDatabase("lifespan_smart");
    const holder = new pg.Client({ host: pgServer.socketDir, port: pgServer.port, user: "postgres", database: "postgres" });
    await holder.connect();
    holder.on("error", () => undefined);
    try {
      await control?.stop("smart", false);
      // Wait until the server refuses new sessions (pg_ctl -W returns before it does).
      const refusal = await refusedWith(config, "57P03");
      expect(refusal).toMatch(/shutting down/);

      const lines = stderrLines();
      const running = await startLifespan(appFor({ default: config }));
      vi.restoreAllMocks();
      expect(lines).toEqual([expect.stringMatching(/DATABASES\.default .* is unreachable: the database system is shutting down/)]);
      await running.shutdown();

      const error = await startupFailure(startLifespan(appFor({ default: config }, { LIFESPAN_REQUIRE_DATABASES: true })));
      expect(error.message).toMatch(/DATABASES\.default .* is unreachable: the database system is shutting down/);
    } finally {
      await holder.end().catch(() => undefined);
      for (let i = 0; i < 600 && control?.pid() !== undefined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await control?.start();
    }
  });

  it("a wrong password (28P01) fails the start-up, though the server is up and LIFESPAN_REQUIRE_DATABASES is not set", async () => {
    await (server as PostgresServer).createDatabase("lifespan_auth");
    const config = await (control as PostgresControl).passwordRole("lifespan_app", "right-password", "lifespan_auth");
    // The right password opens it: the failure below is the password's.
    const good = await startLifespan(appFor({ default: config }));
    await good.shutdown();

    const error = await startupFailure(startLifespan(appFor({ default: { ...config, PASSWORD: "wrong-password" } })));
    expect(error.message).toContain(`DATABASES.default (postgresql lifespan_app@127.0.0.1:${config.PORT}/lifespan_auth) cannot be opened: password authentication failed for user "lifespan_app"`);
    expect(error.message).toContain("check HOST, PORT, NAME, USER and PASSWORD");
    expect(rootCause(error)).toBeInstanceOf(DatabaseStartupError);
    expect(rootCause(error)).not.toBeInstanceOf(DatabaseUnreachableError);
    expect(connections.openAliases()).toEqual([]);
  });

  it("a database that does not exist (3D000) fails the start-up even with another alias unreachable beside it", async () => {
    const config = await (server as PostgresServer).createDatabase("lifespan_exists");
    const lines = stderrLines();
    const error = await startupFailure(
      startLifespan(appFor({ replica: { ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: await closedPort() }, default: { ...config, NAME: "lifespan_missing" } })),
    );
    vi.restoreAllMocks();
    expect(error.message).toContain('cannot be opened: database "lifespan_missing" does not exist');
    expect(lines.filter((line) => line.includes("WARNING"))).toEqual([expect.stringContaining("DATABASES.replica")]);
  });
});

describe.skipIf(skipPg !== undefined)("under tsgi-worker: workers restarted while PostgreSQL is down", () => {
  it("a worker killed three times while the server is stopped is replaced each time, serves 503, and serves 200 once pg_ctl start ran; the master stays", async () => {
    const config = await (server as PostgresServer).createDatabase("lifespan_worker_down");
    const root = makeWorkerProject();
    const worker = new Worker(root, await freePort(), config);
    try {
      await worker.listening();
      expect(await get(`${worker.url}/db/`)).toMatchObject({ status: 200, text: "42" });
      let pid = await workerPid(worker.url);
      await control?.stop();
      try {
        // The running worker's pool lost its connections: 503, not a crash.
        expect(await get(`${worker.url}/db/`)).toMatchObject({ status: 503, retryAfter: "5" });
        for (let round = 0; round < 3; round++) {
          process.kill(pid, "SIGKILL");
          pid = await replacedWorker(worker.url, pid);
          expect(await get(`${worker.url}/db/`)).toMatchObject({ status: 503, retryAfter: "5" });
          expect((await get(`${worker.url}/readyz`)).status).toBe(503);
        }
        expect(worker.child.exitCode).toBeNull();
        expect(worker.log.match(/WARNING \(pid \d+\): DATABASES\.default \(postgresql postgres@[^)]*\/lifespan_worker_down\) is unreachable/g)).toHaveLength(3);
        expect(worker.log).not.toMatch(/failed to boot/);
      } finally {
        await control?.start();
      }
      expect(await get(`${worker.url}/db/`)).toMatchObject({ status: 200, text: "42" });
      expect((await get(`${worker.url}/readyz`)).status).toBe(200);
      expect(await workerPid(worker.url)).toBe(pid);
      expect(await worker.stop("SIGTERM")).toBe(0);
    } finally {
      worker.kill();
      removeProject(root);
    }
  }, 180_000);

  it("a wrong password still fails the worker's boot: the master exits 3 after three boots", async () => {
    await (server as PostgresServer).createDatabase("lifespan_worker_auth");
    const config = await (control as PostgresControl).passwordRole("lifespan_worker_app", "right-password", "lifespan_worker_auth");
    const root = makeWorkerProject();
    const worker = new Worker(root, await freePort(), { ...config, PASSWORD: "wrong-password" });
    try {
      expect(await worker.exited).toBe(3);
      expect(worker.log).toMatch(/failed to boot: .*DATABASES\.default \(postgresql lifespan_worker_app@127\.0\.0\.1:\d+\/lifespan_worker_auth\) cannot be opened: password authentication failed/);
      expect(worker.log).not.toMatch(/WARNING \(pid/);
    } finally {
      worker.kill();
      removeProject(root);
    }
  }, 120_000);
});

/** Polls new sessions until the server refuses one with `code`; returns its message. */
async function refusedWith(config: DatabaseSettings, code: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const client = new pg.Client({ host: config.HOST, port: Number(config.PORT), user: config.USER, database: config.NAME });
    try {
      await client.connect();
      await client.end();
    } catch (error) {
      if ((error as { code?: unknown }).code === code) return (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server never refused a session with ${code}`);
}

/** The pid of the worker answering now (the project's /state/ view says it). */
async function workerPid(url: string): Promise<number> {
  const text = (await get(`${url}/state/`)).text;
  const pid = Number(/hello from pid (\d+)/.exec(text)?.[1]);
  if (!Number.isInteger(pid)) throw new Error(`no pid in ${JSON.stringify(text)}`);
  return pid;
}

/** Waits for the master to replace the worker `old` (the listening socket stays open meanwhile); returns the new pid. */
async function replacedWorker(url: string, old: number): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const pid = await workerPid(url).catch(() => old);
    if (pid !== old) return pid;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`worker ${old} was not replaced within 60 s`);
}
