import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { path } from "../src/index.js";
import { closeAll, makeApp, serve } from "./helpers/core.js";
import type { Running } from "./helpers/core.js";
import { orderTotal } from "./fixtures/debugSite/views.js";

const ARTIFACT = fileURLToPath(new URL("../test-artifacts/debug-500.png", import.meta.url));
const VIEWS = fileURLToPath(new URL("./fixtures/debugSite/views.ts", import.meta.url));
const BUGGY_LINE = "  const total = order.lines.reduce((sum, line) => sum + line.price * line.quantity, 0);";

let site: Running;
let browser: Browser;
beforeAll(async () => {
  const app = makeApp({ DEBUG: true, urlpatterns: [path("orders/<int:id>/", orderTotal)] });
  site = await serve(app);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await closeAll();
});

describe("the DEBUG 500 page in a browser", { timeout: 60_000 }, () => {
  it("shows the view's source line first, collapses the framework's frames, and keeps Django's sections", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
    try {
      await context.addCookies([{ name: "sessionid", value: "browser-cookie-secret", domain: "127.0.0.1", path: "/" }]);
      const page = await context.newPage();
      const response = await page.goto(`${site.url}/orders/7/?ref=mail`);
      expect(response?.status()).toBe(500);
      expect(response?.headers()["content-type"]).toBe("text/html; charset=utf-8");

      expect(await page.locator("h1").innerText()).toBe("TypeError at /orders/7/");
      expect(await page.locator("header .message").innerText()).toContain("Cannot read properties of undefined (reading 'lines')");
      // Where to look first: the view's own file and line, before the traceback.
      expect(await page.locator("header .location").innerText()).toMatch(new RegExp(`Raised in your code at ${VIEWS}:10:\\d+ in orderTotal`));
      const summary = await page.locator("table.summary").innerText();
      expect(summary).toMatch(/Request Method\s+GET/);
      expect(summary).toMatch(/Raised during\s+orderTotal/);

      // The first frame of the traceback is the view's, open, with its buggy line marked.
      const firstItem = page.locator("#traceback > ol.frames > li").first();
      expect(await firstItem.getAttribute("class")).toBe("frame app");
      expect(await firstItem.locator(".where").innerText()).toMatch(new RegExp(`${VIEWS}:10:\\d+`));
      expect(await firstItem.locator(".line.current").innerText()).toContain(BUGGY_LINE.trim());

      // The framework's frames (the handler, middleware chain, tsgi) are folded away, closed.
      const runs = page.locator("#traceback > ol.frames > li.library-run");
      expect(await runs.count()).toBeGreaterThan(0);
      expect(await runs.first().locator("summary").innerText()).toMatch(/^\d+ frames? in .*@tsgi\/framework/);
      expect(await runs.first().locator("details").getAttribute("open")).toBeNull();
      expect(await runs.first().locator("li.frame.library").first().isVisible()).toBe(false);
      const frameworkFrames = await page.locator("li.frame.library").allTextContents();
      expect(frameworkFrames.some((text) => text.includes("/packages/framework/src/"))).toBe(true);
      expect(await page.locator("li.frame.app").filter({ hasText: "/packages/framework/src/" }).count()).toBe(0);

      // Django's sections: request information (GET, COOKIES, META) and settings, secrets masked.
      const request = await page.locator("#request").innerText();
      expect(request).toMatch(/GET\s+ref\s+"mail"/);
      expect(request).toMatch(/sessionid\s+\*{20}/);
      expect(request).toContain("REQUEST_METHOD");
      const settings = await page.locator("#settings").innerText();
      expect(settings).toMatch(/SECRET_KEY\s+"\*{20}"/);
      expect(settings).toContain("ALLOWED_HOSTS");
      const everything = await page.locator("body").innerText();
      for (const secret of ["browser-cookie-secret", "test-secret-key-for-core-tests"]) expect(everything).not.toContain(secret);

      // The copy-and-paste view holds the plain traceback, with the view's line in it.
      await page.locator("details.copy-paste summary").click();
      const pasted = await page.locator("details.copy-paste textarea").inputValue();
      expect(pasted).toMatch(/^Traceback \(most recent call first\):\nTypeError: Cannot read properties of undefined/);
      expect(pasted).toContain(`> 10 | ${BUGGY_LINE}`);
      await page.locator("details.copy-paste summary").click();

      mkdirSync(fileURLToPath(new URL("../test-artifacts/", import.meta.url)), { recursive: true });
      await page.screenshot({ path: ARTIFACT, fullPage: false });
    } finally {
      await context.close();
    }
  });

  it("is plain text for curl-like clients, with the same traceback", async () => {
    const response = await fetch(`${site.url}/orders/7/`, { headers: { accept: "*/*" } });
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await response.text();
    expect(text.startsWith("TypeError: Cannot read properties of undefined (reading 'lines')\n")).toBe(true);
    expect(text).toContain(`> 10 | ${BUGGY_LINE}`);
    expect(text).toContain("Request information:\n  GET:\n    No GET data");
    expect(text).toMatch(/\nSettings:\n/);
  });
});
