/**
 * A PostgreSQL host that never answers (a cut link, a black-holed address) costs a request
 * `DATABASES[alias].OPTIONS.connect_timeout` seconds (default 5) and a 503 with Retry-After,
 * not the OS's TCP timeout. The "server" is a real TCP listener on 127.0.0.1 that accepts and
 * never says a word, as a PostgreSQL behind a dead link looks to the client after the handshake:
 * without the timeout these requests never end (the test's own timeout fails them).
 */
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpResponse, SettingsError, connections, defineSettings, models, path, sql, type DatabaseSettings } from "../../src/index.js";
import { connectTimeoutMillis } from "../../src/db/settings.js";
import { BASE_SETTINGS, closeAll, makeApp, serve } from "../helpers/core.js";

/** A listener that accepts connections and never answers; `accepted` counts them. */
interface Silent {
  readonly port: number;
  accepted(): number;
  close(): Promise<void>;
}

const silents: Silent[] = [];

async function silentServer(): Promise<Silent> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const silent: Silent = {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  silents.push(silent);
  return silent;
}

afterEach(async () => {
  await closeAll();
  await connections.closeAll();
  await Promise.all(silents.splice(0).map((silent) => silent.close()));
});

const queryView = path("db/", async () => {
  const { kysely } = connections.get("default");
  const { rows } = await models.runCompiled<{ answer: number }>(kysely, sql`select 42 as answer`.compile(kysely));
  return new HttpResponse(String(rows[0]?.answer));
});

async function urlFor(database: DatabaseSettings): Promise<string> {
  const { url } = await serve(makeApp({ DATABASES: { default: database }, urlpatterns: [queryView] }));
  return `${url}/db/`;
}

async function get(url: string): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

describe("a PostgreSQL host that accepts and never answers", () => {
  it("with no OPTIONS the default connect_timeout (5 s) applies: 503 with Retry-After, and the connection attempt reached the host", async () => {
    const silent = await silentServer();
    const url = await urlFor({ ENGINE: "postgresql", NAME: "site", USER: "app", HOST: "127.0.0.1", PORT: silent.port });
    expect(await get(url)).toEqual({ status: 503, retryAfter: "5" });
    expect(silent.accepted()).toBe(1);
  }, 60_000);

  it("OPTIONS.connect_timeout in seconds (a string, as psycopg takes it): requests queued behind a one-client pool also get 503", async () => {
    const silent = await silentServer();
    const url = await urlFor({ ENGINE: "postgresql", NAME: "site", HOST: "127.0.0.1", PORT: silent.port, OPTIONS: { connect_timeout: "0.3", max: 1 } });
    // One request connects; the others wait for the pool's only client ("timeout exceeded when trying to connect").
    const answers = await Promise.all([get(url), get(url), get(url)]);
    expect(answers).toEqual([
      { status: 503, retryAfter: "5" },
      { status: 503, retryAfter: "5" },
      { status: 503, retryAfter: "5" },
    ]);
    // The pool still serves later requests the same way (it is not wedged by the timed-out clients).
    expect(await get(url)).toEqual({ status: 503, retryAfter: "5" });
    expect(silent.accepted()).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe("OPTIONS.connect_timeout", () => {
  it("is seconds as a number or numeric string; 0 means no timeout (libpq's meaning); the default is 5 s", () => {
    expect(connectTimeoutMillis()).toBe(5000);
    expect(connectTimeoutMillis(undefined)).toBe(5000);
    expect(connectTimeoutMillis(10)).toBe(10_000);
    expect(connectTimeoutMillis("2.5")).toBe(2500);
    expect(connectTimeoutMillis(0)).toBe(0);
    for (const bad of [-1, "soon", "", Number.NaN, Infinity, null, true]) expect(connectTimeoutMillis(bad)).toBeUndefined();
  });

  it("a value that is not seconds is refused by defineSettings, naming the alias and the key", () => {
    let error: unknown;
    try {
      defineSettings({ ...BASE_SETTINGS, DATABASES: { replica: { ENGINE: "postgresql", NAME: "site", OPTIONS: { connect_timeout: "5s" } } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toContain('replica.OPTIONS.connect_timeout: expected seconds (a number >= 0, 0 for no timeout), got "5s"');
  });
});
