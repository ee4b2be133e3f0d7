import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCliArguments } from "../src/cli/options.js";
import { runCli } from "../src/cli/run.js";
import { EXIT_CODES } from "../src/errors.js";
import { PROCESS_TEST_TIMEOUT_MS, killAllDevProcesses, spawnDevProcess, startDevServer } from "./helpers/dev-process.js";
import { createTempProject, textApp } from "./helpers/temp-project.js";
import type { TempProject } from "./helpers/temp-project.js";

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real tsgi-dev bin to completion. */
async function runProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const dev = spawnDevProcess(args, { cwd, env });
  const code = await dev.exited;
  return { code, stderr: dev.stderr(), stdout: dev.stdout() };
}

/** Runs the CLI in this process (same code as the bin, output captured): for start-up errors, which return at once. */
async function runInProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const code = await runCli({
    argv: args,
    env: { NO_COLOR: "1", ...env },
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    onSignal: () => {},
  });
  return { code, stdout, stderr };
}

describe("tsgi-dev start-up errors: one clear line and a distinct exit code", () => {
  let project: TempProject;
  let blocker: Server;
  let busyPort: number;

  beforeAll(async () => {
    project = createTempProject({
      "app.ts": textApp("hello"),
      "config.ts": "export const settings = { debug: true };\nexport const answer = 42;\n",
      "broken.ts": "export const app = (;\n",
    });
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    busyPort = (blocker.address() as AddressInfo).port;
  });
  afterEach(killAllDevProcesses);
  afterAll(async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    project.remove();
  });

  describe("through the real bin (exit codes, autoreload's supervisor and app process)", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
    it("reports a busy port", async () => {
      const result = await runProcess(["--port", String(busyPort), "app.ts:app"], project.dir);
      expect(result.code).toBe(EXIT_CODES.cannotBind);
      expect(result.stderr.trim()).toBe(`tsgi-dev: cannot bind 127.0.0.1:${busyPort}: address in use (another server is using it: stop it, or pick another port with --port ${busyPort + 1} or PORT=${busyPort + 1})`);
    });

    it("reports a missing export found by the app process, listing the exports there are", async () => {
      const result = await runProcess(["--port", "0", "config.ts:application"], project.dir);
      expect(result.code).toBe(EXIT_CODES.exportNotFound);
      expect(result.stderr.trim()).toBe('tsgi-dev: config.ts has no export named "application" (exports: answer, settings)');
    });

    it("reports an app that fails to load under --no-reload (where nothing can recover it)", async () => {
      const result = await runProcess(["--no-reload", "--port", "0", "broken.ts:app"], project.dir);
      expect(result.code).toBe(EXIT_CODES.appLoadFailed);
      // Led by the message, then where it is and the code, as under autoreload; esbuild's own frames left out.
      expect(result.stderr).toMatch(/^tsgi-dev: cannot load broken\.ts: [^\n]+\nIn your code at \S*broken\.ts:1:\d+ \(syntax error\)\n  > 1 \| /);
      expect(result.stderr).not.toContain("Transform failed");
      expect(result.stderr).not.toContain("failureErrorWithLog");
    });

    it("rejects bad arguments with a usage error (every case is in options.test.ts)", async () => {
      const result = await runProcess(["--frobnicate", "app.ts"], project.dir);
      expect(result.code).toBe(EXIT_CODES.usage);
      expect(result.stderr.trim()).toBe("tsgi-dev: unknown option '--frobnicate' (see tsgi-dev --help)");
    });
  });

  describe("through runCli in this process", () => {
    it("reports a busy port with --no-reload", async () => {
      const result = await runInProcess(["--no-reload", "--port", String(busyPort), "app.ts:app"], project.dir);
      expect(result.code).toBe(EXIT_CODES.cannotBind);
      expect(result.stderr).toBe(`tsgi-dev: cannot bind 127.0.0.1:${busyPort}: address in use (another server is using it: stop it, or pick another port with --port ${busyPort + 1} or PORT=${busyPort + 1})\n`);
    });

    it("a port chosen with PORT never moves on, and an empty PORT counts as unset", async () => {
      const chosen = await runInProcess(["--no-reload", "app.ts:app"], project.dir, { PORT: String(busyPort) });
      expect(chosen.code).toBe(EXIT_CODES.cannotBind);
      expect(chosen.stderr).toContain(`cannot bind 127.0.0.1:${busyPort}: address in use`);
      const empty = parseCliArguments(["app.ts:app"], { PORT: "", HOST: "" }, project.dir);
      expect(empty.kind === "serve" && [empty.options.port, empty.options.portExplicit, empty.options.host]).toEqual([8000, false, "127.0.0.1"]);
    });

    it("reports a TARGET module that does not exist, with or without autoreload", async () => {
      for (const flags of [[], ["--no-reload"]]) {
        const result = await runInProcess([...flags, "--port", "0", "missing/app.ts:app"], project.dir);
        expect(result.code).toBe(EXIT_CODES.targetNotFound);
        expect(result.stderr).toBe(`tsgi-dev: cannot find module missing/app.ts (TARGET is path/to/module[:export]; there is no file ${project.path("missing/app.ts")})\n`);
      }
    });

    it("reports a missing export with --no-reload", async () => {
      const result = await runInProcess(["--no-reload", "--port", "0", "config.ts"], project.dir);
      expect(result.code).toBe(EXIT_CODES.exportNotFound);
      expect(result.stderr).toBe('tsgi-dev: config.ts has no export named "default" (exports: answer, settings)\n');
    });

    it("reports an export that is not an app", async () => {
      const result = await runInProcess(["--no-reload", "--port", "0", "config.ts:answer"], project.dir);
      expect(result.code).toBe(EXIT_CODES.notAnApplication);
      expect(result.stderr).toMatch(/^tsgi-dev: config\.ts:answer is not a TSGI application \(got a number;/);
    });

    it("rejects an invalid PORT environment variable, naming it", async () => {
      const result = await runInProcess(["app.ts:app"], project.dir, { PORT: "eighty" });
      expect(result.code).toBe(EXIT_CODES.usage);
      expect(result.stderr).toBe('tsgi-dev: invalid PORT "eighty" (expected an integer from 0 to 65535)\n');
    });

    it("prints usage for --help and the version for --version", async () => {
      const help = await runInProcess(["--help"], project.dir);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("Usage: tsgi-dev [options] TARGET");
      expect(help.stdout).toContain("--static PREFIX=DIR");
      const version = await runInProcess(["--version"], project.dir);
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    });
  });
})

describe("tsgi-dev on a taken default port (as Vite): moves on when no port was chosen", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let project: TempProject;
  let blocker: Server | undefined;
  beforeAll(async () => {
    project = createTempProject({ "app.ts": textApp("hello") });
    // Take 8000 if it is free; if something else already has it, the case under test holds all the same.
    const server = createServer();
    blocker = await new Promise<Server | undefined>((resolve) => {
      server.once("error", () => resolve(undefined));
      server.listen(8000, "127.0.0.1", () => resolve(server));
    });
  });
  afterEach(killAllDevProcesses);
  afterAll(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    project.remove();
  });

  it("says the port is in use and listens on the next free one", async () => {
    const dev = await startDevServer(["app.ts:app"], { cwd: project.dir, env: { PORT: "", HOST: "" } });
    expect(dev.stdout()).toContain("Port 8000 is in use, trying another one...");
    expect(Number(new URL(dev.url).port)).toBeGreaterThan(8000);
    expect(await (await fetch(dev.url)).text()).toMatch(/^hello/);
  });
});
