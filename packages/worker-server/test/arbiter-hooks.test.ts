/** Server hooks from a TS config file, called in the master and in workers with useful arguments. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { APP, cleanupMasters, startMaster } from "./fixtures/master.js";

afterEach(cleanupMasters);

describe("hooks", () => {
  it("calls every master and worker hook at its moment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-hooks-"));
    const record = join(dir, "hooks.log");
    try {
      writeFileSync(
        join(dir, "tsgi.config.ts"),
        `import { appendFileSync } from "node:fs";
const note = (text: string) => appendFileSync(${JSON.stringify(record)}, text + "\\n");
export default {
  workers: 1,
  onStarting: (arbiter: { pid: number }) => note("onStarting " + arbiter.pid),
  whenReady: (arbiter: { workers(): Array<{ pid: number }> }) => note("whenReady " + arbiter.workers().map((w) => w.pid).join(",")),
  preFork: (_arbiter: unknown, worker: { id: number }) => note("preFork " + worker.id),
  postFork: (_arbiter: unknown, worker: { pid: number }) => note("postFork " + worker.pid),
  postWorkerInit: (worker: { pid: number; id: number }) => note("postWorkerInit " + worker.pid + " " + process.pid + " " + worker.id),
  preRequest: (_worker: unknown, environ: { PATH_INFO: string }) => note("preRequest " + environ.PATH_INFO),
  postRequest: (_worker: unknown, environ: { PATH_INFO: string }, outcome: { status?: string }) => note("postRequest " + environ.PATH_INFO + " " + outcome.status),
  onReload: () => note("onReload"),
  workerInt: (worker: { pid: number }) => note("workerInt " + worker.pid),
  workerExit: (worker: { pid: number }) => note("workerExit " + worker.pid),
  childExit: (_arbiter: unknown, worker: { pid: number; exitCode: number | null }) => note("childExit " + worker.pid + " " + worker.exitCode),
  onExit: () => note("onExit"),
};
`,
      );
      const master = startMaster(["-b", "127.0.0.1:0", APP], { cwd: dir });
      const url = await master.url();
      await master.waitForCount(/Worker ready/, 1);
      const worker = master.bootedPids()[0] as number;
      expect((await httpRequest(`${url}/hello`)).status).toBe(200);
      master.signal("SIGHUP");
      await master.waitForCount(/Worker ready/, 2);
      await master.waitForCount(/Worker exiting/, 1);
      const second = master.bootedPids()[1] as number;
      // INT: the quick stop, which workers report through workerInt.
      master.signal("SIGINT");
      expect((await master.exited).code).toBe(0);
      const lines = readFileSync(record, "utf8").trim().split("\n");
      expect(lines[0]).toBe(`onStarting ${master.pid}`);
      expect(lines).toContain("preFork 1");
      expect(lines).toContain(`postFork ${worker}`);
      expect(lines).toContain(`postWorkerInit ${worker} ${worker} 1`);
      expect(lines).toContain(`whenReady ${worker}`);
      expect(lines).toContain("preRequest /hello");
      expect(lines).toContain("postRequest /hello 200 OK");
      expect(lines).toContain("onReload");
      expect(lines).toContain(`workerExit ${worker}`);
      expect(lines).toContain(`childExit ${worker} 0`);
      expect(lines).toContain(`workerInt ${second}`);
      expect(lines).toContain(`workerExit ${second}`);
      expect(lines.at(-1)).toBe("onExit");
      expect(lines.indexOf("preRequest /hello")).toBeLessThan(lines.indexOf("postRequest /hello 200 OK"));
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("calls workerAbort in a worker sent SIGABRT (the master's timeout signal) once its event loop is free, then replaces it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-hooks-"));
    const record = join(dir, "hooks.log");
    try {
      writeFileSync(
        join(dir, "tsgi.config.ts"),
        `import { appendFileSync } from "node:fs";
const note = (text: string) => appendFileSync(${JSON.stringify(record)}, text + "\\n");
export default {
  workerAbort: (worker: { pid: number }) => note("workerAbort " + worker.pid),
  workerExit: (worker: { pid: number }) => note("workerExit " + worker.pid),
};
`,
      );
      const master = startMaster(["-b", "127.0.0.1:0", APP], { cwd: dir });
      const url = await master.url();
      await master.waitForCount(/Worker ready/, 1);
      const worker = master.bootedPids()[0] as number;
      process.kill(worker, "SIGABRT");
      await master.waitFor(new RegExp(`Worker \\(pid:${worker}\\) exited with code 1`));
      await master.waitForCount(/Worker ready/, 2);
      expect((await httpRequest(`${url}/`)).status).toBe(200);
      expect(readFileSync(record, "utf8").trim().split("\n")).toEqual([`workerAbort ${worker}`, `workerExit ${worker}`]);
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  });
});
