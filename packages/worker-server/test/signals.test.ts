/**
 * Signals as Gunicorn documents them, sent to a real master: HUP, TERM, INT/QUIT, TTIN/TTOU,
 * USR1, USR2 + WINCH. Load runs on fresh connections (one request each) from this process.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest, startLoad } from "./fixtures/client.js";
import { APP, cleanupMasters, isAlive, startMaster, waitForExit } from "./fixtures/master.js";

afterEach(cleanupMasters);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-signals-"));
  dirs.push(dir);
  return dir;
}

async function waitForFile(path: string): Promise<string> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 50));
  return readFileSync(path, "utf8");
}

describe("signals", () => {
  it("HUP: new workers start, then the old ones stop, with zero failed requests under load", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    const oldPids = master.bootedPids();
    const load = startLoad(`${url}/`, { concurrency: 4 });
    await load.waitForRequests(20);
    master.signal("SIGHUP");
    await master.waitFor(/Handling signal: hup/);
    await master.waitForCount(/Worker ready/, 4);
    await master.waitForCount(/Worker exiting/, 2);
    for (const pid of oldPids) await waitForExit(pid);
    await load.waitForRequests(20);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    const newPids = master.bootedPids().slice(2).map(String);
    expect(newPids.some((pid) => result.pids.has(pid))).toBe(true);
  }, 120_000);

  it("HUP re-reads the config file (here: the worker count)", async () => {
    const dir = tempDir();
    const config = join(dir, "tsgi.config.json");
    writeFileSync(config, JSON.stringify({ workers: 1 }));
    const master = startMaster(["-c", config, "-b", "127.0.0.1:0", APP]);
    await master.waitForCount(/Worker ready/, 1);
    writeFileSync(config, JSON.stringify({ workers: 2 }));
    master.signal("SIGHUP");
    await master.waitForCount(/Worker ready/, 3);
    await master.waitForCount(/Worker exiting/, 1);
    expect(master.bootedPids()).toHaveLength(3);
  });

  it("TERM: stops accepting, lets in-flight requests finish, exits 0", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "2", "--graceful-timeout", "20", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    const load = startLoad(`${url}/`, { concurrency: 2, stopOnRefused: true });
    await load.waitForRequests(10);
    const slow = [httpRequest(`${url}/slow?ms=2000`), httpRequest(`${url}/slow?ms=2000`)];
    await master.waitForCount(/slow request started/, 2);
    master.signal("SIGTERM");
    const responses = await Promise.all(slow);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect((await master.exited).code).toBe(0);
    const result = await load.finished();
    // After the stop, new connections are refused (or reset if queued as the socket closed):
    // never a wrong status and never a cut response.
    expect(result.failures.filter((failure) => failure !== "ECONNRESET")).toEqual([]);
    await expect(httpRequest(`${url}/`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("TERM closes idle keep-alive connections instead of waiting out --graceful-timeout for them", async () => {
    // 600 s of grace: the master can only exit within the test's time if the idle connection is closed.
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--graceful-timeout", "600", APP]);
    const port = Number(new URL(await master.url()).port);
    await master.waitForCount(/Worker ready/, 1);
    const socket = net.connect(port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => undefined);
    const answered = new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString("latin1"))));
    socket.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(await answered).toMatch(/^HTTP\/1\.1 200 /);
    master.signal("SIGTERM");
    await closed;
    expect((await master.exited).code).toBe(0);
  });

  it("TERM: a request still running when --graceful-timeout ends is cut, and the master still exits 0", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--graceful-timeout", "2", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    const workerPid = master.bootedPids()[0] as number;
    const slow = httpRequest(`${url}/slow?ms=120000`, { timeoutMs: 120_000 }).then(
      () => "completed",
      (error: NodeJS.ErrnoException) => error.code ?? "error",
    );
    await master.waitFor(/slow request started/);
    master.signal("SIGTERM");
    expect((await master.exited).code).toBe(0);
    expect(await slow).toBe("ECONNRESET");
    await waitForExit(workerPid);
  });

  it.each(["SIGINT", "SIGQUIT"] as const)("%s: quick stop, in-flight requests are cut, exit 0", async (signal) => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    const slow = httpRequest(`${url}/slow?ms=60000`).then(
      () => "completed",
      (error: NodeJS.ErrnoException) => error.code ?? "error",
    );
    await master.waitFor(/slow request started/);
    const workerPid = master.bootedPids()[0] as number;
    master.signal(signal);
    expect((await master.exited).code).toBe(0);
    expect(await slow).toBe("ECONNRESET");
    await waitForExit(workerPid);
  });

  it("TTIN adds a worker, TTOU removes one", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", APP]);
    await master.waitForCount(/Worker ready/, 1);
    master.signal("SIGTTIN");
    await master.waitForCount(/Worker ready/, 2);
    const [first, second] = master.bootedPids() as [number, number];
    master.signal("SIGTTOU");
    // Gunicorn stops the oldest worker.
    await master.waitFor(new RegExp(`Worker exiting \\(pid: ${first}\\)`));
    expect(isAlive(second)).toBe(true);
    master.signal("SIGTTOU");
    await master.waitForCount(/Handling signal: ttou/, 2);
    // Never below one worker.
    expect((await httpRequest(`${await master.url()}/`)).body.trim()).toBe(String(second));
  });

  it("USR1 reopens the error log and the access log (logrotate)", async () => {
    const dir = tempDir();
    const errorLog = join(dir, "error.log");
    const accessLog = join(dir, "access.log");
    const master = startMaster(["-b", "127.0.0.1:0", "--error-logfile", errorLog, "--access-logfile", accessLog, APP]);
    await waitForFile(errorLog);
    while (!readFileSync(errorLog, "utf8").includes("Worker ready")) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = (readFileSync(errorLog, "utf8").match(/Listening at: (\S+)/) as RegExpMatchArray)[1] as string;
    await httpRequest(`${url}/first`);
    renameSync(errorLog, `${errorLog}.1`);
    renameSync(accessLog, `${accessLog}.1`);
    master.signal("SIGUSR1");
    await waitForFile(errorLog);
    while (!readFileSync(errorLog, "utf8").includes("Reopened log files")) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(`${errorLog}.1`, "utf8")).toContain("Handling signal: usr1");
    // The worker reopens its files when the master tells it; keep asking until its access log is new.
    while (!(existsSync(accessLog) && readFileSync(accessLog, "utf8").includes("/second"))) {
      await httpRequest(`${url}/second`);
    }
    expect(readFileSync(`${accessLog}.1`, "utf8")).toContain("/first");
  });

  it("USR2 starts a new master on the same sockets; WINCH then TERM retire the old one", async () => {
    const dir = tempDir();
    const pidfile = join(dir, "app.pid");
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--pid", pidfile, APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    const oldWorker = master.bootedPids()[0] as number;
    master.signal("SIGUSR2");
    const newMaster = Number((await master.waitFor(/Started new master \(pid: (\d+)\)/))[1]);
    expect(readFileSync(`${pidfile}.oldbin`, "utf8").trim()).toBe(String(master.pid));
    expect((await waitForFile(`${pidfile}.2`)).trim()).toBe(String(newMaster));
    // The successor logs to the same stderr: it listens on the very same address.
    await master.waitFor(new RegExp(`\\[${newMaster}\\] \\[INFO\\] Listening at: ${url.replace(/[.]/g, "\\.")}`));
    await master.waitForCount(/Worker ready/, 2);
    const load = startLoad(`${url}/`, { concurrency: 2 });
    await load.waitForRequests(10);
    master.signal("SIGWINCH");
    await waitForExit(oldWorker);
    await load.waitForRequests(10);
    master.signal("SIGTERM");
    expect((await master.processExited).code).toBe(0);
    await master.waitFor(/Master has been promoted/);
    expect(readFileSync(pidfile, "utf8").trim()).toBe(String(newMaster));
    await load.waitForRequests(10);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    process.kill(newMaster, "SIGTERM");
    await waitForExit(newMaster);
    expect(existsSync(pidfile)).toBe(false);
  }, 180_000);
});
