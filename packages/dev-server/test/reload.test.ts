import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, isAlive, killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";
import type { DevProcess } from "./helpers/dev-process.js";
import { createTempProject, textApp } from "./helpers/temp-project.js";
import type { TempProject } from "./helpers/temp-project.js";

afterAll(killAllDevProcesses);

async function text(url: string, path = ""): Promise<string> {
  const response = await fetch(url + path, { headers: { Connection: "close" } });
  return response.text();
}

/** Sends a raw GET once the TCP connection is accepted, and resolves with the full response text. */
function rawGet(url: string, onConnected: () => void): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
      onConnected();
    });
    let response = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (response += chunk));
    socket.on("end", () => resolve(response));
    socket.on("error", reject);
  });
}

function childPids(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((value) => value > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** Sends `signal` unless the process already exited (a short-lived child may be gone since it was listed). */
function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

async function waitUntilGone(pids: number[]): Promise<void> {
  // No event tells us a non-child process died: poll, with a generous bound.
  for (let attempt = 0; attempt < 300 && pids.some(isAlive); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("autoreload", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  // One server for the whole sequence of edits, as a developer would use it.
  let dev: DevProcess;
  let editProject: TempProject;
  /** Writes the file and resolves with the output printed until `outcome` appears. */
  const edit = async (file: string, content: string, outcome: RegExp = /reloaded in \d+ ms/): Promise<string> => {
    const mark = dev.outputLength();
    writeFileSync(editProject.path(file), content);
    return dev.waitForOutput(outcome, mark);
  };
  beforeAll(async () => {
    editProject = createTempProject({ "app.ts": textApp("version 1"), "message.ts": 'export const message = "from module 1";\n', "views/page.html": "<p>1</p>" });
    dev = await startDevServer(["--port", "0", "--watch", "views/**/*.html", "app.ts:app"], { cwd: editProject.dir });
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await dev.stop("SIGTERM");
    editProject.remove();
  });

  it("serves the edited app on the next request, from a fresh process", async () => {
    const before = await text(dev.url);
    expect(before).toMatch(/^version 1 pid=\d+$/);
    await edit("app.ts", textApp("version 2"));
    const after = await text(dev.url);
    expect(after).toMatch(/^version 2 pid=\d+$/);
    expect(after.split("pid=")[1]).not.toBe(before.split("pid=")[1]);
    expect(dev.stdout()).toMatch(/app\.ts changed, reloading/);
  });

  it("reloads when a module the app imports changes, and for --watch globs", async () => {
    await edit("app.ts", `import { message } from "./message.ts";\n${textApp("x").replace('"x"', "message")}`);
    expect(await text(dev.url)).toMatch(/^from module 1 /);
    await edit("message.ts", 'export const message = "from module 2";\n');
    expect(await text(dev.url)).toMatch(/^from module 2 /);
    await edit("views/page.html", "<p>2</p>", /views\/page\.html changed, reloading[\s\S]*reloaded in/);
  });

  it("does not refuse a request sent while the app restarts: it waits for the new process", async () => {
    const gate = editProject.path("gate");
    // The new version cannot finish loading until the test opens the gate, so the restart is surely in progress.
    const slowToLoad = `import { existsSync } from "node:fs";
await new Promise<void>((resolve) => { const timer = setInterval(() => { if (existsSync(${JSON.stringify(gate)})) { clearInterval(timer); resolve(); } }, 10); });
${textApp("new")}`;
    const mark = dev.outputLength();
    writeFileSync(editProject.path("app.ts"), slowToLoad);
    await dev.waitForOutput(/changed, reloading/, mark);
    const raw = await rawGet(dev.url, () => writeFileSync(gate, "open"));
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toMatch(/\r\n(c\r\n)?new pid=\d+\r\n/);
  });

  it("shows a syntax error in the terminal and the browser, led by its place and code, then recovers once the file is fixed", async () => {
    const terminal = await edit("app.ts", 'export const app = (environ, startResponse) => {\n  startResponse("200 OK", [];\n};\n', /the app failed to start/);
    // The terminal leads with the error, then where it is and the code around it, with a caret under the column.
    expect(terminal).toMatch(/\] SyntaxError: Expected "\)" but found ";"\nIn your code at \S*app\.ts:2:29 \(syntax error\)\n/);
    expect(terminal).toContain('  > 2 |   startResponse("200 OK", [];\n      |                             ^\n');
    expect(terminal).not.toContain("failureErrorWithLog"); // esbuild's own frames are not the user's problem
    const page = await fetch(dev.url, { headers: { Accept: "text/plain" } });
    expect(page.status).toBe(500);
    const pageText = await page.text();
    expect(pageText.split("\n")[0]).toBe('SyntaxError: Expected ")" but found ";"');
    expect(pageText).toContain("tsgi-dev: the app failed to start");
    expect(pageText).toContain('> 2 |   startResponse("200 OK", [];');
    expect(pageText).not.toContain("No stack trace.");
    expect(pageText).toMatch(/\.\.\. \d+ frames in esbuild/);
    expect(pageText).not.toContain("failureErrorWithLog");
    const html = await fetch(dev.url, { headers: { Accept: "text/html" } });
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const htmlText = await html.text();
    expect(htmlText).toContain("<h1>SyntaxError in app.ts:2:29</h1>");
    expect(htmlText).toContain('<pre class="message exception_value">Expected &quot;)&quot; but found &quot;;&quot;</pre>');
    expect(htmlText).toMatch(/<pre class="source code-frame">[\s\S]*<span class="line current"><span class="number">2<\/span>  startResponse/);
    // esbuild's frames are still there, folded in a closed <details>.
    expect(htmlText).toMatch(/<details><summary>\d+ frames in esbuild[^<]*<\/summary>[\s\S]*failureErrorWithLog/);

    await edit("app.ts", textApp("fixed"));
    expect(await text(dev.url)).toMatch(/^fixed /);
  });

  it("recovers from an app that fails while importing (missing module, error thrown at import)", async () => {
    await edit("app.ts", 'import { nothing } from "./nowhere.ts";\nexport const app = nothing;\n', /the app failed to start/);
    const missing = await (await fetch(dev.url, { headers: { Accept: "text/plain" } })).text();
    expect(missing.split("\n")[0]).toMatch(/^Error: Cannot find module '\S*nowhere\.ts' imported from /);
    // The import statement is the place to look.
    expect(missing).toMatch(/In your code at \S*app\.ts:1:25 \(import\)\n  > 1 \| import \{ nothing \} from "\.\/nowhere\.ts";\n/);
    await edit("app.ts", 'throw new Error("boom at import");\nexport const app = 1;\n', /the app failed to start/);
    const thrown = await (await fetch(dev.url, { headers: { Accept: "text/plain" } })).text();
    expect(thrown.split("\n")[0]).toBe("Error: boom at import");
    expect(thrown).toMatch(/Raised in your code at \S*app\.ts:1:\d+/);
    await edit("app.ts", textApp("fine again"));
    expect(await text(dev.url)).toMatch(/^fine again /);
  });

  it("shows a crash of the app process (an error thrown outside any request) and restarts on the next save", async () => {
    await edit(
      "app.ts",
      // The crash is scheduled from close(), which the server calls once the response is complete.
      `export const app = (environ: unknown, startResponse: (s: string, h: [string, string][]) => unknown) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  const body = [new TextEncoder().encode("about to crash")];
  return Object.assign(body, { close: () => void setTimeout(() => { throw new Error("crashed in a timer"); }, 0) });
};
`,
    );
    const mark = dev.outputLength();
    expect(await text(dev.url)).toBe("about to crash");
    await dev.waitForOutput(/the app process crashed/, mark);
    const page = await fetch(dev.url, { headers: { Accept: "text/plain" } });
    expect(page.status).toBe(500);
    const pageText = await page.text();
    // The crash leads; what happened to the process follows.
    expect(pageText.split("\n")[0]).toBe("Error: crashed in a timer");
    expect(pageText).toContain("tsgi-dev: the app process crashed; fix the error and save");
    await edit("app.ts", textApp("after the crash"));
    expect(await text(dev.url)).toMatch(/^after the crash /);
  });
});

describe("stopping", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let project: TempProject;
  beforeEach(() => {
    project = createTempProject();
  });
  afterEach(async () => {
    await killAllDevProcesses();
    project.remove();
  });

  it("Ctrl-C (SIGINT) stops the supervisor and every app process", async () => {
    project.write("app.ts", textApp("up"));
    const dev = await startDevServer(["--port", "0", "app.ts:app"], { cwd: project.dir });
    const appPid = Number((await text(dev.url)).split("pid=")[1]);
    const supervisorPid = dev.child.pid ?? 0;
    const children = childPids(supervisorPid);
    expect(children).toContain(appPid);

    expect(await dev.stop("SIGINT")).toBe(0);
    // The supervisor waits for its children before exiting: they must already be gone.
    expect(children.filter(isAlive)).toEqual([]);
  });

  it("Ctrl-C in a terminal (SIGINT to the supervisor and its app processes at once) lets an in-flight request finish", async () => {
    const gate = project.path("gate");
    project.write(
      "app.ts",
      `import { existsSync } from "node:fs";
export const app = async function* (environ: unknown, startResponse: (s: string, h: [string, string][]) => unknown) {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  yield new TextEncoder().encode("first|");
  await new Promise<void>((resolve) => { const timer = setInterval(() => { if (existsSync(${JSON.stringify(gate)})) { clearInterval(timer); resolve(); } }, 10); });
  yield new TextEncoder().encode("last");
};
`,
    );
    const dev = await startDevServer(["--port", "0", "app.ts:app"], { cwd: project.dir });
    const { hostname, port } = new URL(dev.url);
    const socket = connect(Number(port), hostname);
    socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    let response = "";
    const ended = new Promise<void>((resolve, reject) => {
      socket.on("end", resolve).on("error", reject);
    });
    // The request is in flight once its first chunk arrived.
    await new Promise<void>((resolve) => {
      socket.setEncoding("utf8").on("data", (chunk: string) => {
        response += chunk;
        if (response.includes("first|")) resolve();
      });
    });
    const supervisorPid = dev.child.pid ?? 0;
    const group = [supervisorPid, ...childPids(supervisorPid)];
    const mark = dev.outputLength();
    for (const pid of group) signalIfAlive(pid, "SIGINT"); // what the terminal does on Ctrl-C
    // Only once the supervisor is stopping may the app finish: the request then completes during the shutdown.
    await dev.waitForOutput(/Stopping: letting in-flight requests finish \(Ctrl-C again to stop at once\)/, mark);
    writeFileSync(gate, "open");
    await ended;
    socket.destroy();
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).toMatch(/first\|[\s\S]*last/);
    expect(await dev.exited).toBe(0);
    await waitUntilGone(group);
    expect(group.filter(isAlive)).toEqual([]);
  });

  it("app processes exit by themselves when the supervisor is killed outright", async () => {
    project.write("app.ts", textApp("up"));
    const dev = await startDevServer(["--port", "0", "app.ts:app"], { cwd: project.dir });
    const appPid = Number((await text(dev.url)).split("pid=")[1]);
    const children = childPids(dev.child.pid ?? 0);
    expect(children).toContain(appPid);

    await dev.stop("SIGKILL");
    await waitUntilGone(children);
    expect(children.filter(isAlive)).toEqual([]);
  });
});
