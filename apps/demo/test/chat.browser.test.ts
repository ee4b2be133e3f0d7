/**
 * The chat page in a real browser (Debian's Chromium through playwright-core): two pages in the
 * room, a message typed in one shows in both over the WebSocket; then, under tsgi-dev, a reload
 * closes the sockets with 1012, the pages reconnect to the new app process and still deliver.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, openChat, say, waitForLine } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startDemo, type DemoSite } from "./helpers/site.js";
import { DEMO_DIR, WORKSPACE } from "./swap/servers.js";

let site: DemoSite;
let browser: Browser;
beforeAll(async () => {
  site = await startDemo();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});




describe("the chat page in Chromium", { timeout: 120_000 }, () => {
  it("delivers a message typed in one page to every page in the room, as text not HTML", async () => {
    const alice = await openChat(browser, site.url, "Alice");
    const bob = await openChat(browser, site.url, "Bob");
    await say(alice, "hello <b>Bob</b>");
    await waitForLine(bob, "Alice", "hello <b>Bob</b>");
    await waitForLine(alice, "Alice", "hello <b>Bob</b>");
    expect(await bob.locator("#chat-log b").count()).toBe(0);
    await say(bob, "hi Alice");
    await waitForLine(alice, "Bob", "hi Alice");
    await Promise.all([alice.close(), bob.close()]);
  });

  it("names a logged-in user's messages by their username and a guest's by the guestbook name in the session", async () => {
    const member = await browser.newPage();
    await member.goto(`${site.url}/accounts/signup/`);
    await member.getByLabel("Username:").fill("chat-member");
    await member.getByLabel("Password:", { exact: true }).fill("a-Long-chat-pass-71");
    await member.getByLabel("Password confirmation:").fill("a-Long-chat-pass-71");
    await member.getByRole("button", { name: "Sign up" }).click();
    await member.waitForSelector(".account .username");
    await member.goto(`${site.url}/chat/`);
    await member.waitForSelector('#chat-status[data-state="open"]');
    expect(await member.getByLabel("Name").inputValue()).toBe("chat-member");

    const guest = await browser.newPage();
    await guest.goto(`${site.url}/`);
    await guest.getByLabel("Name").fill("Gina");
    await guest.getByLabel("Message").fill("signing before chatting");
    await guest.getByRole("button", { name: "Sign" }).click();
    await guest.waitForSelector(".message.success");
    await guest.goto(`${site.url}/chat/`);
    await guest.waitForSelector('#chat-status[data-state="open"]');

    // The server names the member, whatever name the page sends (the field made editable by hand).
    await member.evaluate(() => document.getElementById("chat-name")?.removeAttribute("readonly"));
    await member.getByLabel("Name").fill("Impostor");
    await say(member, "spoofed?");
    await waitForLine(guest, "chat-member", "spoofed?");
    // A guest with an empty name field speaks under the name their session remembers from the guestbook.
    await guest.getByLabel("Name").fill("");
    await say(guest, "named by my session");
    await waitForLine(member, "Gina", "named by my session");
    expect(await member.locator("#chat-log li", { hasText: "Impostor" }).count()).toBe(0);
    await Promise.all([member.close(), guest.close()]);
  });

  it("answers a bad message with an error to its sender only, and refuses a cross-site page's socket", async () => {
    const wsUrl = `${site.url.replace("http", "ws")}/ws/chat/`;
    const client = new WebSocket(wsUrl);
    client.on("error", () => undefined);
    await new Promise((resolve) => client.once("open", resolve));
    const answer = new Promise<string>((resolve) => client.once("message", (data: Buffer) => resolve(data.toString())));
    client.send(JSON.stringify({ name: "x", text: "y".repeat(501) }));
    expect(JSON.parse(await answer)).toEqual({ error: "a message has at most 500 characters" });
    const closed = new Promise<number>((resolve) => client.once("close", (code: number) => resolve(code)));
    client.send("not json");
    expect(await closed).toBe(1007);

    const evil = new WebSocket(wsUrl, { origin: "https://evil.test" });
    evil.on("error", () => undefined);
    const status = await new Promise<number>((resolve) => evil.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });
});

describe("the chat page across a tsgi-dev reload", { timeout: 180_000 }, () => {
  let dev: ChildProcess | undefined;
  let output = "";
  const work = mkdtempSync(join(tmpdir(), "tsgi-demo-chat-dev-"));
  afterAll(async () => {
    if (dev && dev.exitCode === null && dev.signalCode === null) {
      const exited = new Promise((resolve) => dev?.once("exit", resolve));
      dev.kill("SIGTERM");
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("reconnects on 1012 and still delivers", async () => {
    // tsgi-dev runs in a scratch folder and watches a file there (`--watch`), so the test restarts
    // the app by writing that file rather than touching the demo's sources others may be serving.
    writeFileSync(join(work, "restart.txt"), "0");
    dev = spawn(process.execPath, [join(WORKSPACE, "packages/dev-server/bin/tsgi-dev.js"), "--host", "127.0.0.1", "--port", "0", "--watch", "restart.txt", `${join(DEMO_DIR, "src/tsgi.ts")}:application`], {
      cwd: work,
      env: { ...process.env, DEMO_DATA_DIR: join(work, "data"), NO_COLOR: "1", DEBUG: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const seen = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            dev?.stdout?.off("data", check);
            dev?.stderr?.off("data", check);
            resolve(match);
          }
        };
        dev?.stdout?.on("data", check);
        dev?.stderr?.on("data", check);
        dev?.once("exit", (code) => reject(new Error(`tsgi-dev exited (${code}):\n${output}`)));
        check();
      });
    dev.stdout?.on("data", (data: Buffer) => (output += data.toString()));
    dev.stderr?.on("data", (data: Buffer) => (output += data.toString()));
    const url = (await seen(/Listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] as string;

    const alice = await openChat(browser, url, "Alice");
    const bob = await openChat(browser, url, "Bob");
    await say(alice, "before the reload");
    await waitForLine(bob, "Alice", "before the reload");

    // Both pages see their socket closed with 1012, then open again on the new app process.
    const restarted = Promise.all([alice, bob].map((page) => page.waitForSelector('#chat-status[data-last-close="1012"]', { state: "attached", timeout: 60_000 })));
    const reloaded = seen(/reloaded in/);
    writeFileSync(join(work, "restart.txt"), "1");
    await reloaded;
    await restarted;
    await Promise.all([alice, bob].map((page) => page.waitForSelector('#chat-status[data-state="open"]', { timeout: 60_000 })));

    await say(bob, "after the reload");
    await waitForLine(alice, "Bob", "after the reload");
    await Promise.all([alice.close(), bob.close()]);
  });
});
