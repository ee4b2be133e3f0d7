/** Channels-style WebSocket routes, consumers and groups (issue 16), over real sockets with a real ws client. */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Application } from "tsgi";
import { createServer } from "tsgi/node";
import { InMemoryChannelLayer, JsonWebsocketConsumer, originAllowed, withWebSockets, wsPath, type GroupMessage } from "../../src/channels/index.js";

class ChatConsumer extends JsonWebsocketConsumer {
  get group(): string {
    return `chat_${String(this.scope.kwargs.room)}`;
  }
  override async connect(): Promise<void> {
    if (this.scope.kwargs.room === "closed") return; // not accepted: refused with 403
    await this.groupAdd(this.group);
    await this.accept();
  }
  override async receiveJson(content: unknown): Promise<void> {
    await this.channelLayer.groupSend(this.group, { type: "chat.message", text: (content as { text: string }).text });
  }
  async chat_message(message: GroupMessage): Promise<void> {
    await this.sendJson({ room: this.scope.kwargs.room, text: message.text });
  }
}

const httpApp: Application = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode("http")];
};

const servers: Server[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function start(layer = new InMemoryChannelLayer()): Promise<{ url: string; layer: InMemoryChannelLayer }> {
  const app = withWebSockets(httpApp, [wsPath("ws/chat/<slug:room>/", ChatConsumer)], { allowedHosts: ["app.test"], trustedOrigins: ["https://*.trusted.test"], layer });
  const server = createServer(app);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, layer };
}

function connect(url: string, origin?: string): WebSocket {
  const client = new WebSocket(url, origin === undefined ? {} : { origin });
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

function refused(client: WebSocket): Promise<number> {
  return new Promise((resolve) => client.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
}

describe("channels: wsPath, consumers, groups", () => {
  it("broadcasts to every socket of a room, and only that room", async () => {
    const { url, layer } = await start();
    const alice = connect(`${url}/ws/chat/lobby/`);
    const bob = connect(`${url}/ws/chat/lobby/`);
    const carol = connect(`${url}/ws/chat/other/`);
    await Promise.all([once(alice, "open"), once(bob, "open"), once(carol, "open")]);
    expect(layer.size("chat_lobby")).toBe(2);
    const carolGot: string[] = [];
    carol.on("message", (data: Buffer) => carolGot.push(data.toString()));
    const bobGets = once(bob, "message");
    const aliceGets = once(alice, "message");
    alice.send(JSON.stringify({ text: "hello room" }));
    expect(JSON.parse((await bobGets)[0].toString())).toEqual({ room: "lobby", text: "hello room" });
    expect(JSON.parse((await aliceGets)[0].toString())).toEqual({ room: "lobby", text: "hello room" });
    alice.close();
    await once(alice, "close");
    await expect.poll(() => layer.size("chat_lobby")).toBe(1);
    expect(carolGot).toEqual([]);
  });

  it("refuses with 403 a consumer that does not accept, 404 an unknown route, and serves HTTP as before", async () => {
    const { url } = await start();
    expect(await refused(connect(`${url}/ws/chat/closed/`))).toBe(403);
    expect(await refused(connect(`${url}/ws/nowhere/`))).toBe(404);
    expect(await (await fetch(url.replace("ws:", "http:"))).text()).toBe("http");
  });

  it("checks the handshake's Origin against ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS", async () => {
    const { url } = await start();
    expect(await refused(connect(`${url}/ws/chat/lobby/`, "https://evil.test"))).toBe(403);
    const allowed = connect(`${url}/ws/chat/lobby/`, "https://app.test");
    await once(allowed, "open");
    const trusted = connect(`${url}/ws/chat/lobby/`, "https://sub.trusted.test");
    await once(trusted, "open");
    expect(originAllowed("http://localhost:8000", "localhost:8000", [], [])).toBe(true);
    expect(originAllowed("null", "app.test", ["app.test"], [])).toBe(false);
  });

  it("closes a JSON consumer with 1007 on text that is not JSON", async () => {
    const { url } = await start();
    const client = connect(`${url}/ws/chat/lobby/`);
    await once(client, "open");
    client.send("not json {");
    const [code] = await once(client, "close");
    expect(code).toBe(1007);
  });
});
