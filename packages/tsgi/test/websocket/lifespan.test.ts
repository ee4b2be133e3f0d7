import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { LifespanShutdownError, LifespanStartupError, lifespanOf, startLifespan, withLifespan, type Application } from "../../src/index.js";
import { createServer } from "../../src/node/index.js";

const hello: Application = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode(String((environ["tsgi.state"] as { greeting?: string } | undefined)?.greeting))];
};

describe("lifespan", () => {
  it("runs start-up before serving, gives each environ the state, and shuts down once", async () => {
    const order: string[] = [];
    const app = withLifespan(hello, {
      async startup(state) {
        order.push("startup");
        state.greeting = "hello from startup";
      },
      shutdown(state) {
        order.push(`shutdown ${String(state.greeting)}`);
      },
    });
    const lifespan = await startLifespan(app);
    const server = createServer(app, { state: lifespan.state }).listen(0, "127.0.0.1");
    await once(server, "listening");
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await response.text()).toBe("hello from startup");
    await new Promise((resolve) => server.close(resolve));
    await Promise.all([lifespan.shutdown(), lifespan.shutdown()]);
    expect(order).toEqual(["startup", "shutdown hello from startup"]);
  });

  it("reports a failing start-up as LifespanStartupError with the cause", async () => {
    const app = withLifespan(hello, {
      startup() {
        throw new Error("database down");
      },
    });
    const failure = await startLifespan(app).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LifespanStartupError);
    expect((failure as Error).message).toContain("database down");
  });

  it("fails a start-up that does not settle within the timeout", async () => {
    const app = withLifespan(hello, { startup: () => new Promise<void>(() => undefined) });
    await expect(startLifespan(app, { startupTimeout: 50 })).rejects.toThrow(/within 50 ms/);
  });

  it("reports a failing shutdown as LifespanShutdownError", async () => {
    const lifespan = await startLifespan(withLifespan(hello, { shutdown: () => Promise.reject(new Error("pool stuck")) }));
    await expect(lifespan.shutdown()).rejects.toBeInstanceOf(LifespanShutdownError);
  });

  it("finds a lifespan on app objects and ignores a malformed one", async () => {
    const objectApp = { call: (): Uint8Array[] => [], lifespan: { startup: () => undefined } };
    expect(lifespanOf(objectApp)).toBe(objectApp.lifespan);
    expect(lifespanOf(Object.assign(() => [], { lifespan: { startup: "no" } }))).toBeUndefined();
    expect((await startLifespan(hello)).state).toEqual({});
  });
});
