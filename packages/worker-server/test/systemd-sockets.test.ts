/**
 * systemd socket activation without systemd: a python3 launcher does what systemd does for a
 * `.socket` unit (bind, listen, pass the socket as fd 3 with LISTEN_FDS/LISTEN_PID) and then execs
 * the real `tsgi-worker` (exec keeps the pid, as systemd's fork+exec), so LISTEN_PID names the master.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { APP, BIN, cleanupMasters, startMaster } from "./fixtures/master.js";
import type { MasterProcess } from "./fixtures/master.js";

afterEach(cleanupMasters);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** One HTTP/1.1 request over a unix socket; the whole response as text. */
function unixRequest(path: string, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
    socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  });
}

// argv: "self" / "other" (whose pid LISTEN_PID names) or "unix:PATH" (self, a unix socket), then the
// command to exec. Prints the bound port first.
const LAUNCHER = `
import os, socket, sys
mode, command = sys.argv[1], sys.argv[2:]
if mode.startswith("unix:"):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(mode[5:])
    sock.listen(128)
else:
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
os.environ["LISTEN_PID"] = str(os.getppid() if mode == "other" else os.getpid())
os.execv(command[0], command)
`;

/** Starts `python3 -c LAUNCHER mode node tsgi-worker args...`; after the exec its pid is the master's. */
function launch(mode: "self" | "other" | `unix:${string}`, args: string[]): MasterProcess {
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

  it("a passed unix socket: served, and logged by its path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-systemd-"));
    dirs.push(dir);
    const path = join(dir, "site.sock");
    const master = launch(`unix:${path}`, ["-w", "1", APP]);
    await master.waitFor(/Using 1 socket\(s\) from systemd socket activation/);
    expect((await master.waitFor(/Listening at: (\S+)/))[1]).toBe(`unix:${path}`);
    await master.waitForCount(/Worker ready/, 1);
    const response = await unixRequest(path, "/env");
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain(`"pid":${master.bootedPids()[0]}`);
  }, 120_000);

  it("refuses --reuse-port with activated sockets, with an error naming the fix", async () => {
    const master = launch("self", ["--reuse-port", APP]);
    const { code } = await master.exited;
    expect(code).not.toBe(0);
    expect(master.output).toMatch(/--reuse-port cannot be used with systemd socket activation \(LISTEN_FDS\): drop --reuse-port/);
    expect(master.output).not.toMatch(/Listening at:/);
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
