/**
 * The master's process architecture, with the real CLI, real worker processes and real sockets:
 * booting, replacing dead and stuck workers, boot failures, max-requests, unix sockets, pidfile.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest, startLoad } from "./fixtures/client.js";
import { APP, FIXTURES, cleanupMasters, isAlive, startMaster, waitForExit } from "./fixtures/master.js";

afterEach(cleanupMasters);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "tsgi-arbiter-"));
}

describe("arbiter", () => {
  it("boots N workers that share the socket, with process titles, and stops on TERM with status 0", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", "-n", "shop", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    const workerPids = master.bootedPids();
    expect(workerPids).toHaveLength(2);
    // Both workers accept on the shared socket: keep asking until both have answered.
    const seen = new Set<string>();
    while (seen.size < 2) seen.add((await httpRequest(`${url}/`)).body.trim());
    expect([...seen].map(Number).sort()).toEqual([...workerPids].sort());
    expect(readFileSync(`/proc/${master.pid}/cmdline`, "utf8")).toContain("tsgi-worker: master [shop]");
    expect(readFileSync(`/proc/${workerPids[0]}/cmdline`, "utf8")).toContain("tsgi-worker: worker [shop]");
    master.signal("SIGTERM");
    expect((await master.exited).code).toBe(0);
    for (const pid of workerPids) await waitForExit(pid);
  });

  it("replaces a worker killed with SIGKILL while the other keeps serving", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    const [victim] = master.bootedPids() as [number];
    process.kill(victim, "SIGKILL");
    await master.waitFor(new RegExp(`Worker \\(pid:${victim}\\) was sent SIGKILL`));
    await master.waitForCount(/Worker ready/, 3);
    const replacement = master.bootedPids()[2] as number;
    expect(replacement).not.toBe(victim);
    expect(isAlive(replacement)).toBe(true);
    // Served meanwhile and after: never an error.
    for (let i = 0; i < 5; i++) expect((await httpRequest(`${url}/`)).status).toBe(200);
  });

  it("kills a worker stuck in a CPU loop after --timeout (WORKER TIMEOUT), replaces it, and others keep answering", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", "--timeout", "4", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    const hung = httpRequest(`${url}/hang`).catch((error: NodeJS.ErrnoException) => error.code ?? "error");
    const stuckPid = Number((await master.waitFor(/hanging in pid (\d+)/))[1]);
    // The stuck worker no longer accepts; the other one serves every request meanwhile.
    const load = startLoad(`${url}/`, { concurrency: 1 });
    await master.waitFor(new RegExp(`WORKER TIMEOUT \\(pid: ${stuckPid}\\)`));
    await waitForExit(stuckPid);
    await master.waitForCount(/Worker ready/, 3);
    await load.waitForRequests(5);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThanOrEqual(5);
    expect(result.pids.has(String(stuckPid))).toBe(false);
    expect(await hung).toBe("ECONNRESET");
  });

  it("reports a worker that fails to boot and exits with status 3 when boots keep failing", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", `${FIXTURES}broken-app.ts`]);
    const { code } = await master.exited;
    expect(code).toBe(3);
    expect(master.output).toContain("database unreachable: cannot start (boot failure fixture)");
    expect(master.output).toMatch(/Worker \(pid:\d+\) failed to boot/);
    expect(master.output).toContain("Worker failed to boot.");
    expect(master.output).not.toContain("Worker ready");
  });

  it("with -w 4, an import error is logged with its stack once, and in one line for each other worker", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "4", `${FIXTURES}broken-app.ts`]);
    expect((await master.exited).code).toBe(3);
    const failures = master.count(/Worker \(pid:\d+\) failed to boot/);
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(master.count(/database unreachable: cannot start/)).toBe(failures);
    expect(master.count(/failed to boot: .*database unreachable.*\(same error as above\)$/)).toBe(failures - 1);
    expect(master.count(/^\s+at .*broken-app\.ts/)).toBe(1);
    expect(master.output).not.toContain("Exception in worker process");
  });

  it("a TARGET naming no file is one line from the master (no worker started, nothing bound), exit 4", async () => {
    const cwd = tempDir();
    try {
      const withExtension = startMaster(["-b", "127.0.0.1:0", "-w", "4", "nope.ts"], { cwd });
      expect((await withExtension.exited).code).toBe(4);
      expect(withExtension.lines.filter((line) => line.trim() !== "")).toEqual([
        expect.stringMatching(new RegExp(`\\[CRITICAL\\] Failed to load application: cannot find module nope\\.ts \\(TARGET is path/to/module\\[:export\\]; there is no file ${join(cwd, "nope.ts").replace(/[.]/g, "\\.")}\\)$`)),
      ]);
      const bare = startMaster(["-b", "127.0.0.1:0", "-w", "4", "nope:createApp()"], { cwd });
      expect((await bare.exited).code).toBe(4);
      expect(bare.lines.filter((line) => line.trim() !== "")).toHaveLength(1);
      expect(bare.output).toContain(`cannot find module nope (TARGET is path/to/module[:export]; looked for ${join(cwd, "nope")} with .ts, .mts, .tsx, .js, .mjs, .cjs or .cts added, and for ${join(cwd, "nope", "index")}.ts or .js)`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("the banner of a uwsgi port says uwsgi://", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "--protocol", "uwsgi", APP]);
    await master.waitFor(/Listening at: uwsgi:\/\/127\.0\.0\.1:\d+ \(\d+\)$/);
    expect(master.output).not.toMatch(/Listening at: http/);
  });

  it("--preload loads the app in the master first and exits 4 when it cannot", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "--preload", `${FIXTURES}broken-app.ts`]);
    expect((await master.exited).code).toBe(4);
    expect(master.output).toContain("Failed to load application");
    expect(master.output).not.toContain("Booting worker");
  });

  it("recycles a worker after --max-requests without failing a request (replacement first)", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--max-requests", "5", APP]);
    const url = await master.url();
    const load = startLoad(`${url}/`, { concurrency: 2 });
    await master.waitForCount(/Booting worker with pid/, 3);
    await master.waitForCount(/Worker exiting/, 2);
    await load.waitForRequests(5);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(master.count(/max requests 5 reached/)).toBeGreaterThanOrEqual(2);
    expect(result.pids.size).toBeGreaterThanOrEqual(2);
  });

  it("binds a unix socket, replaces a stale socket file, and removes it on exit", async () => {
    const dir = tempDir();
    const path = join(dir, "app.sock");
    try {
      // A socket file left by a server that died without cleaning up (SIGKILL: no unlink).
      const dead = spawn(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise((resolve) => dead.stdout.once("data", resolve));
      dead.kill("SIGKILL");
      await new Promise((resolve) => dead.once("exit", resolve));
      expect(existsSync(path)).toBe(true);
      const master = startMaster(["-b", `unix:${path}`, "-w", "1", APP]);
      await master.waitFor(/Listening at: unix:/);
      const response = await httpRequest({ socketPath: path, path: "/" });
      expect(response.status).toBe(200);
      master.signal("SIGTERM");
      expect((await master.exited).code).toBe(0);
      expect(existsSync(path)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to take over a unix socket a live server answers on", async () => {
    const dir = tempDir();
    const path = join(dir, "live.sock");
    const live = net.createServer((socket) => socket.end());
    try {
      await new Promise<void>((resolve) => live.listen(path, resolve));
      const master = startMaster(["-b", `unix:${path}`, APP]);
      expect((await master.exited).code).toBe(1);
      expect(master.output).toContain(`cannot bind unix:${path}: address already in use`);
    } finally {
      live.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails clearly when the TCP address is in use", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const master = startMaster(["-b", `127.0.0.1:${port}`, APP]);
      expect((await master.exited).code).toBe(1);
      expect(master.output).toContain(`cannot bind 127.0.0.1:${port}: address already in use`);
    } finally {
      taken.close();
    }
  });

  it("fails with one clear line and exit 1 when the unix socket's or the pid file's folder does not exist", async () => {
    const socket = startMaster(["-b", "unix:/nonexistent-tsgi-dir/app.sock", APP]);
    expect((await socket.exited).code).toBe(1);
    expect(socket.output).toContain("cannot bind unix:/nonexistent-tsgi-dir/app.sock: folder /nonexistent-tsgi-dir does not exist");
    const pid = startMaster(["-b", "127.0.0.1:0", "--pid", "/nonexistent-tsgi-dir/app.pid", APP]);
    expect((await pid.exited).code).toBe(1);
    expect(pid.output).toContain("[ERROR] cannot write pid file /nonexistent-tsgi-dir/app.pid: ENOENT");
    expect(pid.output).not.toMatch(/^\s+at /m);
  });

  it("binds [::1]:PORT and several addresses at once", async () => {
    const master = startMaster(["-b", "[::1]:0", "-b", "127.0.0.1:0", APP]);
    const v6 = (await master.waitFor(/Listening at: (http:\/\/\[::1\]:\d+)/))[1] as string;
    const v4 = (await master.waitFor(/Listening at: (http:\/\/127\.0\.0\.1:\d+)/))[1] as string;
    expect((await httpRequest(`${v6}/`)).status).toBe(200);
    expect((await httpRequest(`${v4}/`)).status).toBe(200);
  });

  it("listens with the --backlog queue length (the kernel's Send-Q of the listening socket)", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "--backlog", "77", APP]);
    const port = new URL(await master.url()).port;
    const listening = execFileSync("ss", ["-Hltn", `sport = :${port}`], { encoding: "utf8" }).trim().split(/\s+/);
    // State, Recv-Q, Send-Q (the backlog, for a listening socket), local address.
    expect(listening[0]).toBe("LISTEN");
    expect(listening[2]).toBe("77");
  });

  it("writes --pid and removes it on exit; refuses a pidfile held by a live master", async () => {
    const dir = tempDir();
    const pidfile = join(dir, "master.pid");
    try {
      const master = startMaster(["-b", "127.0.0.1:0", "--pid", pidfile, APP]);
      await master.url();
      expect(readFileSync(pidfile, "utf8").trim()).toBe(String(master.pid));
      const second = startMaster(["-b", "127.0.0.1:0", "--pid", pidfile, APP]);
      expect((await second.exited).code).toBe(1);
      expect(second.output).toContain(`Already running on PID ${master.pid}`);
      master.signal("SIGTERM");
      expect((await master.exited).code).toBe(0);
      expect(existsSync(pidfile)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
