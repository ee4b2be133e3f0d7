import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { createServer, connect } from "node:net";

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (polling a connect, bounded by `timeoutMs`). */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/** A server process the suite started, with its output kept for error messages. */
export interface Started {
  child: ChildProcess;
  output(): string;
}

export function startProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (data: Buffer) => {
    output = (output + data.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, output: () => output };
}

/** Stops a started server and everything it spawned (its process group), by pid. */
export async function stopProcess(started: Started): Promise<void> {
  const { child } = started;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid as number;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  // Workers of a master that died first would linger: sweep the group.
  signal("SIGKILL");
}

/** Resident memory of a process tree: total bytes and how many processes hold it. */
export interface TreeMemory {
  bytes: number;
  processes: number;
  /** Resident memory of the root alone (the master, when it has workers). */
  rootBytes: number;
  /** Resident memory of each descendant running the root's program (a master's workers; helpers such as esbuild left out). */
  workerBytes: number[];
}

/** Total resident memory, in bytes, of a process and all its descendants (from /proc). */
export function treeRss(rootPid: number): number {
  return treeMemory(rootPid).bytes;
}

/** Resident memory of a process and all its descendants, and their count (from /proc). */
export function treeMemory(rootPid: number): TreeMemory {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      rss.set(Number(entry), kb * 1024);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      /* process ended while we looked */
    }
  }
  let bytes = 0;
  let processes = 0;
  const workerBytes: number[] = [];
  const rootProgram = program(rootPid);
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop() as number;
    if (rss.has(pid)) {
      processes++;
      if (pid !== rootPid && program(pid) === rootProgram) workerBytes.push(rss.get(pid) as number);
    }
    bytes += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return { bytes, processes, rootBytes: rss.get(rootPid) ?? 0, workerBytes };
}

/** The executable a process runs, or undefined once it is gone. */
function program(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/**
 * Mean RSS of one worker: the root's descendants that run the same program (a
 * master's workers, leaving out the master and helpers such as esbuild), or the
 * root itself when it serves alone.
 *
 * @example
 * rssPerWorker(treeMemory(masterPid)); // bytes held by one worker, on average
 */
export function rssPerWorker(memory: TreeMemory): number {
  if (!memory.workerBytes.length) return memory.rootBytes;
  return memory.workerBytes.reduce((sum, n) => sum + n, 0) / memory.workerBytes.length;
}

/** Samples treeRss every `everyMs` until stopped; returns the peak. */
export function sampleRss(rootPid: number, everyMs = 200): { stop(): number } {
  let peak = treeRss(rootPid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(rootPid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, treeRss(rootPid));
    },
  };
}
