/**
 * The framework as npm installs it, with tsgi, @tsgi/dev-server and @tsgi/worker-server:
 * compiled dist/ only (no src/ shipped), publishConfig exports. `tsgi-manage` must run the
 * project's TypeScript settings from there, find the server bins through the packages'
 * exported package.json, and start them: tsgi-dev's reload child (its bootstrap and child
 * module) and devApplication from dist/, tsgi-worker from dist/.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installLikeNpm, type InstalledProject } from "../../../test-support/installLikeNpm.js";

let project: InstalledProject;
let bin: string;
const children = new Set<ChildProcess>();

const SETTINGS = `
import { fileURLToPath } from "node:url";
import { defineSettings, path } from "@tsgi/framework";
import { home } from "./views.ts";
export const settings = defineSettings({
  DEBUG: true,
  SECRET_KEY: "published-test-key",
  BASE_DIR: fileURLToPath(new URL(".", import.meta.url)),
  ALLOWED_HOSTS: ["127.0.0.1"],
  STATIC_URL: "/static/",
  STATICFILES_DIRS: ["static"],
  urlpatterns: [path("", home, { name: "home" })],
});
`;
const VIEWS = (text: string) => `import { HttpResponse } from "@tsgi/framework";\nexport const home = (): HttpResponse => new HttpResponse(${JSON.stringify(text)});\n`;
const APPLICATION = `
import { getTsgiApplication } from "@tsgi/framework";
import { settings } from "./settings.ts";
export const application = getTsgiApplication(settings);
`;

beforeAll(() => {
  project = installLikeNpm(["tsgi", "dev-server", "worker-server", "framework"]);
  bin = join(project.packages["@tsgi/framework"] as string, "bin/tsgi-manage.js");
  const files: Record<string, string> = { "settings.ts": SETTINGS, "views.ts": VIEWS("home page"), "tsgi.ts": APPLICATION, "static/site.css": "body{}" };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(project.root, name, ".."), { recursive: true });
    writeFileSync(join(project.root, name), content);
  }
}, 300_000);
afterEach(async () => {
  await Promise.all(
    [...children].map((child) => {
      children.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      return exited;
    }),
  );
});
afterAll(() => project?.remove());

/** A running `tsgi-manage` and everything it printed so far. */
interface Manage {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in the output (stdout and stderr), counting from `after`. */
  waitFor(pattern: RegExp, after?: number): Promise<RegExpExecArray>;
  output(): string;
}

function manage(args: string[]): Manage {
  const child = spawn(process.execPath, [bin, ...args], { cwd: project.root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    child,
    output: () => output,
    waitFor(pattern, after = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output.slice(after));
          if (!match) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        child.once("exit", (code) => waiters.has(check) && reject(new Error(`tsgi-manage exited (${code}) before printing ${pattern}:\n${output}`)));
        check();
      });
    },
  };
}

/** A GET on a new connection each time: one kept alive would stay with a reloaded-away app process while it drains. */
function get(url: string): Promise<Response> {
  return fetch(url, { headers: { Connection: "close" } });
}

async function listeningUrl(server: Manage): Promise<string> {
  const match = await server.waitFor(/http:\/\/127\.0\.0\.1:([1-9]\d*)/);
  return match[0];
}

describe("the published @tsgi/framework", () => {
  it("ships dist/ and no sources, so its bins cannot fall back on them", () => {
    for (const name of ["@tsgi/framework", "@tsgi/dev-server", "@tsgi/worker-server"]) {
      const folder = project.packages[name] as string;
      expect(existsSync(join(folder, "src")), `${name} ships src/`).toBe(false);
      expect(existsSync(join(folder, "dist/cli.js")), `${name} has no dist/cli.js`).toBe(true);
    }
  });

  it("tsgi-manage loads the project's TypeScript settings from dist/", () => {
    const result = spawnSync(process.execPath, [bin, "check"], { cwd: project.root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("System check identified no issues");
    expect(result.status).toBe(0);
  });

  it("a program calling executeFromCommandLine without tsx is told how to load TypeScript settings", () => {
    writeFileSync(join(project.root, "check.mjs"), `import { executeFromCommandLine } from "@tsgi/framework";\nprocess.exitCode = await executeFromCommandLine(["check"]);\n`);
    const result = spawnSync(process.execPath, ["check.mjs"], { cwd: project.root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    // Node 22.18+ loads TypeScript natively; Node 20 (and --no-experimental-strip-types) needs tsx.
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(result.stdout, result.stderr).toContain("System check identified no issues");
    } else {
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("Run this program with tsx (node --import tsx) to load TypeScript settings, or use tsgi-manage.");
    }
  });

  it("runserver starts tsgi-dev with autoreload from dist/: serves the project, its static files, and reloads an edited module", async () => {
    writeFileSync(join(project.root, "views.ts"), VIEWS("home page"));
    const server = manage(["runserver", "127.0.0.1:0"]);
    const url = await listeningUrl(server);
    const first = await get(`${url}/`);
    expect(await first.text()).toBe("home page");
    const css = await get(`${url}/static/site.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toBe("body{}");

    // The reload child reports what it imported (tsx's onImport hook): the edit must restart it.
    const before = server.output().length;
    writeFileSync(join(project.root, "views.ts"), VIEWS("edited page"));
    await server.waitFor(/reloaded in \d+ ms/, before);
    const edited = await get(`${url}/`);
    expect(await edited.text(), server.output()).toBe("edited page");
  }, 150_000);

  it("serve starts tsgi-worker from dist/ on the project's TypeScript application", async () => {
    writeFileSync(join(project.root, "views.ts"), VIEWS("home page"));
    const server = manage(["serve", "-b", "127.0.0.1:0", "-w", "1"]);
    const url = await listeningUrl(server);
    await server.waitFor(/Worker ready/);
    const response = await get(`${url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("home page");
  }, 150_000);
});
