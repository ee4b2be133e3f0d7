/** Child processes and ports for the cluster tests: free ports, waiting for a listener, stopping a process group. */
import type { ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";

/** A port nothing listens on right now (the kernel's pick for port 0, released). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Resolves once `host:port` accepts connections; rejects when `child` exits first. */
export async function waitForPort(port: number, child: ChildProcess, what: string, host = "127.0.0.1"): Promise<void> {
  await waitForListening({ port, host }, child, what);
}

/** Resolves once `target` (a TCP port or a unix socket) accepts connections; rejects when `child` exits first. */
export async function waitForListening(target: { port: number; host: string } | { path: string }, child: ChildProcess, what: string): Promise<void> {
  const where = "path" in target ? target.path : `${target.host}:${target.port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(target);
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${what} did not listen on ${where} within 30 s`);
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", group = true): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((done) => child.once("exit", done));
  try {
    process.kill(group ? -child.pid : child.pid, signal);
  } catch {
    // already gone
  }
  await exited;
}
