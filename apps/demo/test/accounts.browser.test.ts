/**
 * Accounts in a real browser (Debian's Chromium through playwright-core): a person signs up,
 * logs out, fails and then succeeds to log in, and signs the guestbook while logged in.
 */
import type { Browser } from "playwright-core";
import { launchChromium } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type DemoSite } from "./helpers/site.js";

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

describe("accounts in Chromium", () => {
  it("signs up, logs out, logs in (after a wrong password) and posts", async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/accounts/signup/`);
    await page.getByLabel("Username:").fill("chromium-user");
    await page.getByLabel("Password:", { exact: true }).fill("a-Long-browser-pass-93");
    await page.getByLabel("Password confirmation:").fill("a-Long-browser-pass-93");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForSelector(".account .username");
    expect(await page.locator(".account .username").textContent()).toBe("chromium-user");

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForSelector("a[href='/accounts/login/']");
    expect(await page.locator(".account").count()).toBe(0);

    await page.goto(`${site.url}/accounts/login/`);
    await page.getByLabel("Username:").fill("chromium-user");
    await page.getByLabel("Password:").fill("wrong-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForSelector(".errorlist");
    expect(await page.locator(".errorlist").first().textContent()).toContain("Please enter a correct username and password.");
    // The password is never printed back.
    expect(await page.getByLabel("Password:").inputValue()).toBe("");

    await page.getByLabel("Password:").fill("a-Long-browser-pass-93");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForSelector(".account .username");
    expect(await page.locator(".account .username").textContent()).toBe("chromium-user");

    await page.getByLabel("Name").fill("Logged-in Chromium");
    await page.getByLabel("Message").fill("Posted after logging in");
    await page.getByRole("button", { name: "Sign" }).click();
    await page.waitForSelector(".message.success");
    expect(await page.locator(".entry .message").first().textContent()).toBe("Posted after logging in");
    await page.close();
  }, 120_000);
});
