/**
 * Open WebSockets in a real tsgi-worker process tree (issue 16): the stats count them, idle ones
 * never look like a stuck worker to --timeout, and HUP, TERM and --max-requests let them run
 * within --graceful-timeout, then close them with 1001 (going away).
 */
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { cleanupMasters, FIXTURES, startMaster, waitForExit } from "./fixtures/master.js";
import type { MasterProcess } from "./fixtures/master.js";
import { closeCode, openGreeted, openWebSocket, roundTrip, terminateWebSockets } from "./fixtures/wsClient.js";

const APP = `${FIXTURES}websocket-app.ts:app`;
afterEach(async () => {
  terminateWebSockets();
  await cleanupMasters();
});

interface WorkerJson {
  pid: number;
  in_flight: number;
  websockets: number;
}

async function workerStats(statsUrl: string): Promise<WorkerJson[]> {
  return (JSON.parse((await httpRequest(`${statsUrl}/`)).body) as { workers: WorkerJson[] }).workers;
}

/** Opens a socket on /info and returns it with the pid of the worker serving it. */
async function openInfo(url: string) {
  const { client, first } = await openGreeted(url, "/info");
  return { client, pid: (JSON.parse(first) as { pid: number }).pid };
}

describe("open WebSockets under tsgi-worker", () => {
  it("are counted by the stats server (JSON and Prometheus), and in flight", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--stats", "127.0.0.1:0", APP]);
    const statsUrl = (await master.waitFor(/Stats at: (http\S+)/))[1] as string;
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    expect((await workerStats(statsUrl))[0]).toMatchObject({ websockets: 0, in_flight: 0 });

    const first = await openWebSocket(url, "/echo");
    await openWebSocket(url, "/echo");
    expect((await workerStats(statsUrl))[0]).toMatchObject({ websockets: 2, in_flight: 2 });
    const metrics = (await httpRequest(`${statsUrl}/metrics`)).body;
    expect(metrics).toContain("# TYPE tsgi_worker_websockets_open gauge");
    expect(metrics).toMatch(/^tsgi_worker_websockets_open\{worker="\d+",pid="\d+"\} 2$/m);

    first.close(1000);
    await closeCode(first);
    await expect.poll(async () => (await workerStats(statsUrl))[0]?.websockets, { timeout: 20_000 }).toBe(1);
  });

  it("idle past --timeout do not get their worker killed: heartbeats go on, the sockets still echo", async () => {
    const timeoutSeconds = 2;
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "-t", String(timeoutSeconds), APP]);
    const url = await master.url();
    const sockets = await Promise.all([openInfo(url), openInfo(url), openInfo(url)]);
    const [pid] = master.bootedPids();
    expect(sockets.map((socket) => socket.pid)).toEqual([pid, pid, pid]);
    // Three timeouts of silence on every socket: the master checks the heartbeats many times meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 3 * timeoutSeconds * 1000));
    for (const { client } of sockets) expect(await roundTrip(client, "still here")).toBe("still here");
    expect(master.output).not.toContain("WORKER TIMEOUT");
    expect(master.bootedPids()).toEqual([pid]);
  });

  // Each trigger stops the worker gracefully: it stops accepting, serves its open sockets until
  // --graceful-timeout, then closes what is left with 1001.
  const triggers: Array<[string, string[], (master: MasterProcess, url: string) => Promise<void>]> = [
    ["HUP", [], async (master) => master.signal("SIGHUP")],
    ["TERM", [], async (master) => master.signal("SIGTERM")],
    ["--max-requests", ["--max-requests", "3"], async (_master, url) => {
      for (let i = 0; i < 3; i++) expect((await httpRequest(`${url}/`)).status).toBe(200);
    }],
  ];

  it.each(triggers)("%s: open sockets keep being served within --graceful-timeout, then get 1001", async (name, extra, trigger) => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--graceful-timeout", "6", ...extra, APP]);
    const url = await master.url();
    const finishing = await openInfo(url);
    const lingering = await openInfo(url);
    const pid = finishing.pid;
    const lingeringClosed = closeCode(lingering.client);

    await trigger(master, url);
    await master.waitFor(new RegExp(`Worker draining \\(pid: ${pid}\\): 2 request\\(s\\) in flight \\(2 WebSocket\\(s\\)\\)`));
    // Within the grace the worker still serves its sockets; one finishes on its own, normally.
    expect(await roundTrip(finishing.client, `during ${name}`)).toBe(`during ${name}`);
    const finished = closeCode(finishing.client);
    finishing.client.close(1000, "done");
    expect(await finished).toBe(1000);
    // The other stays open until --graceful-timeout is over: going away.
    expect(await lingeringClosed).toBe(1001);
    await waitForExit(pid);
    expect(master.output).not.toMatch(new RegExp(`Worker \\(pid:${pid}\\) was sent`));
    if (name === "TERM") {
      expect((await master.exited).code).toBe(0);
    } else {
      // Its successor serves WebSockets meanwhile.
      const next = await openInfo(url);
      expect(next.pid).not.toBe(pid);
      expect(await roundTrip(next.client, "new worker")).toBe("new worker");
    }
  });

  it("QUIT (quick stop) cuts open sockets without a close frame and runs no lifespan shutdown", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--graceful-timeout", "600", APP]);
    const url = await master.url();
    const { client, pid } = await openInfo(url);
    const closed = closeCode(client);
    master.signal("SIGQUIT");
    expect(await closed).toBe(1006);
    await master.exited;
    await waitForExit(pid);
    expect(master.output).not.toContain(`ws-app shutdown pid ${pid}`);
  });
});
