/** The session and user on a WebSocket handshake (withWebSockets' `settings`), over a real server and ws client. */
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createServer } from "tsgi/node";
import { AuthenticationMiddleware, HttpResponse, JsonWebsocketConsumer, SessionMiddleware, path, withWebSockets, wsPath, type HttpRequest, type SettingsInput } from "../../src/index.js";
import { makeApp } from "../helpers/core.js";

/** Tells the client what its scope knows: the session's "user" key and whether a user is logged in. */
class WhoAmI extends JsonWebsocketConsumer {
  override async connect(): Promise<void> {
    await this.accept();
    const { session, user } = this.scope;
    await this.sendJson({
      hasSession: session !== undefined,
      name: session === undefined ? null : ((await session.get<string>("user")) ?? null),
      user: user === undefined ? null : { authenticated: user.isAuthenticated, username: user.username },
    });
  }
}

const views = [
  path("set/", async (request: HttpRequest) => {
    await request.session.set("user", request.GET.get("user") ?? "ada");
    return new HttpResponse("set");
  }),
];

const sessionDir = mkdtempSync(join(tmpdir(), "tsgi-ws-sessions-"));
afterAll(() => rmSync(sessionDir, { recursive: true, force: true }));

const servers: Server[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function start(extra: Partial<SettingsInput>, withSettings = true): Promise<string> {
  const app = makeApp({ MIDDLEWARE: [SessionMiddleware], urlpatterns: views, ALLOWED_HOSTS: ["127.0.0.1"], ...extra });
  const server = createServer(withWebSockets(app, [wsPath("ws/me/", WhoAmI)], { allowedHosts: ["127.0.0.1"], ...(withSettings && { settings: app.settings }) }));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function ask(host: string, cookie?: string): Promise<unknown> {
  const client = new WebSocket(`ws://${host}/ws/me/`, cookie === undefined ? {} : { headers: { cookie } });
  clients.push(client);
  const [data] = (await once(client, "message")) as [Buffer];
  return JSON.parse(data.toString());
}

async function login(host: string, user: string): Promise<string> {
  const response = await fetch(`http://${host}/set/?user=${user}`);
  return (response.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
}

describe("handshake session and user", () => {
  for (const engine of ["signed_cookies", "file"] as const) {
    it(`reads the session the HTTP side wrote (${engine})`, async () => {
      const host = await start({ SESSION_ENGINE: engine, SESSION_FILE_PATH: sessionDir });
      const cookie = await login(host, "grace");
      expect(cookie).toMatch(/^sessionid=./);
      expect(await ask(host, cookie)).toEqual({ hasSession: true, name: "grace", user: { authenticated: false, username: "" } });
    });
  }

  it("gives an empty session and an anonymous user without a cookie or with a forged one", async () => {
    const host = await start({ SESSION_ENGINE: "signed_cookies", MIDDLEWARE: [SessionMiddleware, AuthenticationMiddleware] });
    const anonymous = { hasSession: true, name: null, user: { authenticated: false, username: "" } };
    expect(await ask(host)).toEqual(anonymous);
    expect(await ask(host, "sessionid=forged.value:not-signed")).toEqual(anonymous);
  });

  it("leaves scope.session and scope.user undefined without settings", async () => {
    const host = await start({ SESSION_ENGINE: "signed_cookies" }, false);
    const cookie = await login(host, "grace");
    expect(await ask(host, cookie)).toEqual({ hasSession: false, name: null, user: null });
  });
});
