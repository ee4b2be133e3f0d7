/**
 * The process-level suite on Node 24 (the master forks workers with its own execPath, so the
 * whole tree runs on 24): socket sharing, --reuse-port (only available from 22.12), worker
 * replacement, HUP under load, TERM, WebSocket and lifespan (issue 16), and the conformance suite
 * with its WebSocket and lifespan probes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { runConformance } from "tsgi/conformance";
import { httpRequest, startLoad } from "./fixtures/client.js";
import { APP, cleanupMasters, FIXTURES, startMaster, waitForExit } from "./fixtures/master.js";
import type { MasterProcess } from "./fixtures/master.js";
import { findNode24 } from "./fixtures/node24.js";
import { closeCode, openGreeted, roundTrip, terminateWebSockets } from "./fixtures/wsClient.js";

const node = findNode24();

describe("on Node 24", () => {
  // Scoped to this block: the conformance suite below keeps its server across its tests.
  afterEach(async () => {
    terminateWebSockets();
    await cleanupMasters();
  });

  it.each([[[] as string[]], [["--reuse-port"]]])("serves with workers on Node 24 %j, replaces a killed worker, HUPs under load without a failure, stops on TERM", async (extra) => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", ...extra, APP], { node });
    const url = await master.url();
    expect(master.output).toContain("node v24.");
    await master.waitForCount(/Worker ready/, 2);
    const env = JSON.parse((await httpRequest(`${url}/env`)).body) as { node: string };
    expect(env.node).toMatch(/^v24\./);

    const [victim] = master.bootedPids() as [number];
    process.kill(victim, "SIGKILL");
    await master.waitForCount(/Worker ready/, 3);

    const load = startLoad(`${url}/`, { concurrency: 4 });
    await load.waitForRequests(20);
    master.signal("SIGHUP");
    await master.waitForCount(/Worker ready/, 5);
    await master.waitForCount(/Worker exiting/, 2);
    await load.waitForRequests(20);
    const result = await load.stop();
    if (extra.length === 0) {
      expect(result.failures).toEqual([]);
    } else {
      // SO_REUSEPORT: a retiring worker's own accept queue is reset when it closes (the reason the
      // shared socket is the default); anything else would be a bug.
      expect(result.failures.filter((failure) => failure !== "ECONNRESET")).toEqual([]);
    }
    master.signal("SIGTERM");
    expect((await master.exited).code).toBe(0);
    for (const pid of master.bootedPids()) await waitForExit(pid);
  });

  it("runs each worker's lifespan around serving, echoes WebSockets, and closes them with 1001 on TERM", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", "--graceful-timeout", "2", `${FIXTURES}websocket-app.ts:app`], { node });
    const url = await master.url();
    await master.waitForCount(/ws-app startup pid \d+/, 2);
    await master.waitForCount(/Worker ready/, 2);
    const { client, first } = await openGreeted(url, "/info");
    const info = JSON.parse(first) as { pid: number; node: string; openedBy: string };
    expect(info.node).toMatch(/^v24\./);
    expect(info.openedBy).toBe(`pid ${info.pid}`);
    expect(await roundTrip(client, "on 24")).toBe("on 24");
    const binary = new Promise<Buffer>((resolve) => client.once("message", (data: Buffer) => resolve(data)));
    client.send(Buffer.from([7, 8, 9]));
    expect([...(await binary)]).toEqual([7, 8, 9]);

    const closed = closeCode(client);
    master.signal("SIGTERM");
    expect(await closed).toBe(1001);
    expect((await master.exited).code).toBe(0);
    // Per worker: start-up before serving, shutdown once, after the drain.
    for (const pid of master.bootedPids()) {
      const output = master.output;
      expect(master.count(new RegExp(`ws-app shutdown pid ${pid}$`))).toBe(1);
      expect(output.indexOf(`ws-app startup pid ${pid}`)).toBeLessThan(output.indexOf(`ws-app shutdown pid ${pid}`));
    }
  });
});

runConformance({
  name: "tsgi-worker -w 2 on Node 24",
  capabilities: { websocket: true, lifespan: true },
  async start(_app, { appModule }) {
    const master: MasterProcess = startMaster(["-b", "127.0.0.1:0", "-w", "2", appModule], { node });
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    return {
      url,
      async close() {
        master.signal("SIGTERM");
        await master.exited;
        await master.cleanup();
      },
    };
  },
});
