import { writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROCESS_TEST_TIMEOUT_MS, killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";
import type { DevProcess } from "./helpers/dev-process.js";
import { createTempProject, textApp } from "./helpers/temp-project.js";
import type { TempProject } from "./helpers/temp-project.js";

// A browser keeps its connection to the dev server open across edits: after a reload the
// old app process must not answer on it any more (it would serve the old code).

afterAll(killAllDevProcesses);

interface AgentResponse {
  body: string;
  headers: IncomingHttpHeaders;
  reusedSocket: boolean;
}

/** GET through `agent`, as a browser would: one retry when a reused connection was closed before answering. */
async function getOn(agent: Agent, url: string, retried = false): Promise<AgentResponse> {
  try {
    return await new Promise<AgentResponse>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ body, headers: res.headers, reusedSocket: req.reusedSocket }));
        res.on("error", reject);
      });
      req.on("error", (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end();
    });
  } catch (error) {
    // A kept-alive connection the server closed just as the request went out (RFC 9112 9.3.1: clients retry these).
    const { code, reusedSocket } = error as NodeJS.ErrnoException & { reusedSocket: boolean };
    if (retried || !reusedSocket || (code !== "ECONNRESET" && code !== "EPIPE")) throw error;
    return getOn(agent, url, true);
  }
}

/** True once `text` holds a whole HTTP/1.1 response (Content-Length or chunked). */
function isCompleteResponse(text: string): boolean {
  const headerEnd = text.indexOf("\r\n\r\n");
  if (headerEnd < 0) return false;
  const head = text.slice(0, headerEnd);
  const body = text.slice(headerEnd + 4);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (length) return Buffer.byteLength(body) >= Number(length[1]);
  return /\r\ntransfer-encoding: *chunked/i.test(head) && body.endsWith("0\r\n\r\n");
}

/** A raw connection: `send` writes a request and resolves with everything the server sends until its response is complete or it closes. */
function rawConnection(url: string): { socket: Socket; send(path: string): Promise<string>; closed: Promise<void> } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.setEncoding("utf8");
  // A write to a connection the server already closed fails (EPIPE, ECONNRESET): the close is what is checked.
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    socket,
    closed,
    send(path) {
      return new Promise((resolve) => {
        let received = "";
        const onData = (chunk: string): void => {
          received += chunk;
          if (isCompleteResponse(received)) finish();
        };
        const finish = (): void => {
          socket.off("data", onData);
          resolve(received);
        };
        socket.on("data", onData);
        void closed.then(finish);
        if (!socket.destroyed && socket.writable) socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      });
    },
  };
}

describe("autoreload and kept-alive connections", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let project: TempProject;
  let dev: DevProcess;
  let agent: Agent;
  const edit = async (content: string): Promise<void> => {
    const mark = dev.outputLength();
    writeFileSync(project.path("app.ts"), content);
    await dev.waitForOutput(/reloaded in \d+ ms/, mark);
  };
  beforeEach(async () => {
    project = createTempProject({ "app.ts": textApp("version 1") });
    dev = await startDevServer(["--port", "0", "app.ts:app"], { cwd: project.dir });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }, PROCESS_TEST_TIMEOUT_MS);
  afterEach(async () => {
    agent.destroy();
    await dev.stop("SIGTERM");
    project.remove();
  });

  it("a client that keeps its connection open gets the new code after a reload", async () => {
    const before = await getOn(agent, dev.url);
    expect(before.body).toMatch(/^version 1 pid=\d+$/);
    expect(before.headers.connection).not.toBe("close");
    await edit(textApp("version 2"));
    const after = await getOn(agent, dev.url);
    expect(after.body).toMatch(/^version 2 pid=\d+$/);
    // And the connection it now holds stays on the new process.
    const again = await getOn(agent, dev.url);
    expect(again.body).toBe(after.body);
    expect(again.reusedSocket).toBe(true);
  });

  it("a connection idle across a reload is closed by the old process without another answer", async () => {
    const connection = rawConnection(dev.url);
    const first = await connection.send("/");
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(first).toMatch(/version 1 pid=\d+/);
    expect(first).not.toMatch(/\r\nconnection: close\r\n/i);
    await edit(textApp("version 2"));
    // Whether the close already arrived or the request crosses it, the old process answers nothing.
    const second = await connection.send("/");
    expect(second).toBe("");
    await connection.closed;
    connection.socket.destroy();
    expect(await (await fetch(dev.url, { headers: { Connection: "close" } })).text()).toMatch(/^version 2 pid=\d+$/);
  });

  it("a response in flight during a reload completes with Connection: close, and the next request reaches the new code", async () => {
    const gate = project.path("gate");
    // "/slow" waits for the gate file, so the test decides when its response is written.
    await edit(`import { existsSync } from "node:fs";
export const app = async (environ: Record<string, unknown>, startResponse: (s: string, h: [string, string][]) => unknown) => {
  if (environ.PATH_INFO === "/slow") {
    console.log("slow request entered the app");
    await new Promise<void>((resolve) => { const timer = setInterval(() => { if (existsSync(${JSON.stringify(gate)})) { clearInterval(timer); resolve(); } }, 10); });
  }
  startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [new TextEncoder().encode("gated pid=" + process.pid)];
};
`);
    // An idle kept-alive connection to the same process: its close shows the process got told to stop.
    const idle = rawConnection(dev.url);
    expect(await idle.send("/")).toMatch(/gated pid=\d+/);
    const mark = dev.outputLength();
    const slow = getOn(agent, dev.url + "slow");
    slow.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    await dev.waitForOutput(/slow request entered the app/, mark);

    writeFileSync(project.path("app.ts"), textApp("version 2"));
    await idle.closed;
    idle.socket.destroy();
    writeFileSync(gate, "open");
    const inFlight = await slow;
    expect(inFlight.body).toMatch(/^gated pid=\d+$/);
    expect(inFlight.headers.connection).toBe("close");
    const next = await getOn(agent, dev.url);
    expect(next.body).toMatch(/^version 2 pid=\d+$/);
    expect(next.reusedSocket).toBe(false);
  });
});
