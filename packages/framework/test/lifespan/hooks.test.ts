import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LifespanShutdownError, LifespanStartupError, lifespanOf, startLifespan, type LifespanState } from "tsgi";
import { JsonResponse, LifespanHookError, SettingsError, defineSettings, findUnknownSettings, path, type LifespanContext, type SettingsInput } from "../../src/index.js";
import { BASE_SETTINGS, closeAll, makeApp, serve } from "../helpers/core.js";
import { staticFilesHandler } from "../../src/staticfiles/handler.js";
import { withWebSockets } from "../../src/channels/routing.js";

const root = mkdtempSync(join(tmpdir(), "tsgi-lifespan-hooks-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => closeAll());

// Each hook records itself in the state, so the order is read back from what every request sees.
const record = (state: LifespanState, event: string) => ((state.events ??= []) as string[]).push(event);

mkdirSync(join(root, "blog"));
writeFileSync(
  join(root, "blog", "apps.ts"),
  `export function ready({ state }) {
  (state.events ??= []).push("blog ready");
  return () => state.events.push("blog cleanup");
}
`,
);
writeFileSync(
  join(root, "hooks.ts"),
  `export async function warm({ state, settings }) {
  state.events.push("warm " + settings.SECRET_KEY.length);
  return async () => state.events.push("warm cleanup");
}
export default function ({ state }) {
  state.events.push("default export");
}
export const notAFunction = 42;
`,
);

mkdirSync(join(root, "broken"));
writeFileSync(join(root, "broken", "apps.ts"), "export const ready = true;\n");

const project = (settings: Partial<SettingsInput>) => makeApp({ BASE_DIR: root, urlpatterns: [], ...settings });

describe("LIFESPAN and the installed apps' ready hooks", () => {
  it("run in order at start-up (apps' ready, then LIFESPAN), their cleanups in reverse at shutdown; the state reaches every request", async () => {
    const first = ({ state }: LifespanContext) => {
      record(state, "first");
      state.greeting = "hello";
      return () => void record(state, "first cleanup");
    };
    const application = project({
      INSTALLED_APPS: ["blog"],
      LIFESPAN: [first, "hooks.ts:warm", "hooks.ts"],
      urlpatterns: [path("state/", (request) => new JsonResponse(request.META["tsgi.state"] ?? null))],
    });
    expect(lifespanOf(application)).toBe(application.lifespan);
    expect(application.lifespan.phase).toBe("idle");

    const running = await startLifespan(application);
    expect(application.lifespan.phase).toBe("started");
    expect(application.lifespan.state).toBe(running.state);
    const { url } = await serve(application, { state: running.state });
    const seen = (await (await fetch(`${url}/state/`, { headers: { host: "127.0.0.1" } })).json()) as { events: string[]; greeting: string };
    expect(seen).toEqual({ events: ["blog ready", "first", `warm ${BASE_SETTINGS.SECRET_KEY.length}`, "default export"], greeting: "hello" });

    await running.shutdown();
    expect(application.lifespan.phase).toBe("stopped");
    expect(running.state.events).toEqual([...seen.events, "warm cleanup", "first cleanup", "blog cleanup"]);
  });

  it("a hook that throws fails the start-up, naming the hook; the hooks before it are undone", async () => {
    const undone: string[] = [];
    const application = project({
      LIFESPAN: [
        () => () => void undone.push("first cleanup"),
        function openSearchIndex() {
          throw new Error("the search index folder is missing");
        },
        () => void undone.push("never reached"),
      ],
    });
    const failure = await startLifespan(application).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LifespanStartupError);
    expect((failure as Error).message).toContain("LIFESPAN[1] (openSearchIndex): the search index folder is missing");
    expect((failure as Error).cause).toBeInstanceOf(LifespanHookError);
    expect(undone).toEqual(["first cleanup"]);
    expect(application.lifespan.phase).toBe("failed");
  });

  it.each([
    ["missing.ts:hook", /LIFESPAN\[0\] \(missing\.ts:hook\): cannot import file:.*missing\.ts/],
    ["hooks.ts:absent", /LIFESPAN\[0\] \(hooks\.ts:absent\): the module has no function export "absent"; export it/],
    ["hooks.ts:notAFunction", /no function export "notAFunction"/],
  ])("a LIFESPAN target %s that names no function is a start-up error that names the fix", async (target, message) => {
    const failure = await startLifespan(project({ LIFESPAN: [target] })).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(LifespanStartupError);
    expect(failure?.message).toMatch(message);
  });

  it("an installed app whose apps.ts exports a ready that is not a function is a start-up error naming the app", async () => {
    const failure = await startLifespan(project({ INSTALLED_APPS: ["blog", "broken"] })).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(LifespanStartupError);
    expect(failure?.message).toContain('broken/apps.ts ready: "ready" must be a function (context) => cleanup | void, got boolean');
  });

  it("a cleanup that fails is reported at shutdown after every other cleanup ran", async () => {
    const ran: string[] = [];
    const application = project({
      LIFESPAN: [
        () => () => void ran.push("first"),
        () => () => {
          throw new Error("flush failed");
        },
      ],
    });
    const running = await startLifespan(application);
    const failure = await running.shutdown().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(LifespanShutdownError);
    expect(failure?.message).toContain("LIFESPAN[1] (anonymous function): flush failed");
    expect(ran).toEqual(["first"]);
    expect(application.lifespan.phase).toBe("stopped");
  });

  it("two shutdown calls at once run each cleanup once", async () => {
    let cleanups = 0;
    const application = project({ LIFESPAN: [() => () => void cleanups++] });
    await startLifespan(application);
    await Promise.all([application.lifespan.shutdown(), application.lifespan.shutdown()]);
    await application.lifespan.shutdown();
    expect(cleanups).toBe(1);
    expect(application.lifespan.phase).toBe("stopped");
  });

  it("starting twice in one process is refused until the first one was shut down", async () => {
    const application = project({ LIFESPAN: [() => undefined] });
    const running = await startLifespan(application);
    await expect(startLifespan(application)).rejects.toThrow(/already started in this process; run its shutdown before starting it again/);
    await running.shutdown();
    const again = await startLifespan(application);
    expect(application.lifespan.phase).toBe("started");
    await again.shutdown();
  });
});

describe("the framework's wrappers forward the application's lifespan, so the servers run it", () => {
  it("withWebSockets (what the project exports with WebSocket routes) and runserver's static files handler", async () => {
    const events: string[] = [];
    const application = project({ DEBUG: true, STATIC_URL: "/static/", LIFESPAN: [() => void events.push("started")] });
    const routed = withWebSockets(application, [], { allowedHosts: ["127.0.0.1"] });
    expect(lifespanOf(routed)).toBe(application.lifespan);
    expect(lifespanOf(staticFilesHandler(application, application.settings))).toBe(application.lifespan);
    const running = await startLifespan(routed);
    expect(events).toEqual(["started"]);
    await running.shutdown();
  });
});

describe("the LIFESPAN setting", () => {
  const settingsError = (input: object): SettingsError => {
    try {
      defineSettings(input as SettingsInput);
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      return error as SettingsError;
    }
    throw new Error("the settings were accepted");
  };

  it("is a known setting name; a typo of it gets a 'did you mean'", () => {
    expect(findUnknownSettings({ ...BASE_SETTINGS, LIFESPAN: [] })).toEqual([]);
    expect(findUnknownSettings({ ...BASE_SETTINGS, LIFESPANS: [] })).toEqual([{ name: "LIFESPANS", suggestion: "LIFESPAN" }]);
  });

  it("refuses what is not a list of functions and module:export targets", () => {
    expect(settingsError({ ...BASE_SETTINGS, LIFESPAN: "hooks.ts:warm" }).message).toContain("LIFESPAN: expected a list of hooks");
    expect(settingsError({ ...BASE_SETTINGS, LIFESPAN: ["hooks.ts:"] }).message).toContain('LIFESPAN: item 0: expected a function or "module.ts[:exportName]"');
    expect(settingsError({ ...BASE_SETTINGS, LIFESPAN: [42] }).message).toContain("LIFESPAN: item 0");
  });
});
