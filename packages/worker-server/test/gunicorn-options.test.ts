/**
 * Gunicorn options users reach for (issue 19, item 12): --chdir, -e/--env, -u/--user and -g/--group
 * in a real master and worker; Gunicorn's deliberately absent options (--daemon, -k, --threads)
 * explained instead of "unrecognized"; a mistyped flag or config key suggests the right name.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs } from "../src/cli/parseArgs.js";
import { loadConfigFile } from "../src/config/configFile.js";
import { ConfigError } from "../src/config/errors.js";
import { workerCredentials } from "../src/config/processSettings.js";
import { httpRequest } from "./fixtures/client.js";
import { BIN, cleanupMasters, startMaster } from "./fixtures/master.js";

/** Root can start workers as `nobody` only where `nobody` can read this checkout (not under a 0700 home folder). */
const canRunAsNobody = process.getuid?.() === 0 && spawnSync("runuser", ["-u", "nobody", "--", "test", "-r", BIN]).status === 0;

afterEach(cleanupMasters);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with an app that reports its worker's environment, working directory and uid. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-gunicorn-options-"));
  dirs.push(dir);
  chmodSync(dir, 0o755); // readable by the unprivileged user of the --user test
  mkdirSync(join(dir, "site"));
  writeFileSync(
    join(dir, "site", "app.mjs"),
    `export default (environ, startResponse) => {
  const body = new TextEncoder().encode(JSON.stringify({ greeting: process.env.GREETING ?? null, cwd: process.cwd(), uid: process.getuid(), gid: process.getgid() }));
  startResponse("200 OK", [["Content-Type", "application/json"], ["Content-Length", String(body.length)]]);
  return [body];
};\n`,
  );
  return dir;
}

async function report(args: string[], cwd: string): Promise<{ greeting: string | null; cwd: string; uid: number; gid: number }> {
  const master = startMaster(["-b", "127.0.0.1:0", ...args], { cwd });
  const response = await httpRequest(`${await master.url()}/`);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as { greeting: string | null; cwd: string; uid: number; gid: number };
}

describe("Gunicorn options", () => {
  it("--chdir changes directory before loading the app (TARGET is read from there) and -e sets variables every worker sees", async () => {
    const dir = project();
    const seen = await report(["--chdir", "site", "-e", "GREETING=hello=world", "-w", "2", "app.mjs"], dir);
    expect(seen.cwd).toBe(join(dir, "site"));
    expect(seen.greeting).toBe("hello=world"); // only the first = separates the name
  });

  it.runIf(canRunAsNobody)("--user runs workers as that user while the master keeps the sockets", async () => {
    const dir = project();
    const seen = await report(["--user", "nobody", join(dir, "site", "app.mjs")], dir);
    expect(seen.uid).toBe(workerCredentials({ user: "nobody", group: null }).uid);
    expect(seen.uid).not.toBe(0);
  });

  it("an unknown --user or --group, or a bad --chdir, is a one-line usage error (exit 2)", async () => {
    const dir = project();
    for (const [args, message] of [
      [["--user", "no-such-user-tsgi"], "no such user: no-such-user-tsgi"],
      [["--chdir", "missing"], "argument --chdir: no such directory"],
      [["-e", "NOEQUALS"], "argument -e/--env: expected KEY=VALUE"],
    ] as const) {
      const master = startMaster([...args, "app.mjs"], { cwd: dir });
      const { code } = await master.exited;
      expect(code).toBe(2);
      expect(master.lines.filter((line) => line.startsWith("tsgi-worker: error:"))).toEqual([expect.stringContaining(message)]);
    }
  });

  it.each([
    [["--daemon"], "does not daemonize, deliberately"],
    [["-D"], "does not daemonize, deliberately"],
    [["-k", "gevent"], "there is one worker class"],
    [["--worker-class", "sync"], "there is one worker class"],
    [["--threads", "4"], "no request threads"],
    [["--woker", "2"], "did you mean --workers?"],
    [["--max-request", "9"], "did you mean --max-requests?"],
  ])("%j says why or suggests the flag meant", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(ConfigError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it.each([
    [{ worker: 2 }, 'unknown setting "worker"', 'did you mean "workers"?'],
    [{ threads: 4 }, 'setting "threads"', "no request threads"],
    [{ daemon: true }, 'setting "daemon"', "does not daemonize"],
    [{ raw_env: ["A=1"], chdir: "." }, undefined, undefined],
  ])("config file %j: typos suggest the right key, absent Gunicorn settings say why", async (content, first, second) => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-gunicorn-config-"));
    dirs.push(dir);
    writeFileSync(join(dir, "c.json"), JSON.stringify(content));
    if (first === undefined) {
      expect((await loadConfigFile("c.json", dir)).values).toEqual({ env: ["A=1"], chdir: "." });
      return;
    }
    const error = await loadConfigFile("c.json", dir).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toContain(first);
    expect(String(error)).toContain(second);
  });
});
