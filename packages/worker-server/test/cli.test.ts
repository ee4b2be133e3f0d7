/** The `tsgi-worker` command line as users meet it: --print-config, --check-config, --help, usage errors (exit 2). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OPTIONS } from "../src/config/options.js";
import { APP, FIXTURES, cleanupMasters, startMaster } from "./fixtures/master.js";

afterEach(cleanupMasters);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-cli-"));
  dirs.push(dir);
  return dir;
}

async function run(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  const master = startMaster(args, options);
  const { code } = await master.exited;
  return { code, output: master.output, lines: master.lines };
}

describe("tsgi-worker CLI", () => {
  it("--print-config shows the merged result: command line > config file > environment > defaults", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "tsgi.config.ts"), "export default { workers: 2, timeout: 20, maxRequests: 7, onStarting() {} };\n");
    const { code, output } = await run(["-w", "5", "--print-config", APP], {
      cwd: dir,
      env: { WEB_CONCURRENCY: "9", TSGI_WORKER_TIMEOUT: "99", TSGI_WORKER_GRACEFUL_TIMEOUT: "4", PORT: "5055" },
    });
    expect(code).toBe(0);
    expect(output).toMatch(/^workers\s+= 5$/m);
    expect(output).toMatch(/^timeout\s+= 20$/m);
    expect(output).toMatch(/^maxRequests\s+= 7$/m);
    expect(output).toMatch(/^gracefulTimeout\s+= 4$/m);
    expect(output).toMatch(/^bind\s+= \["0\.0\.0\.0:5055"\]$/m);
    expect(output).toMatch(/^keepAlive\s+= 75$/m);
    expect(output).toContain(`${"app".padEnd(22)} = ${JSON.stringify(APP)}`);
    expect(output).toMatch(/^hooks\s+= \["onStarting"\]$/m);
    expect(output).toContain(`config                 = ${JSON.stringify(join(dir, "tsgi.config.ts"))}`);
  });

  it("--print-config implies --check-config, as in Gunicorn: it prints, then loads the app (exit 1 when it cannot)", async () => {
    const broken = await run(["--print-config", `${FIXTURES}broken-app.ts`]);
    expect(broken.output).toMatch(/^workers\s+= 1$/m);
    expect(broken.output).toContain("database unreachable");
    expect(broken.code).toBe(1);
    const missing = await run(["--print-config"]);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain("the following arguments are required: TARGET");
  });

  it.each([
    [["-w", "lots", APP], "argument -w/--workers: expected an integer from 1 to 1024, got \"lots\""],
    [["--bind", "nowhere:port", APP], "argument -b/--bind: invalid address"],
    [["--bogus", APP], "unrecognized arguments: --bogus"],
    [[], "the following arguments are required: TARGET"],
    [["--forwarded-allow-ips", "10.0.0.1,banana", APP], "argument --forwarded-allow-ips: invalid address \"banana\""],
    [["--access-logfile", "/nonexistent-tsgi-dir/access.log", APP], "argument --access-logfile: cannot open /nonexistent-tsgi-dir/access.log"],
    [["--certfile", "/nonexistent-tsgi.pem", "--keyfile", APP, APP], "argument --certfile: cannot read /nonexistent-tsgi.pem"],
    [["--certfile", APP, "--keyfile", APP, APP], "argument --certfile/--keyfile: not a usable PEM certificate and key"],
  ])("a bad command line %j is a one-line error and exit 2", async (args, message) => {
    const { code, lines } = await run(args);
    expect(code).toBe(2);
    const errors = lines.filter((line) => line.startsWith("tsgi-worker: error:"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it("a bad value in the environment or config file is exit 2 naming where it came from", async () => {
    const dir = tempDir();
    expect((await run([APP], { env: { WEB_CONCURRENCY: "x" } })).output).toContain("argument WEB_CONCURRENCY: expected an integer");
    writeFileSync(join(dir, "tsgi.config.json"), JSON.stringify({ maxRequests: -1 }));
    const fromFile = await run(["-c", join(dir, "tsgi.config.json"), APP]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.output).toContain("argument maxRequests (in");
  });

  it("--check-config loads the app and exits 0, or 1 with the reason", async () => {
    const ok = await run(["--check-config", APP]);
    expect(ok.code).toBe(0);
    expect(ok.output).toContain("Configuration OK");
    const broken = await run(["--check-config", `${FIXTURES}broken-app.ts`]);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain("database unreachable");
    const missingExport = await run(["--check-config", `${APP}:nope`]);
    expect(missingExport.code).toBe(1);
    expect(missingExport.output).toContain('has no export named "nope" (exports: default)');
  });

  it("the README documents every option and every signal", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const option of OPTIONS) for (const flag of option.flags) expect(readme).toContain(`\`${flag}`);
    for (const signal of ["HUP", "TERM", "INT", "QUIT", "TTIN", "TTOU", "USR1", "USR2", "WINCH"]) expect(readme).toContain(`\`${signal}\``);
  });

  it("--help lists every option and the signals", async () => {
    const { code, output } = await run(["--help"]);
    expect(code).toBe(0);
    for (const option of OPTIONS) for (const flag of option.flags) expect(output).toContain(flag);
    expect(output).toContain("USR2");
  });
});
