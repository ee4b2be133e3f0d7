/**
 * Lifespan under tsgi-worker (issue 16): each worker process runs the app's start-up before it
 * accepts and its shutdown after it drained; a failing start-up is that worker's boot failure.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cleanupMasters, FIXTURES, startMaster } from "./fixtures/master.js";

const APP = `${FIXTURES}lifespan-app.ts:app`;
afterEach(cleanupMasters);

describe("lifespan under tsgi-worker", () => {
  it("starts up in each worker before it serves, shares the state with requests, and shuts down after draining", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", APP]);
    await master.waitForCount(/lifespan startup pid \d+/, 2);
    const url = await master.url();
    const body = await (await fetch(url)).text();
    const pid = Number(/opened by pid (\d+)/.exec(body)?.[1]);
    expect(master.output).toContain(`lifespan startup pid ${pid}`);
    master.signal("SIGTERM");
    const { code } = await master.exited;
    expect(code).toBe(0);
    expect(master.count(/lifespan shutdown pid \d+/)).toBe(2);
    // Per worker: start-up first, shutdown last.
    const output = master.output;
    expect(output.indexOf(`lifespan startup pid ${pid}`)).toBeLessThan(output.indexOf(`lifespan shutdown pid ${pid}`));
  });

  it("reports a failing start-up as a boot failure: the worker never serves", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", APP], { env: { LIFESPAN_FAIL: "1" } });
    const { code } = await master.exited;
    expect(code).toBe(3);
    expect(master.output).toContain("pool unreachable (lifespan fixture)");
    expect(master.output).toMatch(/failed to boot/);
    expect(master.output).not.toContain("lifespan shutdown");
  });
});
