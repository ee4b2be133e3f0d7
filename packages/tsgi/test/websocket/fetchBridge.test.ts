/**
 * What of WebSocket and lifespan carries over the fetch bridges (SPEC.md, "Fetch-style hosts"):
 * SPEC's fetchBridge.ts example, verbatim, run on createServer and through toFetchHandler, and the
 * facts the chapter states about each bridge.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ReservedEnvironKeyError, startLifespan, type Environ } from "../../src/index.js";
import { fromFetchHandler, toFetchHandler } from "../../src/fetch/index.js";
import { createServer } from "../../src/node/index.js";
import { echoApp } from "./examples/echoApp.js";
import { app, fetchHandler } from "./examples/fetchBridge.js";

const SPEC = readFileSync(new URL("../../SPEC.md", import.meta.url), "utf8");
const UPGRADE_HEADERS = { upgrade: "websocket", connection: "upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version": "13" };
const servers: Server[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

function connect(url: string, protocols?: string[]): WebSocket {
  const client = new WebSocket(url, protocols);
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

describe("SPEC.md's fetch bridge example", () => {
  it("SPEC.md shows fetchBridge.ts verbatim", () => {
    expect(SPEC).toContain(readFileSync(new URL("./examples/fetchBridge.ts", import.meta.url), "utf8").trimEnd());
  });

  it("on a TSGI server: pages through fromFetchHandler with the lifespan state, WebSocket through the echo app in front", async () => {
    const lifespan = await startLifespan(app);
    const port = await listen(createServer(app, { state: lifespan.state }));
    expect(await (await fetch(`http://127.0.0.1:${port}/about`)).text()).toBe("/about served since startup\n");
    const client = connect(`ws://127.0.0.1:${port}/echo`, ["echo"]);
    await once(client, "open");
    expect(client.protocol).toBe("echo");
    client.send("through the bridge's server");
    expect(String((await once(client, "message"))[0])).toBe("through the bridge's server");
    await lifespan.shutdown();
  });

  it("on a fetch host: the host's lifespan state reaches the fetch handler; an upgrade request gets the echo app's 426", async () => {
    const handler = await fetchHandler();
    expect(await (await handler(new Request("http://host.test/about"))).text()).toBe("/about served since startup\n");
    const upgrade = await handler(new Request("http://host.test/echo", { headers: UPGRADE_HEADERS }));
    expect(upgrade.status).toBe(426);
  });
});

describe("what the bridges carry", () => {
  it("toFetchHandler builds no tsgi.websocket, and a host cannot slip one in through extraEnviron", async () => {
    const plain = toFetchHandler(echoApp);
    const response = await plain(new Request("http://host.test/", { headers: UPGRADE_HEADERS }));
    expect([response.status, await response.text()]).toEqual([426, "this endpoint speaks WebSocket\n"]);
    const smuggled = toFetchHandler(echoApp, { extraEnviron: () => ({ "tsgi.websocket": {} }) });
    await expect(smuggled(new Request("http://host.test/"))).rejects.toBeInstanceOf(ReservedEnvironKeyError);
  });

  it("toFetchHandler runs no lifespan itself: tsgi.state is absent unless the host passes its state", async () => {
    const states: unknown[] = [];
    const probe = (environ: Environ, startResponse: (status: string, headers: [string, string][]) => unknown) => {
      states.push(environ["tsgi.state"]);
      startResponse("204 No Content", []);
      return [];
    };
    await toFetchHandler(probe)(new Request("http://host.test/"));
    await toFetchHandler(probe, { state: { ready: true } })(new Request("http://host.test/"));
    expect(states).toEqual([undefined, { ready: true }]);
  });

  it("fromFetchHandler: an upgrade request reaches the handler without its hop-by-hop Upgrade header; its Response is the HTTP refusal", async () => {
    const seen: Array<{ upgrade: string | null; key: string | null; hasWebSocket: boolean }> = [];
    const bridged = fromFetchHandler((request, { environ }) => {
      seen.push({ upgrade: request.headers.get("upgrade"), key: request.headers.get("sec-websocket-key"), hasWebSocket: environ["tsgi.websocket"] !== undefined });
      return new Response("no WebSocket here\n", { status: 403 });
    });
    const port = await listen(createServer(bridged));
    const client = connect(`ws://127.0.0.1:${port}/`);
    const [, response] = await once(client, "unexpected-response");
    expect(response.statusCode).toBe(403);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ upgrade: null, hasWebSocket: true });
    expect(seen[0]?.key).toMatch(/==$/);
  });

  it("fromFetchHandler: a handler that accepts tsgi.websocket serves the connection; the Response it returns afterwards is discarded", async () => {
    const bridged = fromFetchHandler(async (_request, { environ }) => {
      const websocket = environ["tsgi.websocket"];
      if (websocket === undefined) return new Response("pages\n");
      await websocket.accept();
      for await (const message of websocket) await websocket.send(message);
      return new Response("discarded", { status: 200 });
    });
    const port = await listen(createServer(bridged));
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("pages\n");
    const client = connect(`ws://127.0.0.1:${port}/`);
    await once(client, "open");
    client.send("hello from fetch");
    expect(String((await once(client, "message"))[0])).toBe("hello from fetch");
    client.close(4000, "done");
    const [code] = await once(client, "close");
    expect(code).toBe(4000);
  });
});
