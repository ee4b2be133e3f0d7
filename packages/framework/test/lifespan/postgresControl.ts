/**
 * Stopping and starting the test PostgreSQL server of test/helpers/postgres.ts with `pg_ctl`
 * (its data folder is `<socketDir>/data`), as the postgres user when run as root, to make the
 * database unreachable and bring it back; and a role that must give its password over TCP.
 *
 * @example
 * const control = new PostgresControl(server);
 * await control.stop();   // connections now fail (ENOENT on the socket, ECONNREFUSED over TCP)
 * await control.start();  // same port and socket folder
 * await control.teardown(); // in afterAll, before server.stop()
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { postgresBinDir, type PostgresServer } from "../helpers/postgres.js";

export class PostgresControl {
  constructor(readonly server: PostgresServer) {}

  get #data(): string {
    return join(this.server.socketDir, "data");
  }

  /** `pg_ctl stop -m MODE` (fast ends every session at once; smart waits for them, refusing new ones meanwhile). */
  async stop(mode: "fast" | "smart" = "fast", wait = true): Promise<void> {
    await this.#pgCtl(["stop", "-m", mode, wait ? "-w" : "-W"]);
  }

  /** `pg_ctl start` with the options test/helpers/postgres.ts started it with (same port and socket folder). */
  async start(): Promise<void> {
    const { socketDir, port } = this.server;
    const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await this.#pgCtl(["start", "-w", "-l", join(socketDir, "server.log"), "-o", options]);
  }

  /** The running postmaster's pid, or undefined while it is stopped. */
  pid(): number | undefined {
    const file = join(this.#data, "postmaster.pid");
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  /**
   * Creates `role` with `password` and makes the server ask for it over TCP (scram-sha-256 in
   * pg_hba.conf ahead of the test server's `trust` lines); returns its DATABASES entry for `database`.
   */
  async passwordRole(role: string, password: string, database: string): Promise<{ ENGINE: "postgresql"; NAME: string; USER: string; PASSWORD: string; HOST: string; PORT: number }> {
    await this.admin(`create role "${role}" login password '${password}'`);
    const hba = join(this.#data, "pg_hba.conf");
    writeFileSync(hba, `host all ${role} 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, "utf8")}`);
    await this.admin("select pg_reload_conf()");
    return { ENGINE: "postgresql", NAME: database, USER: role, PASSWORD: password, HOST: "127.0.0.1", PORT: this.server.port };
  }

  /** Runs one statement as the superuser over the unix socket. */
  async admin(statement: string): Promise<void> {
    const client = new pg.Client({ host: this.server.socketDir, port: this.server.port, user: "postgres", database: "postgres" });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }

  /** A restarted server has a new pid the helper does not know: stop it here, by the pid it wrote. */
  async teardown(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined || pid === this.server.pid) return;
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 600 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async #pgCtl(args: string[]): Promise<void> {
    const bin = join(postgresBinDir() as string, "pg_ctl");
    const full = [...args, "-t", "60", "-D", this.#data];
    const [command, commandArgs] = process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", bin, ...full]] : [bin, full];
    const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once("close", done));
    if (code !== 0) throw new Error(`pg_ctl ${args.join(" ")} failed (${code}): ${output}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
