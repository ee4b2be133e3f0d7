/**
 * systemd socket activation without systemd: a python3 launcher does what systemd does for a
 * `.socket` unit (bind, listen, pass the socket as fd 3 with LISTEN_FDS/LISTEN_PID) and then execs
 * the real `tsgi-worker` (exec keeps the pid, as systemd's fork+exec), so LISTEN_PID names the master.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { APP, BIN, cleanupMasters, startMaster } from "./fixtures/master.js";
import type { MasterProcess } from "./fixtures/master.js";

afterEach(cleanupMasters);

// argv: pid-mode ("self" or "other"), then the command to exec. Prints the bound port first.
const LAUNCHER = `
import os, socket, sys
mode, command = sys.argv[1], sys.argv[2:]
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print("launcher port: %d" % sock.getsockname()[1], flush=True)
if sock.fileno() != 3:
    os.dup2(sock.fileno(), 3)
os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_FDNAMES"] = "http"
os.environ["LISTEN_PID"] = str(os.getpid() if mode == "self" else os.getppid())
os.execv(command[0], command)
`;

/** Starts `python3 -c LAUNCHER mode node tsgi-worker args...`; after the exec its pid is the master's. */
function launch(mode: "self" | "other", args: string[]): MasterProcess {
  return startMaster([LAUNCHER, mode, process.execPath, BIN, ...args], { node: "python3", bin: "-c" });
}

async function launcherPort(master: MasterProcess): Promise<number> {
  return Number((await master.waitFor(/launcher port: (\d+)/))[1]);
}

/** The environment a process was exec'd with, from /proc. */
function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
}

describe("systemd socket activation (LISTEN_FDS / LISTEN_PID)", () => {
  it("serves on the passed fd 3 (no -b), logs its address, and hides LISTEN_* from the workers", async () => {
    const master = launch("self", ["-w", "2", APP]);
    const port = await launcherPort(master);
    await master.waitFor(/Using 1 socket\(s\) from systemd socket activation \(LISTEN_FDS, fd 3\)/);
    const url = await master.url();
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await master.waitForCount(/Worker ready/, 2);
    const response = await httpRequest(`http://127.0.0.1:${port}/env`);
    expect(response.status).toBe(200);
    expect(master.bootedPids()).toContain((JSON.parse(response.body) as { pid: number }).pid);
    expect(master.count(/Listening at:/)).toBe(1);
    // The exec'd master's own /proc environ still shows what the launcher set; the workers' must not.
    for (const pid of master.bootedPids()) {
      expect(environOf(pid).filter((entry) => /^LISTEN_(PID|FDS|FDNAMES)=/.test(entry))).toEqual([]);
    }
  }, 120_000);

  it("ignores a LISTEN_PID naming another process and binds -b instead", async () => {
    const master = launch("other", ["-w", "1", "-b", "127.0.0.1:0", APP]);
    const port = await launcherPort(master);
    const url = await master.url();
    expect(master.output).not.toMatch(/socket activation/);
    expect(new URL(url).port).not.toBe(String(port));
    await master.waitForCount(/Worker ready/, 1);
    expect((await httpRequest(`${url}/`)).status).toBe(200);
    for (const pid of master.bootedPids()) {
      expect(environOf(pid).filter((entry) => /^LISTEN_(PID|FDS|FDNAMES)=/.test(entry))).toEqual([]);
    }
  }, 120_000);

  it("USR2: the new master keeps systemd's socket (not -b) and serves on the same port", async () => {
    const master = launch("self", ["-w", "1", "-b", "127.0.0.1:0", APP]);
    const port = await launcherPort(master);
    await master.waitForCount(/Worker ready/, 1);
    const from = master.lines.length;
    master.signal("SIGUSR2");
    await master.waitFor(/systemd socket\(s\) inherited from the old master \(fd 3\)/, from);
    const successorUrl = (await master.waitFor(/Listening at: (http\S+)/, from))[1];
    expect(successorUrl).toBe(`http://127.0.0.1:${port}`);
    await master.waitForCount(/Worker ready/, 2);
    master.signal("SIGTERM");
    await master.processExited;
    // Only the successor's worker is left to answer on systemd's socket.
    const response = await httpRequest(`http://127.0.0.1:${port}/env`);
    expect(response.status).toBe(200);
    const successorWorker = master.bootedPids()[1];
    expect((JSON.parse(response.body) as { pid: number }).pid).toBe(successorWorker);
  }, 120_000);
});
