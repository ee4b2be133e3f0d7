import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";
import type { DevProcess } from "./helpers/dev-process.js";
import { rawRequest } from "./helpers/raw-request.js";
import { createTempProject } from "./helpers/temp-project.js";

const project = createTempProject({
  "app.ts": `
type StartResponse = (status: string, headers: [string, string][]) => unknown;
export function createApp() {
  return (environ: Record<string, unknown>, startResponse: StartResponse) => {
    if (environ.PATH_INFO === "/no-content-type") {
      startResponse("200 OK", []); // breaks the spec: the validator names the rule
      return [new TextEncoder().encode("oops")];
    }
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [new TextEncoder().encode("hello from the factory")];
  };
}
`,
  "public/robots.txt": "User-agent: *\n",
  // Plain JavaScript, default export, imported through a relative .js import: no TypeScript anywhere.
  "plain/app.js": `import { greeting } from "./greeting.js";
export default (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode(greeting + " " + environ.PATH_INFO)];
};
`,
  "plain/greeting.js": 'export const greeting = "hello from plain js";\n',
});
afterAll(async () => {
  await killAllDevProcesses();
  project.remove();
});

describe("tsgi-dev --no-reload, PORT/HOST from the environment, a factory TARGET", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let dev: DevProcess;
  beforeAll(async () => {
    dev = await startDevServer(["--no-reload", "--static", "/static=public", "app.ts:createApp()"], {
      cwd: project.dir,
      env: { PORT: "0", HOST: "127.0.0.1" },
    });
  }, PROCESS_TEST_TIMEOUT_MS);

  it("prints a banner with the URL and the settings", () => {
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(dev.stdout()).toContain("tsgi-dev serving app.ts:createApp()");
    expect(dev.stdout()).toContain("autoreload off, validator on, debug page on");
    expect(dev.stdout()).toMatch(/static \/static -> .*public/);
  });

  it("serves the app the factory returned, and static files", async () => {
    expect((await rawRequest(dev.url, "/")).body.toString()).toBe("hello from the factory");
    expect((await rawRequest(dev.url, "/static/robots.txt")).body.toString()).toBe("User-agent: *\n");
  });

  it("writes one access-log line per request, without color when stdout is not a terminal", async () => {
    const mark = dev.outputLength();
    await rawRequest(dev.url, "/static/robots.txt?x=1");
    const output = await dev.waitForOutput(/GET \/static\/robots\.txt\?x=1 .*\n/, mark);
    const line = output.split("\n").find((candidate) => candidate.includes("/static/robots.txt?x=1")) ?? "";
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\] GET \/static\/robots\.txt\?x=1 200 14 B \d+\.\d ms$/);
    // eslint-disable-next-line no-control-regex
    expect(dev.stdout()).not.toMatch(/\u001b\[/);
  });

  it("reports a spec violation loudly, with the rule's name, in the terminal and on the page", async () => {
    const mark = dev.outputLength();
    const response = await rawRequest(dev.url, "/no-content-type");
    expect(response.status).toBe(500);
    const rule = /TSGI rule broken: ([a-z-]+)/.exec(response.body.toString())?.[1];
    expect(rule).toBeDefined();
    await dev.waitForOutput(new RegExp(`TSGI VALIDATION: rule ${rule} broken`), mark);
    expect(dev.stderr()).toContain("Error in GET /no-content-type");
  });
});

describe("tsgi-dev --no-validate", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("serves the app unwrapped: the same violation is not reported", async () => {
    const dev = await startDevServer(["--no-reload", "--no-validate", "--port", "0", "app.ts:createApp()"], { cwd: project.dir });
    expect(dev.stdout()).toContain("validator off");
    const response = await rawRequest(dev.url, "/no-content-type");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("oops");
    expect(await dev.stop("SIGTERM")).toBe(0);
    expect(dev.stderr()).not.toContain("TSGI VALIDATION");
  });
});

describe("tsgi-dev with a plain .js TARGET and its default export", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it.each([[[] as string[]], [["--no-reload"]]])("serves it (flags %j)", async (flags) => {
    const dev = await startDevServer([...flags, "--port", "0", "plain/app.js"], { cwd: project.dir });
    expect(dev.stdout()).toContain("tsgi-dev serving plain/app.js");
    const response = await rawRequest(dev.url, "/js");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("hello from plain js /js");
    expect(await dev.stop("SIGTERM")).toBe(0);
  });
});
