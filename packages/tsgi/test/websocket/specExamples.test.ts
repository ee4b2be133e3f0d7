/** SPEC.md's WebSocket and lifespan examples, verbatim (test/websocket/examples/), run for real. */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createMemoryErrorStream, startLifespan } from "../../src/index.js";
import { createServer } from "../../src/node/index.js";
import { echoApp } from "./examples/echoApp.js";
import { app as pooledApp } from "./examples/pooledApp.js";

const SPEC = readFileSync(new URL("../../SPEC.md", import.meta.url), "utf8");
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

describe("SPEC.md WebSocket and Lifespan examples", () => {
  it.each(["echoApp.ts", "pooledApp.ts"])("SPEC.md shows %s verbatim", (file) => {
    expect(SPEC).toContain(readFileSync(new URL(`./examples/${file}`, import.meta.url), "utf8").trimEnd());
  });

  it("echoApp echoes with the echo subprotocol, refuses another site's origin, and answers plain HTTP with 426", async () => {
    const port = await listen(createServer(echoApp));
    const client = new WebSocket(`ws://127.0.0.1:${port}/`, ["echo"]);
    await once(client, "open");
    expect(client.protocol).toBe("echo");
    const echoed = once(client, "message");
    client.send("ping");
    expect(String((await echoed)[0])).toBe("ping");
    client.close();
    const foreign = new WebSocket(`ws://127.0.0.1:${port}/`, { origin: "http://evil.test" });
    foreign.on("error", () => undefined);
    const [, response] = await once(foreign, "unexpected-response");
    expect(response.statusCode).toBe(403);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(426);
  });

  it("pooledApp opens its pool at start-up, answers from it, and closes it at shutdown", async () => {
    const lifespan = await startLifespan(pooledApp);
    const port = await listen(createServer(pooledApp, { state: lifespan.state, errors: createMemoryErrorStream() }));
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("answer: 42\n");
    await lifespan.shutdown();
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(500); // the pool is closed: its query rejects
  });
});
