/**
 * WebSocket under tsgi-dev's server (issue 16): upgrades run through the same dev app (validator
 * on), and draining closes open sockets with the code it is given (1012 on a reload).
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Application } from "tsgi";
import { colorsFor } from "../src/log/colors.js";
import { createDevHttpServer, type DevHttpServer } from "../src/server/devHttpServer.js";

const errors: string[] = [];
const quiet = { write: () => undefined };
const errorSink = { write: (text: string) => void errors.push(text) };
const plain = colorsFor({ isTTY: false }, {});
const servers: DevHttpServer[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  expect(errors.splice(0)).toEqual([]);
  for (const server of servers.splice(0)) {
    server.httpServer.closeAllConnections();
    if (server.httpServer.listening) await new Promise((resolve) => server.httpServer.close(resolve));
  }
});

const echo: Application = async (environ) => {
  const websocket = environ["tsgi.websocket"]!;
  await websocket.accept();
  for await (const message of websocket) await websocket.send(message);
  return [];
};

async function start(app: Application, state?: Record<string, unknown>): Promise<{ server: DevHttpServer; url: string }> {
  const server = createDevHttpServer(app, { validate: true, staticMounts: [], stdout: quiet, stdoutColors: plain, stderr: errorSink, stderrColors: plain, ...(state ? { state } : {}) });
  servers.push(server);
  server.httpServer.listen(0, "127.0.0.1");
  await once(server.httpServer, "listening");
  return { server, url: `ws://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/ws` };
}

function connect(url: string): WebSocket {
  const client = new WebSocket(url);
  clients.push(client);
  return client;
}

describe("WebSocket under tsgi-dev", () => {
  it("echoes through the validator", async () => {
    const { url } = await start(echo);
    const client = connect(url);
    await once(client, "open");
    client.send("through the dev app");
    expect((await once(client, "message"))[0].toString()).toBe("through the dev app");
  });

  it("closes open sockets with 1012 when draining for a reload, and the drain completes", async () => {
    const { server, url } = await start(echo);
    const client = connect(url);
    await once(client, "open");
    const closed = once(client, "close");
    await server.drain(1012);
    expect((await closed)[0]).toBe(1012);
    await server.websockets.idle();
    expect(server.websockets.size).toBe(0);
  });

  it("passes the lifespan state to the environ of a WebSocket request", async () => {
    const { url } = await start(async (environ) => {
      await environ["tsgi.websocket"]!.accept();
      await environ["tsgi.websocket"]!.send(String(environ["tsgi.state"]?.name));
      await environ["tsgi.websocket"]!.close();
      return [];
    }, { name: "dev state" });
    expect((await once(connect(url), "message"))[0].toString()).toBe("dev state");
  });
});
