import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";
import type { DevProcess } from "./helpers/dev-process.js";
import { createTempProject } from "./helpers/temp-project.js";

const ARTIFACT = fileURLToPath(new URL("../test-artifacts/syntax-error-page.png", import.meta.url));

// An app that cannot load: its helper has a syntax error on line 3.
const project = createTempProject({
  "app.ts": `import { greeting } from "./helper.ts";
export const app = (environ: unknown, startResponse: (status: string, headers: [string, string][]) => unknown) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode(greeting())];
};
`,
  "helper.ts": `export function greeting(): string {
  const name = "world";
  return "hello " + (name + ;
}
`,
});

let dev: DevProcess;
let browser: Browser;
beforeAll(async () => {
  dev = await startDevServer(["--port", "0", "app.ts:app"], { cwd: project.dir });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await killAllDevProcesses();
  project.remove();
});

describe("the page for an app that fails to load, in a browser", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("leads with the error, its place and the code around it; esbuild's frames are folded", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    try {
      const response = await page.goto(dev.url);
      expect(response?.status()).toBe(500);
      expect(await page.title()).toBe('SyntaxError: Unexpected ";"');
      expect(await page.locator("h1").innerText()).toBe("SyntaxError in helper.ts:3:29");
      expect(await page.locator("header .message").innerText()).toBe('Unexpected ";"');
      // The code frame is in the headline, the failing line marked, a caret under the column.
      const frame = page.locator("header pre.code-frame");
      await expect.poll(() => frame.isVisible()).toBe(true);
      expect(await frame.locator(".line.current").innerText()).toContain('return "hello " + (name + ;');
      expect((await frame.locator(".line.caret").innerText()).trimEnd()).toMatch(/^\s*\^$/);
      // What happened comes after the error, not before it.
      expect(await page.locator("table.summary").innerText()).toContain("the app failed to start");
      expect(await page.locator("body").innerText()).not.toContain("No stack trace.");
      // esbuild's frames are there, closed.
      const folded = page.locator(".library-run details").filter({ hasText: "esbuild" }).first();
      expect(await folded.getAttribute("open")).toBeNull();
      expect(await folded.locator(".frame.library").first().isVisible()).toBe(false);

      mkdirSync(fileURLToPath(new URL("../test-artifacts/", import.meta.url)), { recursive: true });
      await page.screenshot({ path: ARTIFACT });
    } finally {
      await page.close();
    }
  });
});
