import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The `tsgi-dev` bin, run the way a user runs it. */
export const BIN = fileURLToPath(new URL("../../bin/tsgi-dev.js", import.meta.url));

/** A running `tsgi-dev` process with its output collected. */
export interface DevProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output once `pattern` appears in stdout+stderr after `fromLength` characters. */
  waitForOutput(pattern: RegExp, fromLength?: number): Promise<string>;
  /** Total characters of output so far (pass to waitForOutput to wait for new lines only). */
  outputLength(): number;
  /** Sends `signal` and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Timeout for tests and hooks that start tsgi-dev processes (several reloads on a busy 2-core machine). */
export const PROCESS_TEST_TIMEOUT_MS = 180_000;

const running = new Set<ChildProcess>();
// Generous: a reload on a 2-core machine shared with other test runs can take seconds.
const OUTPUT_TIMEOUT_MS = 90_000;

/** Spawns tsgi-dev and resolves once its banner shows the URL. */
export async function startDevServer(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<DevProcess> {
  const dev = spawnDevProcess(args, options);
  const banner = await dev.waitForOutput(/Listening on (http:\/\/\S+)/);
  const url = /Listening on (http:\/\/\S+)/.exec(banner)?.[1] ?? "";
  return { ...dev, url };
}

/** Spawns tsgi-dev without waiting for anything (for start-up errors). */
export function spawnDevProcess(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Omit<DevProcess, "url"> & { url?: string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let combined = "";
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
    combined += text;
    for (const listener of listeners) listener();
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
    combined += text;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
      for (const listener of listeners) listener();
    });
  });
  const waitForOutput = (pattern: RegExp, fromLength = 0): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(combined.slice(fromLength));
        if (match) {
          cleanup();
          resolve(combined.slice(fromLength));
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          reject(new Error(`tsgi-dev exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}; output:\n${combined}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${combined}`));
      }, OUTPUT_TIMEOUT_MS);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    outputLength: () => combined.length,
    waitForOutput,
    exited,
    async stop(signal = "SIGINT") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Kills every tsgi-dev process a test left running (call in afterEach). */
export async function killAllDevProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A zombie (exited, not yet reaped by whoever adopted it after its parent left) counts as gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.charAt(stat.lastIndexOf(")") + 2) !== "Z";
  } catch {
    return false;
  }
}
