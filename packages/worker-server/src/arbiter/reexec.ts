import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { isAlive } from "tsgi/helpers";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../log/errorLog.js";
import type { Listener } from "./listeners.js";
import type { Pidfile } from "./pidfile.js";
import { SOCKET_ACTIVATED } from "./systemdSockets.js";

/** Descriptors a USR2 successor inherits, from 3 on (Gunicorn's LISTEN_FDS, as systemd passes sockets). */
const LISTEN_FDS = "TSGI_LISTEN_FDS";
/** The `--bind` text of each inherited descriptor, JSON, so the successor matches them to its own binds. */
const LISTEN_BINDS = "TSGI_LISTEN_BINDS";
/** The old master's pid, in a successor that has not been promoted yet (Gunicorn's GUNICORN_PID). */
const MASTER_PID = "TSGI_MASTER_PID";
const FIRST_INHERITED_FD = 3;

/** Sockets inherited from an old master (read once, then removed from the environment so workers do not see them). */
export function inheritedListeners(): Map<string, number> {
  const inherited = new Map<string, number>();
  const fds = process.env[LISTEN_FDS];
  const binds = process.env[LISTEN_BINDS];
  delete process.env[LISTEN_FDS];
  delete process.env[LISTEN_BINDS];
  if (!fds || !binds) return inherited;
  const bindList = JSON.parse(binds) as string[];
  fds.split(",").forEach((fd, index) => {
    const bind = bindList[index];
    if (bind !== undefined) inherited.set(bind, Number(fd));
  });
  return inherited;
}

/**
 * USR2, Gunicorn's binary upgrade: start a new master (same command line, possibly new code
 * or a new Node) that inherits the listening sockets; the pidfile becomes `PIDFILE.oldbin`
 * and the new master writes `PIDFILE.2`, renamed to `PIDFILE` once the old master exits.
 *
 * @example
 * reexec.start({ listeners, pidfile, argv: process.argv.slice(2), cwd: process.cwd() });
 */
export class Reexec {
  private child: ChildProcess | undefined;
  /** The old master, while this process is a successor that has not been promoted yet. */
  private parentPid: number | undefined;

  constructor(private readonly log: Logger) {
    const parent = Number(process.env[MASTER_PID]);
    delete process.env[MASTER_PID];
    if (Number.isInteger(parent) && parent > 0) this.parentPid = parent;
  }

  get hasChild(): boolean {
    return this.child !== undefined;
  }

  get isChildMaster(): boolean {
    return this.parentPid !== undefined;
  }

  start(options: { listeners: readonly Listener[]; pidfile: Pidfile | undefined; argv: readonly string[]; cwd: string; socketActivated?: boolean }): void {
    if (this.child) return this.log.warning("USR2 signal ignored. Child exists.");
    if (this.parentPid !== undefined) return this.log.warning("USR2 signal ignored. Parent exists.");
    const { pidfile } = options;
    const originalPidfile = pidfile?.path;
    if (pidfile) pidfile.rename(`${pidfile.path}.oldbin`);
    const fds = options.listeners.map((listener) => listener.handle.fd);
    const script = process.argv[1] as string;
    const child = spawn(process.execPath, [...process.execArgv, script, ...options.argv], {
      cwd: options.cwd,
      stdio: ["ignore", "inherit", "inherit", ...fds],
      env: {
        ...process.env,
        [LISTEN_FDS]: fds.map((_, index) => FIRST_INHERITED_FD + index).join(","),
        [LISTEN_BINDS]: JSON.stringify(options.listeners.map((listener) => listener.bind)),
        [MASTER_PID]: String(process.pid),
        // systemd's LISTEN_PID cannot name a child before it exists: the successor is told to keep these sockets.
        ...(options.socketActivated ? { [SOCKET_ACTIVATED]: "1" } : {}),
      },
    });
    this.child = child;
    this.log.info(`Started new master (pid: ${child.pid ?? "?"}) for upgrade; send WINCH then TERM to this master (${process.pid}) once it serves`);
    child.on("exit", (code, signal) => {
      this.child = undefined;
      this.log.warning(`New master (pid: ${child.pid ?? "?"}) exited (${signal ?? `code ${code}`}); this master stays in charge`);
      if (pidfile && originalPidfile) pidfile.rename(originalPidfile);
    });
    child.on("error", (error) => this.log.error(`Cannot start new master: ${error.message}`));
  }

  /** In a successor: once the old master is gone, take over the real pidfile name. */
  checkPromotion(pidfile: Pidfile | undefined, settings: Settings): void {
    if (this.parentPid === undefined || isAlive(this.parentPid)) return;
    this.parentPid = undefined;
    // Rename first: whoever reads the log line may read the pidfile at once.
    if (pidfile && settings.pidfile) pidfile.rename(settings.pidfile);
    this.log.info("Master has been promoted.");
  }
}
