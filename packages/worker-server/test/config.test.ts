/** Settings from every source, merged in the order, and every kind of bad value rejected with the option named. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseArgs, splitCommandLine } from "../src/cli/parseArgs.js";
import { parseBindAddress } from "../src/config/bind.js";
import { loadConfigFile } from "../src/config/configFile.js";
import { environmentSettings, environmentVariableFor } from "../src/config/environment.js";
import { ConfigError } from "../src/config/errors.js";
import { formatConfig } from "../src/config/printConfig.js";
import { defaultSettings, resolveConfig } from "../src/config/resolve.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-config-"));
  dirs.push(dir);
  return dir;
}

describe("defaults", () => {
  it("are Gunicorn's, with a keep-alive above load balancers' idle timeout", () => {
    const settings = defaultSettings();
    expect(settings).toMatchObject({
      bind: ["127.0.0.1:8000"], workers: 1, timeout: 30, gracefulTimeout: 30, keepAlive: 75, maxRequests: 0, maxRequestsJitter: 0,
      limitRequestLine: 4094, limitRequestFields: 100, limitRequestFieldSize: 8190, backlog: 2048, preload: false, reload: false,
      pidfile: null, accessLogfile: null, errorLogfile: "-", logLevel: "info", forwardedAllowIps: ["127.0.0.1", "::1"], proxyProtocol: false,
    });
    expect(settings.accessLogFormat).toBe('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"');
  });
});

describe("parseArgs", () => {
  it("reads Gunicorn's flags in every spelling", () => {
    const { values } = parseArgs(["-w4", "--timeout=10", "-b", "127.0.0.1:9000", "--bind", "unix:/tmp/a.sock", "--preload", "-n", "shop", "app.ts:createApp()"]);
    expect(values).toEqual({ workers: 4, timeout: 10, bind: ["127.0.0.1:9000", "unix:/tmp/a.sock"], preload: true, name: "shop", app: "app.ts:createApp()" });
  });

  it.each([
    [["-w", "abc"], "argument -w/--workers: expected an integer from 1 to 1024, got \"abc\""],
    [["-w", "0"], "argument -w/--workers: expected an integer from 1 to 1024, got \"0\""],
    [["--timeout", "-1"], "argument -t/--timeout: expected a number of seconds from 0 to 2147483, got \"-1\""],
    // Beyond Node's longest timer (2^31 - 1 ms) a timer fires at once: TERM would cut every request.
    [["--graceful-timeout", "3000000"], "argument --graceful-timeout: expected a number of seconds from 0 to 2147483, got \"3000000\""],
    [["--keep-alive", "1e9"], "argument --keep-alive: expected a number of seconds from 0 to 2147483"],
    [["--limit-request-line", "-1"], "argument --limit-request-line: expected an integer >= 0, got \"-1\""],
    [["--limit-request-fields", "many"], "argument --limit-request-fields: expected an integer >= 0, got \"many\""],
    [["--log-level", "loud"], "argument --log-level: expected one of debug, info, warning, error, critical, got \"loud\""],
    [["-b", "localhost:http"], "argument -b/--bind: invalid address \"localhost:http\": port must be 0-65535"],
    [["-b", "::1:80"], "argument -b/--bind: invalid address \"::1:80\": an IPv6 address must be written in brackets"],
    [["--protocol", "spdy"], "argument --protocol: expected one of http, uwsgi"],
    [["--forwarded-allow-ips", "10.0.0.1,banana"], "argument --forwarded-allow-ips: invalid address \"banana\""],
    [["--proxy-allow-from", "10.0.0.0/33"], "argument --proxy-allow-from: invalid address \"10.0.0.0/33\""],
    [["--workers"], "argument -w/--workers: expected one argument"],
    [["--frobnicate"], "unrecognized arguments: --frobnicate"],
    [["--preload=yes"], "argument --preload: ignored explicit argument"],
    [["a.ts", "b.ts"], "unrecognized arguments: b.ts"],
  ])("rejects %j naming the option", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(ConfigError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it("takes request limits above Gunicorn's ceilings (they are clamped at start-up with a warning, as Gunicorn clamps them)", () => {
    const { values } = parseArgs(["--limit-request-line", "9000", "--limit-request-fields", "40000", "--limit-request-field-size", "0"]);
    expect(values).toMatchObject({ limitRequestLine: 9000, limitRequestFields: 40000, limitRequestFieldSize: 0 });
  });

  it("splits TSGI_WORKER_ARGS like a shell", () => {
    expect(splitCommandLine(`-w 2 --access-log-format '%(h)s "%(r)s"' --name "my app" a\\ b`)).toEqual(["-w", "2", "--access-log-format", '%(h)s "%(r)s"', "--name", "my app", "a b"]);
    expect(() => splitCommandLine(`--name "open`)).toThrow(ConfigError);
  });
});

describe("bind addresses", () => {
  it.each([
    ["127.0.0.1:8080", { kind: "tcp", host: "127.0.0.1", port: 8080 }],
    ["[::1]:8080", { kind: "tcp", host: "::1", port: 8080 }],
    ["[::]", { kind: "tcp", host: "::", port: 8000 }],
    ["example.com", { kind: "tcp", host: "example.com", port: 8000 }],
    [":5000", { kind: "tcp", host: "0.0.0.0", port: 5000 }],
    ["unix:/run/app.sock", { kind: "unix", path: "/run/app.sock" }],
    ["fd://3", { kind: "fd", fd: 3 }],
  ])("parses %s", (text, expected) => {
    expect(parseBindAddress(text)).toEqual(expected);
  });

  it.each(["unix:", "fd://x", "[::1", "[::1]x", "host:70000", "host:"])("rejects %s", (text) => {
    expect(() => parseBindAddress(text)).toThrow(ConfigError);
  });
});

describe("environment", () => {
  it("reads WEB_CONCURRENCY, PORT, FORWARDED_ALLOW_IPS, TSGI_WORKER_* and TSGI_WORKER_ARGS (which wins)", () => {
    expect(environmentVariableFor("maxRequests")).toBe("TSGI_WORKER_MAX_REQUESTS");
    expect(
      environmentSettings({
        WEB_CONCURRENCY: "3", PORT: "5000", FORWARDED_ALLOW_IPS: "10.0.0.1, 10.0.0.2",
        TSGI_WORKER_MAX_REQUESTS: "100", TSGI_WORKER_PRELOAD: "true", TSGI_WORKER_ARGS: "--max-requests 200 -t 9",
      }),
    ).toEqual({ workers: 3, bind: ["0.0.0.0:5000"], forwardedAllowIps: ["10.0.0.1", "10.0.0.2"], maxRequests: 200, preload: true, timeout: 9 });
  });

  it("names the variable in errors", () => {
    expect(() => environmentSettings({ WEB_CONCURRENCY: "many" })).toThrow("argument WEB_CONCURRENCY: expected an integer");
    expect(() => environmentSettings({ TSGI_WORKER_TIMEOUT: "soon" })).toThrow("argument TSGI_WORKER_TIMEOUT");
  });
});

describe("config files", () => {
  it("loads a TS config with settings, Gunicorn aliases and hooks", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "tsgi.config.ts"), `export default { workers: 3, keepalive: 5, accesslog: "-", whenReady() {} };\n`);
    const loaded = await loadConfigFile("tsgi.config.ts", dir);
    expect(loaded.values).toEqual({ workers: 3, keepAlive: 5, accessLogfile: "-" });
    expect(Object.keys(loaded.hooks)).toEqual(["whenReady"]);
  });

  it("loads JSON, and named exports when there is no default", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.json"), JSON.stringify({ bind: ["unix:/tmp/x.sock"], maxRequests: "50" }));
    writeFileSync(join(dir, "b.mjs"), "export const timeout = 12;\n");
    expect((await loadConfigFile("a.json", dir)).values).toEqual({ bind: ["unix:/tmp/x.sock"], maxRequests: 50 });
    expect((await loadConfigFile("b.mjs", dir)).values).toEqual({ timeout: 12 });
  });

  it.each([
    ["unknown.json", JSON.stringify({ wokers: 2 }), 'unknown setting "wokers"'],
    ["badvalue.json", JSON.stringify({ workers: "two" }), "argument workers (in"],
    ["hook.mjs", "export default { onStarting: 1 };", "hook onStarting"],
    ["array.json", "[1]", "must export an object of settings (got an array)"],
    ["syntax.json", "{", "cannot load config file"],
  ])("rejects %s clearly", async (name, content, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), content);
    await expect(loadConfigFile(name, dir)).rejects.toThrow(message);
  });

  it("reports a missing file", async () => {
    await expect(loadConfigFile("nope.json", tempDir())).rejects.toThrow("argument -c/--config: config file not found");
  });
});

describe("resolveConfig", () => {
  it("merges command line > config file > environment > defaults", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "tsgi.config.json"), JSON.stringify({ workers: 2, timeout: 20, maxRequests: 7 }));
    const { settings } = await resolveConfig({
      argv: ["-w", "5", "app.ts"],
      env: { WEB_CONCURRENCY: "9", TSGI_WORKER_TIMEOUT: "99", TSGI_WORKER_GRACEFUL_TIMEOUT: "4" },
      cwd: dir,
    });
    expect(settings).toMatchObject({ workers: 5, timeout: 20, maxRequests: 7, gracefulTimeout: 4, keepAlive: 75, app: "app.ts", config: join(dir, "tsgi.config.json") });
  });

  it("requires --certfile and --keyfile together", async () => {
    await expect(resolveConfig({ argv: ["--certfile", "c.pem", "a.ts"], env: {}, cwd: tempDir() })).rejects.toThrow("--certfile and --keyfile must be given together");
  });

  it("refuses --certfile with --protocol uwsgi, which would be served in the clear", async () => {
    await expect(resolveConfig({ argv: ["--protocol", "uwsgi", "--certfile", "c.pem", "--keyfile", "k.pem", "a.ts"], env: {}, cwd: tempDir() })).rejects.toThrow(
      "argument --certfile: HTTPS applies to --protocol http only",
    );
  });

  it("refuses --reuse-port with a bind that is not HOST:PORT", async () => {
    await expect(resolveConfig({ argv: ["--reuse-port", "-b", "unix:/tmp/x.sock", "a.ts"], env: {}, cwd: tempDir() })).rejects.toThrow(
      'argument --reuse-port: works with HOST:PORT binds only, not "unix:/tmp/x.sock"',
    );
  });

  it("prints every setting as key = JSON value", async () => {
    const text = formatConfig(await resolveConfig({ argv: ["-w", "3"], env: {}, cwd: tempDir() }));
    expect(text).toMatch(/^workers\s+= 3$/m);
    expect(text).toMatch(/^bind\s+= \["127\.0\.0\.1:8000"\]$/m);
    expect(text).toMatch(/^hooks\s+= \[\]$/m);
  });
});
