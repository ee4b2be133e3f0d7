import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const WORKSPACE = resolve(PACKAGE_DIR, "../..");
export const CLI = join(PACKAGE_DIR, "bin/create-tsgi-app.js");

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "create-tsgi-app-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Runs the real CLI as a child process with no terminal attached. It is launched
 * as `pnpm create` would (the user agent decides the default package manager),
 * whatever runs the tests (npx sets an npm one).
 */
export function runCli(args: string[], cwd: string, userAgent = "pnpm/10.0.0 npm/? node/v22.0.0 linux x64") {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "1", npm_config_user_agent: userAgent } });
}

/** `pnpm <args>` in a folder, failing loudly with its output. */
export function pnpm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync("pnpm", args, { cwd, encoding: "utf8", env: { ...process.env, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0", ...env } });
  if (result.status !== 0) throw new Error(`pnpm ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** A long-running script started in its own process group, and the URL it announces. */
export interface RunningScript {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `pnpm <script>` and waits for an http://host:port URL in its output. */
export function startScript(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<RunningScript> {
  const child = spawn("pnpm", [script], { cwd, env: { ...process.env, ...env }, detached: true });
  let output = "";
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      return;
    }
    await exited;
  };
  return new Promise((resolvePromise, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /http:\/\/(?:127\.0\.0\.1|0\.0\.0\.0|localhost):(\d+)/.exec(output);
      if (match) {
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
        resolvePromise({ child, url: `http://127.0.0.1:${match[1]}`, output: () => output, stop });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`pnpm ${script} exited (${code}) before announcing a URL:\n${output}`)));
  });
}
