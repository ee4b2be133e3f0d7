import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isAlive } from "tsgi/helpers";

/** Another live master already owns the pidfile, or it cannot be written. */
export class PidfileError extends Error {
  override readonly name = "PidfileError";
}

/**
 * The master's `--pid` file (Gunicorn's Pidfile): refuses to overwrite a live master's,
 * is renamed during a USR2 upgrade, and is removed on exit only if it is still ours.
 *
 * @example
 * const pidfile = Pidfile.create("/run/app.pid", process.pid);
 * pidfile.unlink();
 */
export class Pidfile {
  private constructor(public path: string, private readonly pid: number) {}

  static create(path: string, pid: number): Pidfile {
    const absolute = resolve(path);
    const existing = Pidfile.read(absolute);
    if (existing !== undefined && existing !== pid && isAlive(existing)) {
      throw new PidfileError(`Already running on PID ${existing} (or pid file '${absolute}' is stale)`);
    }
    try {
      writeFileSync(absolute, `${pid}\n`);
    } catch (error) {
      throw new PidfileError(`cannot write pid file ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)} (check --pid: its folder must exist and be writable)`);
    }
    return new Pidfile(absolute, pid);
  }

  /** The pid in `path`, if it holds one. */
  static read(path: string): number | undefined {
    try {
      const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  rename(path: string): void {
    const absolute = resolve(path);
    renameSync(this.path, absolute);
    this.path = absolute;
  }

  unlink(): void {
    try {
      if (Pidfile.read(this.path) === this.pid) unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}
