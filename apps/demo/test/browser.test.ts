/**
 * End to end in a real browser (Debian's Chromium through playwright-core):
 * a person fills in the guestbook form, submits it and sees the new entry.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { launchChromium } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type DemoSite } from "./helpers/site.js";

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), "../test-artifacts");

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

describe("the guestbook in Chromium", () => {
  it("shows a validation error, then the new entry after a valid submit", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/`);
    await expect(page.getByRole("heading", { name: "Sign the guestbook" }).isVisible()).resolves.toBe(true);

    await page.getByLabel("Name").fill("Chromium");
    await page.getByRole("button", { name: "Sign" }).click();
    await page.waitForSelector("#message-error");
    expect(await page.locator("#message-error").textContent()).toBe("Write a message.");

    await page.getByLabel("Message").fill("Signed by a real browser <b>not bold</b>");
    await page.getByRole("button", { name: "Sign" }).click();
    await page.waitForSelector(".message.success");
    expect(await page.locator(".message.success").textContent()).toBe("Thanks for signing, Chromium!");
    const entry = page.locator(".entry").first();
    expect(await entry.locator(".message").textContent()).toBe("Signed by a real browser <b>not bold</b>");
    expect(await entry.locator(".name").textContent()).toBe("Chromium");
    // The name is remembered in the session for the next entry.
    expect(await page.getByLabel("Name").inputValue()).toBe("Chromium");

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "guestbook.png"), fullPage: true });
    await page.close();
  });

  it("shows server-sent events arriving on the live page", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/live/`);
    await page.waitForSelector("#ticks li");
    expect(await page.locator("#ticks li").first().textContent()).toMatch(/^#1 at .*: \d+ entries$/);
    await page.close();
  });
});
