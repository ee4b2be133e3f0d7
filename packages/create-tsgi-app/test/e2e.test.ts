/**
 * End to end, as a new user meets it: scaffold into a temporary folder, install
 * against this workspace's packages, run the project's own tests, start `dev`
 * and `start`, and request pages.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WORKSPACE, pnpm, runCli, startScript, tempDir, type RunningScript } from "./helpers.js";

const cleanups: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function withScript(script: string, cwd: string, env: NodeJS.ProcessEnv, use: (running: RunningScript) => Promise<void>) {
  const running = await startScript(script, cwd, env);
  cleanups.push(running.stop);
  try {
    await use(running);
  } finally {
    await running.stop();
  }
}

function scaffoldAndInstall(template: "default" | "minimal"): string {
  const root = tempDir();
  cleanups.push(root.remove);
  // --link: the project depends on this workspace's packages, as a user trying a checkout would.
  const result = runCli(["site", "--template", template, "--no-install", "--pm", "pnpm", "--link", WORKSPACE], root.path);
  expect(result.status, result.stderr).toBe(0);
  const project = join(root.path, "site");
  const installed = pnpm(["install", "--prefer-offline"], project);
  // The template lists its packages with build scripts (onlyBuiltDependencies): pnpm asks nothing.
  expect(installed).not.toContain("Ignored build scripts");
  return project;
}

// Each step installs, builds or starts a project: minutes, not seconds, on a busy 2-core machine.
describe("create-tsgi-app, default template", { timeout: 300_000 }, () => {
  let project: string;

  it("writes a Django-like project that explains itself", () => {
    project = scaffoldAndInstall("default");
    for (const file of ["mysite/settings.ts", "mysite/urls.ts", "mysite/tsgi.ts", "pages/views.ts", "pages/urls.ts", "pages/models.ts", "pages/migrations/0001_initial.ts", "pages/pages.test.ts", "templates/base.html", "static/css/site.css", "README.md", ".gitignore"]) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    expect(readFileSync(join(project, "mysite/tsgi.ts"), "utf8")).toContain("export const application = getTsgiApplication(settings)");
    expect(readFileSync(join(project, "README.md"), "utf8")).toContain("proxy_pass http://127.0.0.1:8000");
    const settings = readFileSync(join(project, "mysite/settings.ts"), "utf8");
    expect(settings).not.toContain("__SECRET_KEY__");
    expect(settings).toMatch(/SECRET_KEY \?\? "[A-Za-z0-9_-]{64}"/);
    // The database is created by the first `dev`/`start` (which run `manage migrate`), not by scaffolding.
    expect(existsSync(join(project, "db.sqlite3"))).toBe(false);
  });

  it("passes its own tests", () => {
    expect(pnpm(["test"], project)).toMatch(/Tests\s+6 passed/);
  });

  it("passes `manage check`, and its generated SECRET_KEY passes `check --deploy` (W009)", () => {
    expect(pnpm(["manage", "check"], project)).toMatch(/no issues/i);
    // In development DEBUG is on, so --deploy reports that (and fails); the key itself must pass.
    const deploy = spawnSync("pnpm", ["manage", "check", "--deploy"], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(`${deploy.stdout}${deploy.stderr}`).toContain("security.W018"); // DEBUG: proof that the deploy checks ran
    expect(`${deploy.stdout}${deploy.stderr}`).not.toContain("security.W009");
    // The template's migration is exactly what makemigrations writes for its models.
    expect(pnpm(["manage", "makemigrations", "--check"], project)).toMatch(/No changes detected/);
  });

  it("serves pages under `dev` (tsgi-dev)", async () => {
    await withScript("dev", project, { PORT: "0" }, async ({ url }) => {
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      const page = await home.text();
      expect(page).toContain("Welcome to site");
      // Next steps, as Django's welcome page: what to edit and where to read on.
      expect(page).toContain("Next steps");
      expect(page).toContain("pages/views.ts");
      // `dev` migrated first: the Note table exists in the project's SQLite file.
      expect(page).toContain("No notes yet.");
      expect(existsSync(join(project, "db.sqlite3"))).toBe(true);
      const css = await fetch(`${url}/static/css/site.css`);
      expect(css.status).toBe(200);
      expect((await fetch(`${url}/about/`)).status).toBe(200);
    });
  });

  it("serves pages under `start` (tsgi-worker) after collectstatic", async () => {
    pnpm(["manage", "collectstatic", "--noinput"], project);
    expect(readdirSync(join(project, "staticfiles"))).toContain("manifest.json");
    await withScript("start", project, { PORT: "0" }, async ({ url }) => {
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      const html = await home.text();
      expect(html).toContain("Welcome to site");
      expect(html).toContain("No notes yet.");
      // DEBUG is off: the stylesheet link points at the content-hashed name from the manifest.
      expect(html).toMatch(/href="\/static\/css\/site\.[0-9a-f]{12}\.css"/);
      const missing = await fetch(`${url}/nope/`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).not.toContain("Page not found (404)\nRequest Method");
    });
  });
});

describe("create-tsgi-app, minimal template", { timeout: 300_000 }, () => {
  it("scaffolds one raw TSGI app that passes its tests and runs under dev and start", async () => {
    const project = scaffoldAndInstall("minimal");
    expect(pnpm(["test"], project)).toMatch(/Tests\s+3 passed/);
    for (const script of ["dev", "start"]) {
      await withScript(script, project, { PORT: "0" }, async ({ url, output }) => {
        expect(await (await fetch(`${url}/`)).text()).toBe("Hello from site!\n");
        const echo = await fetch(`${url}/echo`, { method: "POST", body: "ping", headers: { "content-type": "text/plain" } });
        expect(await echo.text()).toBe("ping");
        // Both log each request (tsgi-dev its own line, start through --access-logfile -).
        if (script === "start") await expect.poll(output, { timeout: 20_000 }).toMatch(/"POST \/echo HTTP\/1\.1" 200/);
      });
    }
  });
});
