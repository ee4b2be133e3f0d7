import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FileSessionBackend, HttpResponse, SettingsError, defineSettings, executeFromCommandLine, parseAddrport, path, runChecks } from "../src/index.js";
import { BASE_SETTINGS } from "./helpers/core.js";

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(packageDir, "bin", "tsgi-manage.js");
const roots: string[] = [];
const children = new Set<ChildProcess>();

afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
afterEach(async () => {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((done) => {
          children.delete(child);
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once("exit", () => done());
          child.kill("SIGTERM");
        }),
    ),
  );
});

const SETTINGS = `
import { fileURLToPath } from "node:url";
import { defineSettings, path, include, HttpResponse, SessionMiddleware, CsrfViewMiddleware } from "@tsgi/framework";
const home = () => new HttpResponse("home page");
const post = () => new HttpResponse("post");
export const settings = defineSettings({
  SECRET_KEY: "management-test-key",
  // Relative paths below resolve against the project folder, wherever the command runs from.
  BASE_DIR: fileURLToPath(new URL(".", import.meta.url)),
  ALLOWED_HOSTS: ["127.0.0.1"],
  STATIC_URL: "/static/",
  STATIC_ROOT: "collected",
  STATICFILES_DIRS: ["static"],
  MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware],
  COMMANDS: { greet: { help: "Greets.", run: ({ args, stdout }) => { stdout("greetings " + args.join(",")); } } },
  urlpatterns: [
    path("", home, { name: "home" }),
    path("blog/", include({ urlpatterns: [path("<int:year>/<slug:slug>/", post, { name: "post" })], appName: "blog" })),
  ],
});
`;
const APPLICATION = `
import { getTsgiApplication } from "@tsgi/framework";
import { settings } from "./settings.ts";
export const application = getTsgiApplication(settings);
`;

/** A project folder in the temp dir that imports the framework through node_modules, as an installed project does. */
function makeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "tsgi-manage-"));
  roots.push(root);
  mkdirSync(join(root, "node_modules", "@tsgi"), { recursive: true });
  symlinkSync(packageDir, join(root, "node_modules", "@tsgi", "framework"), "dir");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "site", type: "module", private: true }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function manage(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  return child;
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const child = manage(cwd, args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once("close", (code) => done({ code, stdout, stderr })));
}

/** Resolves with the first http://127.0.0.1:PORT a server prints (on either stream). */
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

