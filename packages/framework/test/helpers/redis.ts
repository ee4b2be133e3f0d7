/**
 * A real Redis server for tests: `redis-server` with its own config file in a temporary folder,
 * on a free port, in the foreground (`daemonize no`) as a child process, stopped by pid in
 * teardown. `stop()` and `start()` again (same port) let a test take Redis away and bring it back.
 *
 * @example
 * let redis: RedisServer;
 * beforeAll(async () => { redis = await startRedis(); }, 30_000);
 * afterAll(() => redis?.stop({ remove: true }));
 * new RedisCache({ LOCATION: redis.url });
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running (or stopped, restartable) test server. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>/0` */
  readonly url: string;
  /** The server's unix socket too (reachable from another network namespace): `unix://<dir>/redis.sock`. */
  readonly socketUrl: string;
  readonly dir: string;
  /** The server's pid while it runs. */
  readonly pid: number | undefined;
  /** Starts it again on the same port (after `stop()`). */
  start(): Promise<void>;
  /** SIGTERM, waits for exit; `remove` also deletes its folder (teardown). */
  stop(options?: { remove?: boolean }): Promise<void>;
}

/** Why Redis tests cannot run here, or undefined when they can. */
export function redisUnavailable(): string | undefined {
  return spawnSync("redis-server", ["--version"]).status === 0 ? undefined : "redis-server is not installed (Debian package redis-server)";
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) {
        socket.destroy();
        resolve(reply.startsWith("+PONG"));
      }
    });
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(reply.startsWith("+PONG")));
  });
}

/**
 * Starts a throwaway Redis server.
 *
 * @example
 * const redis = await startRedis();
 */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-redis-"));
  const port = await freePort();
  const config = join(dir, "redis.conf");
  writeFileSync(
    config,
    [`port ${port}`, "bind 127.0.0.1", `unixsocket ${join(dir, "redis.sock")}`, "unixsocketperm 700", "daemonize no", `dir ${dir}`, 'save ""', "appendonly no", "protected-mode yes", "loglevel warning", `logfile ${join(dir, "redis.log")}`, ""].join("\n"),
  );
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const proc = spawn("redis-server", [config], { stdio: "ignore" });
    child = proc;
    const exited = new Promise<never>((_, reject) => proc.once("exit", (code) => reject(new Error(`redis-server exited with ${code}; see ${dir}/redis.log`))));
    exited.catch(() => {});
    for (let i = 0; i < 300; i++) {
      if (await Promise.race([answersPing(port), exited])) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${port} did not answer PING within 15 s`);
  };

  const stop = async (options: { remove?: boolean } = {}): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc !== undefined && proc.exitCode === null && proc.signalCode === null) {
      const gone = new Promise((resolve) => proc.once("exit", resolve));
      proc.kill("SIGTERM");
      await gone;
    }
    if (options.remove) rmSync(dir, { recursive: true, force: true });
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    socketUrl: `unix://${join(dir, "redis.sock")}`,
    dir,
    get pid() {
      return child?.pid;
    },
    start,
    stop,
  };
}
