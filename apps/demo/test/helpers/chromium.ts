import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Debian's Chromium, headless, as every browser test of the demo launches it.
 *
 * @example
 * const browser = await launchChromium();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Opens the chat page at `url`, waits for its socket to be open and types `name` into the Name field. */
export async function openChat(browser: Browser, url: string, name: string, timeout = 30_000): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${url}/chat/`);
  await page.waitForSelector('#chat-status[data-state="open"]', { timeout });
  await page.getByLabel("Name").fill(name);
  return page;
}

/** Types `text` into the chat's Message field and sends it. */
export async function say(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Waits until the page's log shows `name: text`. */
export async function waitForLine(page: Page, name: string, text: string): Promise<void> {
  await page.locator("#chat-log li", { hasText: `${name}: ${text}` }).waitFor({ timeout: 30_000 });
}