function refused(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((done) => {
    const socket = connect(Number(port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(true));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  child.kill("SIGTERM");
  return exited;
}

// Server start-up under a loaded CI machine can take tens of seconds (tsx compiles on the fly);
// the server tests wait on the "listening" line, never on a timer, so a long limit costs nothing when fast.
describe("tsgi-manage (real processes)", () => {
  it("check exits 1 on errors, naming them", async () => {
    const bad = makeProject({ "conf/site.ts": SETTINGS.replace('STATICFILES_DIRS: ["static"]', 'STATICFILES_DIRS: ["collected"]') });
    const failed = await run(bad, ["check", "--settings", "conf/site.ts"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("SystemCheckError");
    expect(failed.stderr).toContain("(staticfiles.E002) The STATICFILES_DIRS setting should not contain the STATIC_ROOT setting.");
  });

  it("runserver starts tsgi-dev on the project's application, serves static files in DEBUG, and stops with it", async () => {
    const root = makeProject({ "settings.ts": SETTINGS.replace("SECRET_KEY:", "DEBUG: true, SECRET_KEY:"), "tsgi.ts": APPLICATION, "static/css/site.css": "body{}" });
    const child = manage(root, ["runserver", "127.0.0.1:0", "--noreload"]);
    let banner = "";
    child.stdout?.on("data", (chunk: Buffer) => (banner += chunk.toString()));
    const url = await waitForUrl(child);
    // The banner names the project's module, not the framework's wrapper around it.
    expect(banner).toContain("tsgi-dev serving tsgi.ts:application");
    expect(banner).not.toContain("devApplication");
    const res = await fetch(`${url}/`);
    expect(await res.text()).toBe("home page");
    // Like Django's runserver, static files are served in DEBUG without any middleware listed.
    const css = await fetch(`${url}/static/css/site.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toBe("body{}");
    expect(await stop(child)).toBe(0);
    expect(await refused(url)).toBe(true);
  }, 150_000);

  it("runserver shows an edited template on the next request even with DEBUG off (templates are not cached under tsgi-dev)", async () => {
    const settings = SETTINGS.replace('import { defineSettings, path,', 'import { defineSettings, render, path,')
      .replace('const home = () => new HttpResponse("home page");', 'const home = (request) => render(request, "page.html", { name: "site" });')
      .replace("SECRET_KEY:", 'DEBUG: false, TEMPLATES: { DIRS: ["templates"] }, SECRET_KEY:');
    const root = makeProject({ "settings.ts": settings, "tsgi.ts": APPLICATION, "templates/page.html": "first {{ name }}" });
    const child = manage(root, ["runserver", "127.0.0.1:0", "--noreload"]);
    const url = await waitForUrl(child);
    expect(await (await fetch(`${url}/`)).text()).toBe("first site");
    writeFileSync(join(root, "templates/page.html"), "second {{ name }}");
    expect(await (await fetch(`${url}/`)).text()).toBe("second site");
    expect(await stop(child)).toBe(0);
  }, 150_000);

  it("serve starts tsgi-worker with the given options", async () => {
    const root = makeProject({ "settings.ts": SETTINGS.replace('"management-test-key"', '"k2"'), "tsgi.ts": APPLICATION });
    const child = manage(root, ["serve", "-b", "127.0.0.1:0", "-w", "1"]);
    const url = await waitForUrl(child);
    const res = await fetch(`${url}/`);
    expect(await res.text()).toBe("home page");
    expect(await stop(child)).toBe(0);
    expect(await refused(url)).toBe(true);
  }, 150_000);

});

/** Runs the CLI in this process (same code path as the bin, minus process start-up). */
async function runHere(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await executeFromCommandLine(args, { cwd, env, stdout: (line) => (stdout += `${line}\n`), stderr: (line) => (stderr += `${line}\n`) });
  return { code, stdout, stderr };
}

describe("tsgi-manage commands (in-process)", () => {
  it("lists built-in and project commands, including a commands/ folder", async () => {
    const root = makeProject({ "settings.ts": SETTINGS, "commands/cleanup.ts": 'export const command = { help: "Cleans up.", run: () => 0 };' });
    const result = await runHere(root, ["help"]);
    expect(result.code).toBe(0);
    for (const name of ["check", "collectstatic", "runserver", "serve", "urls", "greet", "cleanup"]) expect(result.stdout).toContain(`  ${name}`);
  });

  it("runs a project command's exit code and reports CommandError on stderr", async () => {
    const root = makeProject({
      "settings.ts": SETTINGS,
      "commands/fail.ts": 'import { CommandError } from "@tsgi/framework"; export default { help: "x", run: () => { throw new CommandError("nothing to do", 3); } };',
    });
    const fail = await runHere(root, ["fail"]);
    expect(fail.code).toBe(3);
    expect(fail.stderr).toContain("CommandError: nothing to do");
  });

  it("reads a manage.ts that exports the settings and extra commands", async () => {
    const root = makeProject({
      "src/settings.ts": SETTINGS,
      "manage.ts": 'export { settings } from "./src/settings.ts";\nexport const commands = { seed: { help: "Seeds.", run: ({ stdout }) => { stdout("seeded"); } } };',
    });
    expect(await runHere(root, ["seed"])).toMatchObject({ code: 0, stdout: "seeded\n" });
    expect((await runHere(root, ["help"])).stdout).toContain("  seed");
    const bad = makeProject({ "manage.ts": SETTINGS + "\nexport const commands = { broken: 42 };" });
    const result = await runHere(bad, ["help"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("exports `commands`");
  });

  it("runs project commands from COMMANDS and refuses unknown ones", async () => {
    const root = makeProject({ "settings.ts": SETTINGS });
    expect(await runHere(root, ["greet", "a", "b"])).toMatchObject({ code: 0, stdout: "greetings a,b\n" });
    const unknown = await runHere(root, ["frobnicate"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown command: 'frobnicate'");
  });

  it("check passes a sound project", async () => {
    const good = makeProject({ "settings.ts": SETTINGS, "static/site.css": "body{}" });
    expect(await runHere(good, ["check"])).toMatchObject({ code: 0, stdout: "System check identified no issues (0 silenced).\n" });
  });

  it("check fails on invalid settings and a broken URL configuration", async () => {
    const invalid = makeProject({ "settings.ts": SETTINGS.replace('ALLOWED_HOSTS: ["127.0.0.1"]', 'ALLOWED_HOSTS: "127.0.0.1"') });
    const settingsError = await runHere(invalid, ["check"]);
    expect(settingsError.code).toBe(1);
    expect(settingsError.stderr).toContain("ALLOWED_HOSTS");
    const broken = makeProject({ "site-settings.ts": 'import { defineSettings } from "@tsgi/framework"; export const settings = defineSettings({ SECRET_KEY: "k", ROOT_URLCONF: "./missing-urls.ts" });' });
    const urlError = await runHere(broken, ["check"], { TSGI_SETTINGS_MODULE: "site-settings.ts" });
    expect(urlError.code).toBe(1);
    expect(urlError.stderr).toContain("urls.E001");
  });

  it("check fails on a misspelt setting name with a 'did you mean' (MIDDLEWARES would run the site without middleware)", async () => {
    const typo = makeProject({ "settings.ts": SETTINGS.replace('ALLOWED_HOSTS: ["127.0.0.1"]', 'ALLOWED_HOSTS: ["127.0.0.1"], MIDDLEWARES: []') });
    const result = await runHere(typo, ["check"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MIDDLEWARES: unknown setting, did you mean "MIDDLEWARE"?');
    const declared = makeProject({ "settings.ts": SETTINGS.replace('ALLOWED_HOSTS: ["127.0.0.1"]', 'ALLOWED_HOSTS: ["127.0.0.1"], CUSTOM_SETTINGS: ["MIDDLEWARES"], MIDDLEWARES: []'), "static/site.css": "body{}" });
    expect(await runHere(declared, ["check"])).toMatchObject({ code: 0 });
  });

  it("says how to point it at the settings when there are none", async () => {
    const result = await runHere(makeProject({}), ["check"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--settings");
  });

  it("urls prints every pattern with its view and namespaced name", async () => {
    const result = await runHere(makeProject({ "settings.ts": SETTINGS }), ["urls"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ROUTE\s+VIEW\s+NAME$/);
    expect(lines[1]).toMatch(/^\/\s+home\s+home$/);
    expect(lines[2]).toMatch(/^\/blog\/<int:year>\/<slug:slug>\/\s+post\s+blog:post$/);
  });

  it("collectstatic writes hashed files and the manifest", async () => {
    const root = makeProject({ "settings.ts": SETTINGS, "static/css/site.css": "body{}", "static/app.js": "1" });
    const result = await runHere(root, ["collectstatic", "--noinput", "--clear"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`2 static files copied to '${join(root, "collected")}', 2 post-processed.`);
    const manifest = JSON.parse(readFileSync(join(root, "collected", "manifest.json"), "utf8")) as { paths: Record<string, string> };
    expect(existsSync(join(root, "collected", manifest.paths["css/site.css"] as string))).toBe(true);
  });

  it("runserver explains a missing application module", async () => {
    const result = await runHere(makeProject({ "settings.ts": SETTINGS }), ["runserver"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("tsgi.ts");
    expect(result.stderr).toContain("TSGI_APPLICATION");
  });
});

describe("in-process", () => {
  it("executeFromCommandLine runs with the settings a manage.ts passes", async () => {
    const lines: string[] = [];
    const settings = defineSettings({ ...BASE_SETTINGS, urlpatterns: [path("x/", () => new HttpResponse("x"), { name: "x" })] });
    const code = await executeFromCommandLine(["urls"], { settings, stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) });
    expect(code).toBe(0);
    expect(lines.join("\n")).toMatch(/\/x\/\s+\S+\s+x/);
  });

  it("check --deploy lists the production warnings; --fail-level WARNING makes them fail", async () => {
    const settings = defineSettings({ ...BASE_SETTINGS, DEBUG: true, urlpatterns: [] });
    const ids = (await runChecks(settings, { deploy: true })).map((message) => message.id);
    expect(ids).toEqual(expect.arrayContaining(["security.W001", "security.W002", "security.W003", "security.W009", "security.W018"]));
    const out: string[] = [];
    const options = { settings, stdout: (line: string) => out.push(line), stderr: (line: string) => out.push(line) };
    expect(await executeFromCommandLine(["check", "--deploy"], options)).toBe(0);
    expect(await executeFromCommandLine(["check", "--deploy", "--fail-level", "WARNING"], options)).toBe(1);
  });

  it("refuses malformed battery settings at start-up, naming each one", () => {
    const input = { ...BASE_SETTINGS, urlpatterns: [], TEMPLATES: { DIRS: "templates" as never }, SESSION_ENGINE: "redis" as never, MESSAGE_STORAGE: "db" as never };
    expect(() => defineSettings(input)).toThrow(SettingsError);
    expect(() => defineSettings(input)).toThrow(/TEMPLATES: DIRS: expected an array[\s\S]*SESSION_ENGINE: expected "file"[\s\S]*MESSAGE_STORAGE: expected one of/);
  });

  it("warns about path() routes that look like regular expressions or start with a slash", async () => {
    const view = () => new HttpResponse("");
    const settings = defineSettings({ ...BASE_SETTINGS, urlpatterns: [path("^old/$", view), path("/slash/", view)] });
    const ids = (await runChecks(settings)).map((message) => message.id);
    expect(ids).toEqual(["2_0.W001", "urls.W002"]);
  });

  it("clearsessions deletes expired file sessions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-clearsessions-"));
    roots.push(dir);
    const backend = new FileSessionBackend({ directory: dir });
    await backend.save(undefined, { a: 1 }, { expiresAt: Date.now() - 1, maxAge: -1 });
    await backend.save(undefined, { a: 2 }, { expiresAt: Date.now() + 60_000, maxAge: 60 });
    const out: string[] = [];
    const settings = defineSettings({ ...BASE_SETTINGS, SESSION_FILE_PATH: dir, urlpatterns: [] });
    expect(await executeFromCommandLine(["clearsessions"], { settings, stdout: (line) => out.push(line) })).toBe(0);
    expect(out).toEqual(["1 expired session deleted."]);
    const signed = defineSettings({ ...BASE_SETTINGS, SESSION_ENGINE: "signed_cookies", urlpatterns: [] });
    await executeFromCommandLine(["clearsessions"], { settings: signed, stdout: (line) => out.push(line) });
    expect(out[1]).toContain("Nothing to clear");
  });

  it("answers bad options with a CommandError and exit status 1", async () => {
    const settings = defineSettings({ ...BASE_SETTINGS, urlpatterns: [] });
    for (const argv of [["collectstatic", "--bogus"], ["check", "--fail-level", "INFO"], ["check", "extra"], ["runserver", "not:a:port"], ["help", "nope"], ["urls", "--settings"]]) {
      const err: string[] = [];
      const code = await executeFromCommandLine(argv, { settings, stdout: () => {}, stderr: (line) => err.push(line) });
      expect(code, argv.join(" ")).toBe(1);
      expect(err.join("\n"), argv.join(" ")).toMatch(/^CommandError: /);
    }
  });

  it("parses runserver addresses like Django", () => {
    expect(parseAddrport(undefined)).toEqual({ host: "127.0.0.1", port: "8000" });
    expect(parseAddrport("9000")).toEqual({ host: "127.0.0.1", port: "9000" });
    expect(parseAddrport("0.0.0.0:8080")).toEqual({ host: "0.0.0.0", port: "8080" });
    expect(parseAddrport("[::1]:8000")).toEqual({ host: "::1", port: "8000" });
    expect(() => parseAddrport("abc:def")).toThrow(/not a valid port/);
    expect(() => parseAddrport("99999")).toThrow(/not a valid port/);
  });
});
