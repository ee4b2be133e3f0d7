/** The stats endpoint (`--stats`): per-worker counters as JSON and Prometheus text, fresh on each request. */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { APP, cleanupMasters, startMaster } from "./fixtures/master.js";

afterEach(cleanupMasters);

interface StatsJson {
  pid: number;
  restarts: number;
  target_workers: number;
  workers: Array<{ id: number; pid: number; state: string; restarts: number; requests: number; in_flight: number; status_counts: Record<string, number>; latency_buckets: number[]; rss_bytes: number }>;
}

describe("stats endpoint", () => {
  it("reports per-worker requests, statuses, latency, RSS and restarts, as JSON and Prometheus text", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", "--stats", "127.0.0.1:0", APP]);
    const statsUrl = (await master.waitFor(/Stats at: (http\S+)/))[1] as string;
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    for (let i = 0; i < 5; i++) expect((await httpRequest(`${url}/`)).status).toBe(200);
    expect((await httpRequest(`${url}/status?code=404`)).status).toBe(404);

    const stats = JSON.parse((await httpRequest(`${statsUrl}/`)).body) as StatsJson;
    expect(stats.pid).toBe(master.pid);
    expect(stats.target_workers).toBe(2);
    expect(stats.workers.map((worker) => worker.pid).sort()).toEqual(master.bootedPids().sort());
    const total = (key: string) => stats.workers.reduce((sum, worker) => sum + (worker.status_counts[key] ?? 0), 0);
    expect(stats.workers.reduce((sum, worker) => sum + worker.requests, 0)).toBe(6);
    expect(total("200")).toBe(5);
    expect(total("404")).toBe(1);
    for (const worker of stats.workers) {
      expect(worker.state).toBe("ready");
      expect(worker.in_flight).toBe(0);
      expect(worker.rss_bytes).toBeGreaterThan(1_000_000);
      expect(worker.latency_buckets.at(-1)).toBe(worker.requests);
    }

    const victim = stats.workers[0] as StatsJson["workers"][number];
    process.kill(victim.pid, "SIGKILL");
    await master.waitForCount(/Worker ready/, 3);
    const after = JSON.parse((await httpRequest(`${statsUrl}/json`)).body) as StatsJson;
    expect(after.restarts).toBe(1);
    expect(after.workers.find((worker) => worker.id === victim.id)?.restarts).toBe(1);

    const metrics = await httpRequest(`${statsUrl}/metrics`);
    expect(metrics.headers["content-type"]).toContain("text/plain; version=0.0.4");
    expect(metrics.body).toContain("# TYPE tsgi_worker_requests_total counter");
    expect(metrics.body).toMatch(/^tsgi_master_worker_restarts_total 1$/m);
    expect(metrics.body).toMatch(/^tsgi_worker_request_duration_seconds_bucket\{worker="\d+",pid="\d+",le="\+Inf"\} \d+$/m);
    const survivor = after.workers.find((worker) => worker.id !== victim.id) as StatsJson["workers"][number];
    expect(metrics.body).toContain(`tsgi_worker_requests_total{worker="${survivor.id}",pid="${survivor.pid}"} ${survivor.requests}`);

    expect((await httpRequest(`${statsUrl}/nope`)).status).toBe(404);
    expect((await httpRequest(`${statsUrl}/`, { method: "POST" })).status).toBe(405);

    // A request in progress shows in the worker's in-flight gauge, in both formats.
    const slow = httpRequest(`${url}/slow?ms=60000`, { timeoutMs: 90_000 }).catch(() => undefined);
    const busyPid = Number((await master.waitFor(/slow request started in pid (\d+)/))[1]);
    const busy = JSON.parse((await httpRequest(`${statsUrl}/`)).body) as StatsJson;
    expect(busy.workers.map((worker) => [worker.pid, worker.in_flight])).toContainEqual([busyPid, 1]);
    expect((await httpRequest(`${statsUrl}/metrics`)).body).toMatch(new RegExp(`^tsgi_worker_requests_in_flight\\{worker="\\d+",pid="${busyPid}"\\} 1$`, "m"));
    master.signal("SIGINT");
    await slow;
  });

  it("fails with one clear line and exit 1, before any worker starts, when the stats address is taken", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const master = startMaster(["-b", "127.0.0.1:0", "--stats", `127.0.0.1:${port}`, APP]);
      expect((await master.exited).code).toBe(1);
      expect(master.output).toContain(`cannot bind stats address 127.0.0.1:${port}`);
      expect(master.output).not.toMatch(/^\s+at /m);
      expect(master.output).not.toContain("Booting worker");
    } finally {
      taken.close();
    }
  });
});
