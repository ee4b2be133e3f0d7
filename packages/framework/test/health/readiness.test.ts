import { afterEach, describe, expect, it } from "vitest";
import { callApp, startLifespan, type LifespanState } from "tsgi";
import type { SettingsInput } from "../../src/index.js";
import { closeAll, makeApp, serve } from "../helpers/core.js";

afterEach(() => closeAll());

/** A promise a test resolves when it chooses: a start-up or shutdown step that waits for the test. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const HEALTH = { LIVENESS_PATH: "/healthz", READINESS_PATH: "/readyz", TIMEOUT_MS: 300 };

async function probe(url: string, path: string): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const response = await fetch(`${url}${path}`, { headers: { host: "10.0.0.7:8000" } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get("retry-after") };
}

describe("readiness follows the application's lifespan; liveness does not", () => {
  it("503 while the start-up runs, 200 once it completed, 503 from the start of the shutdown on (served by tsgi/node's createServer)", async () => {
    const startup = gate();
    const shutdown = gate();
    const application = makeApp({
      HEALTH_CHECKS: HEALTH,
      urlpatterns: [],
      LIFESPAN: [
        async () => {
          await startup.opened;
          return () => shutdown.opened;
        },
      ],
    });
    // A host that accepts before the start-up completed (here: the test, driving the lifespan by hand).
    const state: LifespanState = {};
    const { url } = await serve(application, { state });
    const starting = application.lifespan.startup(state);

    expect(await probe(url, "/readyz")).toEqual({ status: 503, body: { status: "starting" }, retryAfter: "5" });
    expect(await probe(url, "/healthz")).toEqual({ status: 200, body: { status: "alive" }, retryAfter: null });

    startup.open();
    await starting;
    expect(await probe(url, "/readyz")).toEqual({ status: 200, body: { status: "ready", checks: {} }, retryAfter: null });

    const stopping = application.lifespan.shutdown();
    expect(application.lifespan.phase).toBe("stopping");
    expect(await probe(url, "/readyz")).toEqual({ status: 503, body: { status: "stopping" }, retryAfter: "5" });
    expect(await probe(url, "/healthz")).toEqual({ status: 200, body: { status: "alive" }, retryAfter: null });

    shutdown.open();
    await stopping;
    expect(application.lifespan.phase).toBe("stopped");
    expect((await probe(url, "/readyz")).body).toEqual({ status: "stopping" });
  });

  it("503 'failed' after a start-up that failed", async () => {
    const application = makeApp({
      HEALTH_CHECKS: HEALTH,
      urlpatterns: [],
      LIFESPAN: [
        () => {
          throw new Error("no search index");
        },
      ],
    });
    const state: LifespanState = {};
    const { url } = await serve(application, { state });
    await expect(application.lifespan.startup(state)).rejects.toThrow("no search index");
    expect(await probe(url, "/readyz")).toEqual({ status: 503, body: { status: "failed" }, retryAfter: "5" });
    expect((await probe(url, "/healthz")).status).toBe(200);
  });

  it("a server that runs lifespans (tsgi.state present) but not this application's: 503, and DEBUG says a wrapper must forward it", async () => {
    const settings: Partial<SettingsInput> = { HEALTH_CHECKS: HEALTH, urlpatterns: [] };
    const { url } = await serve(makeApp(settings), { state: {} });
    expect(await probe(url, "/readyz")).toEqual({ status: 503, body: { status: "starting" }, retryAfter: "5" });
    const debug = await serve(makeApp({ ...settings, DEBUG: true }), { state: {} });
    expect(String((await probe(debug.url, "/readyz")).body.detail)).toContain("withLifespan(wrapper, lifespanOf(application))");
  });

  it("a server that runs no lifespan (no tsgi.state: the test client, toNodeListener in a host server) is ready once the URL configuration is loaded", async () => {
    const response = await callApp(makeApp({ HEALTH_CHECKS: HEALTH, urlpatterns: [] }), { path: "/readyz", headers: { host: "10.0.0.7" } });
    expect(response.status).toBe(200);
  });

  it("startLifespan (what tsgi-worker and tsgi-dev run before accepting) leaves readiness at 200", async () => {
    const application = makeApp({ HEALTH_CHECKS: HEALTH, urlpatterns: [], LIFESPAN: [() => undefined] });
    const running = await startLifespan(application);
    const { url } = await serve(application, { state: running.state });
    expect((await probe(url, "/readyz")).status).toBe(200);
    await running.shutdown();
    expect((await probe(url, "/readyz")).status).toBe(503);
  });
});
