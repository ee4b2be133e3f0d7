/**
 * The chat page in a real browser (Debian's Chromium through playwright-core) under tsgi-worker:
 * two pages in the room deliver to each other, then a HUP to the master replaces the worker; the
 * old worker drains for `--graceful-timeout`, closes the open sockets with 1001 (going away), and
 * the pages reconnect to the new worker and still deliver. One worker (`-w 1`) because the demo's
 * default channel layer is in-process: two pages on two workers would not see each other.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, openChat, say, waitForLine } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_DIR, WORKSPACE } from "./swap/servers.js";

let browser: Browser;
let worker: ChildProcess | undefined;
let output = "";
const work = mkdtempSync(join(tmpdir(), "tsgi-demo-chat-worker-"));

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const exited = new Promise((resolve) => worker?.once("exit", resolve));
    worker.kill("SIGTERM");
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

/** Resolves with the first match of `pattern` in the server's output so far or to come. */
function seen(pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output);
      if (!match) return;
      worker?.stdout?.off("data", check);
      worker?.stderr?.off("data", check);
      worker?.off("exit", exited);
      resolve(match);
    };
    const exited = (code: number | null) => reject(new Error(`tsgi-worker exited (${code}) before ${pattern}:\n${output}`));
    worker?.stdout?.on("data", check);
    worker?.stderr?.on("data", check);
    worker?.once("exit", exited);
    check();
  });
}




describe("the chat page across a tsgi-worker HUP", { timeout: 180_000 }, () => {
  it("closes the open sockets with 1001 after the graceful timeout; the pages reconnect to the new worker and still deliver", async () => {
    worker = spawn(
      process.execPath,
      [join(WORKSPACE, "packages/worker-server/bin/tsgi-worker.js"), "-w", "1", "--graceful-timeout", "2", "-b", "127.0.0.1:0", `${join(DEMO_DIR, "src/tsgi.ts")}:application`],
      { cwd: work, env: { ...process.env, DEMO_DATA_DIR: join(work, "data"), NO_COLOR: "1", DEBUG: "0" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    worker.stdout?.on("data", (data: Buffer) => (output += data.toString()));
    worker.stderr?.on("data", (data: Buffer) => (output += data.toString()));
    const url = (await seen(/Listening at: (http:\/\/127\.0\.0\.1:\d+)/))[1] as string;
    const firstPid = (await seen(/Worker ready \(pid: (\d+)\)/))[1] as string;

    const alice = await openChat(browser, url, "Alice", 60_000);
    const bob = await openChat(browser, url, "Bob", 60_000);
    await say(alice, "before the HUP");
    await waitForLine(bob, "Alice", "before the HUP");

    // HUP: the master boots a replacement, then the old worker drains with both sockets open and,
    // once the 2 s graceful timeout is up, closes them with 1001 and exits.
    const goingAway = Promise.all([alice, bob].map((page) => page.waitForSelector('#chat-status[data-last-close="1001"]', { state: "attached", timeout: 60_000 })));
    const draining = seen(new RegExp(`Worker draining \\(pid: ${firstPid}\\): \\d+ request\\(s\\) in flight \\((\\d+) WebSocket\\(s\\)\\)`));
    const oldExited = seen(new RegExp(`Worker exiting \\(pid: ${firstPid}\\)`));
    process.kill(worker.pid as number, "SIGHUP");
    const secondPid = (await seen(new RegExp(`Worker ready \\(pid: (?!${firstPid}\\))(\\d+)\\)`)))[1] as string;
    expect(secondPid).not.toBe(firstPid);
    expect((await draining)[1]).toBe("2");
    await goingAway;
    await oldExited;
    // With one worker slot and the old worker gone, the reopened sockets are the new worker's.
    await Promise.all([alice, bob].map((page) => page.waitForSelector('#chat-status[data-state="open"]', { timeout: 60_000 })));

    await say(bob, "after the HUP");
    await waitForLine(alice, "Bob", "after the HUP");
    await waitForLine(bob, "Bob", "after the HUP");
    expect(worker.exitCode).toBeNull();
    await Promise.all([alice.close(), bob.close()]);
  });
});
