/**
 * WebSocket on the worker's own HTTP/1.1 engine (issue 16): the connection hands an upgrade
 * request's socket to tsgi's serveWebSocket; open sockets count as in flight and a graceful stop
 * closes them with 1001 once its timeout is over.
 */
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { callApplication, type Application } from "tsgi";
import { closeAllServers, echoApp as httpEchoApp, rawExchange, startServer, statusOf } from "./http.helpers.js";

const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await closeAllServers();
});

const echo: Application = async (environ, startResponse) => {
  const websocket = environ["tsgi.websocket"];
  if (websocket === undefined) return callApplication(httpEchoApp, environ, startResponse);
  await websocket.accept();
  for await (const message of websocket) await websocket.send(message);
  return [];
};

function connect(port: number, path = "/"): WebSocket {
  const client = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  clients.push(client);
  return client;
}

describe("WebSocket on tsgi-worker's engine", () => {
  it("echoes text and binary, and serves HTTP on other connections as before", async () => {
    const { port } = await startServer(echo);
    const client = connect(port, "/ws?room=1");
    await once(client, "open");
    client.send("hello");
    expect((await once(client, "message"))[0].toString()).toBe("hello");
    client.send(Buffer.from([1, 2, 3]));
    const [bytes, binary] = await once(client, "message");
    expect([[...bytes], binary]).toEqual([[1, 2, 3], true]);
    const exchange = await rawExchange(port, "GET /plain HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(statusOf(exchange.text)).toBe(200);
  });

  it("echoes 50 messages sent back to back, in order", async () => {
    const { port } = await startServer(echo);
    const client = connect(port);
    await once(client, "open");
    const got: string[] = [];
    const all = new Promise<void>((resolve) => client.on("message", (data: Buffer) => void (got.push(data.toString()) === 50 && resolve())));
    for (let i = 0; i < 50; i++) client.send(`m${i}`);
    await all;
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it("rejects with the app's 403", async () => {
    const { port } = await startServer((environ, startResponse) => {
      startResponse("403 Forbidden", [["Content-Type", "text/plain"]]);
      return [new TextEncoder().encode("no\n")];
    });
    const client = connect(port);
    client.on("error", () => undefined);
    const [, response] = await once(client, "unexpected-response");
    expect(response.statusCode).toBe(403);
  });

  it("counts an open socket as in flight, and a graceful stop closes it with 1001 after the timeout", async () => {
    const running = await startServer(echo);
    const client = connect(running.port);
    await once(client, "open");
    expect(running.server.inFlight).toBe(1);
    const closed = once(client, "close");
    await running.server.drain(200);
    expect((await closed)[0]).toBe(1001);
    expect(running.server.inFlight).toBe(0);
  });

  it("reports an open socket to onRequest at once and to onResponse (status 101) when it closes", async () => {
    const events: string[] = [];
    const { port } = await startServer(echo, {}, {
      onRequest: (environ) => void events.push(`request ${environ.PATH_INFO}`),
      onResponse: (environ, outcome) => void events.push(`response ${environ.PATH_INFO} ${outcome.status}`),
    });
    const client = connect(port, "/live");
    await once(client, "open");
    expect(events).toEqual(["request /live"]);
    client.close();
    await once(client, "close");
    await expect.poll(() => events).toEqual(["request /live", "response /live 101 Switching Protocols"]);
  });

  it("lets an open socket finish within the graceful timeout", async () => {
    const running = await startServer(echo);
    const client = connect(running.port);
    await once(client, "open");
    const draining = running.server.drain(60_000);
    client.close(1000, "done");
    const [code] = await once(client, "close");
    await draining;
    expect(code).toBe(1000);
  });

  it("gives every environ the lifespan state", async () => {
    const state = { greeting: "from startup" };
    const { port } = await startServer(async (environ) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.accept();
      await websocket.send(String((environ["tsgi.state"] as typeof state).greeting));
      await websocket.close();
      return [];
    }, { state });
    const client = connect(port);
    expect((await once(client, "message"))[0].toString()).toBe("from startup");
  });

  describe("over TLS (--certfile/--keyfile)", () => {
    let dir: string;
    let certFile: string;
    let keyFile: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgi-worker-wss-"));
      certFile = path.join(dir, "cert.pem");
      keyFile = path.join(dir, "key.pem");
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("echoes over wss://, and the app sees the https scheme", async () => {
      const { port } = await startServer(async (environ) => {
        const websocket = environ["tsgi.websocket"]!;
        await websocket.accept();
        for await (const message of websocket) await websocket.send(`${environ["tsgi.url_scheme"]}:${String(message)}`);
        return [];
      }, { tls: { cert: certFile, key: keyFile } });
      // Verified against the test certificate, which names 127.0.0.1.
      const client = new WebSocket(`wss://127.0.0.1:${port}/`, { ca: fs.readFileSync(certFile) });
      clients.push(client);
      await once(client, "open");
      client.send("secure");
      expect((await once(client, "message"))[0].toString()).toBe("https:secure");
    });
  });
});
