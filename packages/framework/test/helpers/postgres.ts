/**
 * A real PostgreSQL server for tests: `initdb` into a temporary folder, started with `pg_ctl`
 * on a free port (its unix socket in the same folder), stopped by pid in teardown. As root the
 * server runs as the `postgres` user (PostgreSQL refuses to run as root). One server per test
 * file; each suite makes its own database with `createDatabase()`.
 *
 * @example
 * let pg: PostgresServer;
 * beforeAll(async () => { pg = await startPostgres(); }, 60_000);
 * afterAll(() => pg?.stop());
 * await connections.override("default", await pg.createDatabase("polls"));
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { DatabaseSettings } from "../../src/db/settings.js";

const run = promisify(execFile);

/** A running test server. */
export interface PostgresServer {
  /** The folder holding the unix socket (the `HOST` to connect with). */
  readonly socketDir: string;
  readonly port: number;
  readonly pid: number;
  /** Creates an empty database and returns its `DATABASES` entry. */
  createDatabase(name: string): Promise<DatabaseSettings>;
  /** Stops the server (SIGINT to the postmaster, waits for it to exit) and deletes its folder. */
  stop(): Promise<void>;
}

/** The folder of Debian's PostgreSQL programs (the newest installed), or undefined. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined {
  return postgresBinDir() === undefined ? "PostgreSQL is not installed (Debian package postgresql)" : undefined;
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

/**
 * Starts a throwaway PostgreSQL server.
 *
 * @example
 * const server = await startPostgres();
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error("PostgreSQL is not installed: apt-get install postgresql");
  const dir = mkdtempSync(join(tmpdir(), "tsgi-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: hand the folder to the postgres user and run its programs as that user.
  const command = (program: string, args: string[]): [string, string[]] => (asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args]);
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const [initdb, initArgs] = command("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  await run(initdb, initArgs);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const [pgCtl, ctlArgs] = command("pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", join(dir, "server.log"), "-o", options]);
  try {
    await run(pgCtl, ctlArgs);
  } catch (error) {
    const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8") : "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${String(error)}\n${log}`);
  }
  const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);

  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ host: dir, port, user: "postgres", database: "postgres" });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  return {
    socketDir: dir,
    port,
    pid,
    async createDatabase(name) {
      await admin(`create database "${name}"`);
      return { ENGINE: "postgresql", NAME: name, USER: "postgres", HOST: dir, PORT: port };
    },
    async stop() {
      try {
        process.kill(pid, "SIGINT"); // fast shutdown: ends sessions, no waiting for clients
      } catch {
        // already gone
      }
      for (let i = 0; i < 600 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
