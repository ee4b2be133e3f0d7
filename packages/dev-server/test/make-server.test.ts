import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { Application } from "tsgi";
import { CannotBindError, demoApp, makeServer, serve } from "../src/index.js";
import type { DevServer } from "../src/index.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function track<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const started = await server;
  open.push(started);
  return started;
}

const hello: Application = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode(`hello ${environ.PATH_INFO}`)];
};

describe("makeServer (wsgiref's make_server)", () => {
  it("binds port 0 to a free port and reports its URL", async () => {
    const server = await track(makeServer("127.0.0.1", 0, hello));
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it("handleRequest() serves exactly one request and resolves with what happened to it", async () => {
    const server: DevServer = await track(makeServer("127.0.0.1", 0, hello));
    const first = fetch(`${server.url}one`);
    const result = await server.handleRequest();
    expect(result).toMatchObject({ status: "200 OK", bytesSent: 10, aborted: false });
    expect(await (await first).text()).toBe("hello /one");

    // A second request waits until someone serves it.
    let answered = false;
    const second = fetch(`${server.url}two`).then(async (response) => {
      answered = true;
      return response.text();
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    await server.handleRequest();
    expect(await second).toBe("hello /two");
  });

  it("serveForever() serves concurrent requests until close()", async () => {
    const server = await makeServer("127.0.0.1", 0, hello);
    const serving = server.serveForever();
    const texts = await Promise.all(["/a", "/b", "/c"].map(async (path) => (await fetch(server.url + path.slice(1))).text()));
    expect(texts).toEqual(["hello /a", "hello /b", "hello /c"]);
    await server.close();
    await serving;
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it("answers requests still waiting at close() with 503", async () => {
    const server = await makeServer("127.0.0.1", 0, hello);
    const waiting = fetch(server.url);
    // Wait until the request has reached the server, then close without serving it.
    await new Promise<void>((resolve) => server.httpServer.once("request", () => resolve()));
    await server.close();
    const response = await waiting;
    expect(response.status).toBe(503);
  });

  it("throws CannotBindError with an actionable message when the port is taken", async () => {
    const first = await track(makeServer("127.0.0.1", 0, hello));
    const error = await makeServer("127.0.0.1", first.port, hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CannotBindError);
    expect((error as CannotBindError).message).toBe(`cannot bind 127.0.0.1:${first.port}: address in use (another server is using it: stop it, or pick another port with --port ${first.port + 1} or PORT=${first.port + 1})`);
  });
});

describe("demoApp", () => {
  it('answers "Hello world!" then every environ key, sorted', async () => {
    const server = await track(serve(demoApp, { port: 0 }));
    const response = await fetch(`${server.url}caf%C3%A9?x=1`, { headers: { "X-Custom": "yes" } });
    const text = await response.text();
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const [greeting, blank, ...lines] = text.trimEnd().split("\n");
    expect(greeting).toBe("Hello world!");
    expect(blank).toBe("");
    const keys = lines.map((line) => line.split(" = ")[0] ?? "");
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(expect.arrayContaining(["REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "HTTP_X_CUSTOM", "tsgi.version", "tsgi.input"]));
    expect(lines).toContain('PATH_INFO = "/caf\u00c3\u00a9"');
    expect(lines).toContain('QUERY_STRING = "x=1"');
    expect(lines).toContain("tsgi.version = [1, 0]");
  });
});

describe("serve()", () => {
  it("keeps connections alive, streams chunked bodies both ways and answers HEAD without a body", async () => {
    const echo: Application = async (environ, startResponse) => {
      const body = await environ["tsgi.input"].read();
      startResponse("200 OK", [["Content-Type", "application/octet-stream"]]);
      return (async function* () {
        yield body;
        yield new TextEncoder().encode("!");
      })();
    };
    const server = await track(serve(echo, { port: 0 }));
    const exchange = (method: string, body?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; text: string; localPort: number | undefined }>((resolve, reject) => {
        const req = request(server.url, { method, agent: keepAlive, headers: body === undefined ? {} : { "Transfer-Encoding": "chunked" } }, (res) => {
          const localPort = res.socket.localPort;
          let text = "";
          res.setEncoding("latin1").on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, localPort }));
        });
        req.on("error", reject);
        if (body !== undefined) {
          req.write(body.slice(0, 3));
          req.write(body.slice(3));
        }
        req.end();
      });
    const { Agent } = await import("node:http");
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const posted = await exchange("POST", "chunked body");
      expect(posted.text).toBe("chunked body!");
      expect(posted.headers["transfer-encoding"]).toBe("chunked");
      const head = await exchange("HEAD");
      expect(head.status).toBe(200);
      expect(head.text).toBe("");
      // Same client port: the second request went over the same kept-alive connection.
      expect(head.localPort).toBe(posted.localPort);
    } finally {
      keepAlive.destroy();
    }
  });
});
