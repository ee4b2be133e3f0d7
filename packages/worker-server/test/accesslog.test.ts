import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Application, Environ } from "tsgi";
import { createWorkerServer } from "../src/connection/index.js";
import { AccessLogOpenError, DEFAULT_ACCESS_LOG_FORMAT, compileAccessLogFormat, formatJsonAccessLog, type AccessLogEntry } from "../src/log/accessLog.js";
import { closeAllServers, rawExchange, startServer } from "./http.helpers.js";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgi-accesslog-"));
});
afterEach(closeAllServers);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const encoder = new TextEncoder();
const app: Application = (_environ, startResponse) => {
  startResponse("201 Created", [["Content-Type", "text/plain"], ["X-Trace", "t-1"], ["Content-Length", "5"]]);
  return [encoder.encode("hello")];
};

function entry(environ: Partial<Environ>, overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    environ: { REQUEST_METHOD: "GET", SCRIPT_NAME: "", PATH_INFO: "/a", QUERY_STRING: "q=1", SERVER_PROTOCOL: "HTTP/1.1", REMOTE_ADDR: "10.1.2.3", ...environ } as Environ,
    status: "200 OK",
    responseHeaders: [["Content-Type", "text/html"]],
    bytesSent: 1234,
    durationMicros: 2_345_678,
    time: new Date(2000, 9, 10, 13, 55, 36),
    ...overrides,
  };
}

/** Waits until the log file has `count` lines (lines are written once per event-loop turn). */
async function linesOf(file: string, count: number): Promise<string[]> {
  let lines: string[] = [];
  await expect
    .poll(
      () => {
        lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
        return lines.length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return lines;
}

describe("access log format (Gunicorn's language)", () => {
  it("renders the default format like Gunicorn", () => {
    const line = compileAccessLogFormat(DEFAULT_ACCESS_LOG_FORMAT)(
      entry({ RAW_URI: "/a?q=1", HTTP_REFERER: "http://ref/", HTTP_USER_AGENT: "curl/8", HTTP_AUTHORIZATION: "Basic " + Buffer.from("alice:pw").toString("base64") }),
    );
    expect(line).toMatch(/^10\.1\.2\.3 - alice \[10\/Oct\/2000:13:55:36 [+-]\d{4}\] "GET \/a\?q=1 HTTP\/1\.1" 200 1234 "http:\/\/ref\/" "curl\/8"$/);
  });

  it("renders every atom: times, pid, method, path, query, protocol, headers in and out, environ keys", () => {
    const format = "%(m)s %(U)s %(q)s %(H)s %(s)s %(B)s %(T)s %(D)s %(M)s %(L)s %(p)s %({x-id}i)s %({x-trace}o)s %({tsgi.url_scheme}e)s %(missing)s %% %(l)s";
    const line = compileAccessLogFormat(format)(
      entry({ HTTP_X_ID: "abc", "tsgi.url_scheme": "https" }, { responseHeaders: [["X-Trace", "t-9"]] }),
    );
    expect(line).toBe(`GET /a q=1 HTTP/1.1 200 1234 2 2345678 2345 2.345678 <${process.pid}> abc t-9 https - % -`);
  });

  it("prints - for absent values and escapes quotes and control characters so lines cannot be forged", () => {
    const line = compileAccessLogFormat('"%(a)s" %(f)s %(u)s')(entry({ HTTP_USER_AGENT: 'evil" 200 -\n127.0.0.1' }));
    expect(line).toBe('"evil\\x22 200 -\\x0a127.0.0.1" - -');
  });

  it("has a JSON variant with one object per line", () => {
    const parsed = JSON.parse(formatJsonAccessLog(entry({ HTTP_USER_AGENT: "curl/8" }))) as Record<string, unknown>;
    expect(parsed).toMatchObject({ remote_addr: "10.1.2.3", method: "GET", path: "/a", query: "q=1", status: 200, bytes: 1234, duration_ms: 2345.678, user_agent: "curl/8", pid: process.pid });
  });
});

describe("access log file", () => {
  it("logs each request with request and response facts", async () => {
    const file = path.join(dir, "access.log");
    const format = '%(h)s "%(r)s" %(s)s %(b)s %({x-trace}o)s %({user-agent}i)s %(M)s';
    const { port } = await startServer(app, { accessLog: { file, format } });
    await rawExchange(port, "GET /x?y=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: probe/1\r\nConnection: close\r\n\r\n");
    const [line] = await linesOf(file, 1);
    expect(line).toMatch(/^127\.0\.0\.1 "GET \/x\?y=1 HTTP\/1\.1" 201 5 t-1 probe\/1 \d+$/);
  });

  it("writes JSON lines with --access-log-format json", async () => {
    const file = path.join(dir, "access.json.log");
    const { port } = await startServer(app, { accessLog: { file, format: "json" } });
    await rawExchange(port, "HEAD /h HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    const [line] = await linesOf(file, 1);
    expect(JSON.parse(line as string)).toMatchObject({ method: "HEAD", path: "/h", status: 201, bytes: 0 });
  });

  it("reopens the file on reopenLogs() after logrotate moved it", async () => {
    const file = path.join(dir, "rotate.log");
    const { port, server } = await startServer(app, { accessLog: { file, format: "%(U)s" } });
    await rawExchange(port, "GET /before HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    await linesOf(file, 1);
    fs.renameSync(file, file + ".1");
    server.reopenLogs();
    await rawExchange(port, "GET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(await linesOf(file, 1)).toEqual(["/after"]);
    expect(fs.readFileSync(file + ".1", "utf8")).toBe("/before\n");
  });

  it("flushes pending lines when the server closes", async () => {
    const file = path.join(dir, "flush.log");
    const { port, server } = await startServer(app, { accessLog: { file, format: "%(U)s" } });
    await rawExchange(port, "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    await server.drain(5_000);
    expect(fs.readFileSync(file, "utf8")).toBe("/last\n");
  });

  it("writes to stdout with --access-logfile -", async () => {
    const script = path.join(dir, "stdout-server.mts"); // .mts: an ES module wherever the temp dir is
    const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "src", "connection", "index.ts");
    fs.writeFileSync(
      script,
      `import { createWorkerServer } from ${JSON.stringify(entry)};
const server = createWorkerServer((e, sr) => { sr("204 No Content", []); return []; }, { accessLog: { file: "-", format: "%(m)s %(U)s %(s)s" } });
await server.serve({ host: "127.0.0.1", port: 0 });
process.stderr.write("PORT " + server.addresses()[0].port + "\\n");
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
`,
    );
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], { cwd: path.dirname(entry), stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let err = "";
        child.stderr?.on("data", (chunk: Buffer) => {
          err += chunk.toString();
          const match = /PORT (\d+)/.exec(err);
          if (match) resolve(Number(match[1]));
        });
        child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${err}`)));
      });
      let out = "";
      const logged = new Promise<void>((resolve) =>
        child.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve();
        }),
      );
      await rawExchange(port, "DELETE /item/7 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      await logged;
      expect(out).toBe("DELETE /item/7 204\n");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    }
  });

  it("fails with a clear error when the log file cannot be opened", () => {
    expect(() => createWorkerServer(app, { accessLog: { file: path.join(dir, "no-such-dir", "a.log") } })).toThrow(AccessLogOpenError);
  });
});
