/**
 * Several worker processes writing one SQLite file (WAL, busy timeout, BEGIN IMMEDIATE) lose no
 * write: `tsgi-manage migrate` then `serve -w 4` (tsgi-worker) as real processes, N concurrent
 * POSTs, then the rows are counted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(packageDir, "bin", "tsgi-manage.js");
const children = new Set<ChildProcess>();
let root: string | undefined;

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    }
  }
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "guestbook", type: "module", private: true }),
  "settings.ts": `
import { fileURLToPath } from "node:url";
import { defineSettings, path, HttpResponse, JsonResponse } from "@tsgi/framework";
import { Entry } from "./book/models.ts";
const add = async (request) => {
  const entry = await Entry.objects.create({ text: (await request.POST()).get("text") ?? "" });
  return new HttpResponse(String(entry.id), { status: 201 });
};
const count = async () => new JsonResponse({ count: await Entry.objects.count() });
export const settings = defineSettings({
  SECRET_KEY: "concurrency",
  BASE_DIR: fileURLToPath(new URL(".", import.meta.url)),
  ALLOWED_HOSTS: ["127.0.0.1"],
  INSTALLED_APPS: ["book"],
  DATABASES: { default: { ENGINE: "sqlite", NAME: "db.sqlite3" } },
  ATOMIC_REQUESTS: true,
  urlpatterns: [path("add/", add), path("count/", count)],
});
`,
  "tsgi.ts": `
import { getTsgiApplication } from "@tsgi/framework";
import { settings } from "./settings.ts";
export const application = getTsgiApplication(settings);
`,
  "book/models.ts": `
import { defineModel, models } from "@tsgi/framework";
export const Entry = defineModel("book", "Entry", { fields: { text: models.TextField(), created: models.DateTimeField({ autoNowAdd: true }) } });
`,
};

function manage(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  return child;
}

async function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once("close", done));
  return { code, output };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match && match[1] !== "0") resolveUrl(match[0]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

test("tsgi-worker -w 4 on one SQLite file: N concurrent POSTs, N rows", async () => {
  root = mkdtempSync(join(tmpdir(), "tsgi-sqlite-workers-"));
  mkdirSync(join(root, "node_modules", "@tsgi"), { recursive: true });
  symlinkSync(packageDir, join(root, "node_modules", "@tsgi", "framework"), "dir");
  for (const [name, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  const made = await finished(manage(["makemigrations"]));
  expect(made, made.output).toMatchObject({ code: 0 });
  const migrated = await finished(manage(["migrate"]));
  expect(migrated.output).toContain("Applying book.0001_initial... OK");

  const server = manage(["serve", "-b", "127.0.0.1:0", "-w", "4"]);
  const url = await waitForUrl(server);
  const total = 200;
  const statuses: number[] = [];
  // 50 requests in flight at a time, spread over the four workers.
  for (let start = 0; start < total; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, total - start) }, (_, i) =>
        fetch(`${url}/add/`, { method: "POST", body: new URLSearchParams({ text: `entry ${start + i}` }) }).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    statuses.push(...batch);
  }
  expect(statuses.filter((status) => status !== 201)).toEqual([]);
  const counted = (await (await fetch(`${url}/count/`)).json()) as { count: number };
  expect(counted.count).toBe(total);
  const exited = new Promise<number | null>((done) => server.once("exit", done));
  server.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 180_000);
