import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createMemoryErrorStream, WebSocketTracker, type Application, type Environ } from "../../src/index.js";
import { createServer } from "../../src/node/index.js";

const servers: Server[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function listen(app: Application, options: Parameters<typeof createServer>[1] = {}): Promise<string> {
  const server = createServer(app, { errors: createMemoryErrorStream(), ...options });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function connect(url: string, protocols?: string[]): WebSocket {
  const client = new WebSocket(url, protocols);
  clients.push(client);
  return client;
}

/** Resolves with the HTTP status of a refused handshake. */
function refusedStatus(client: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    client.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    client.on("open", () => reject(new Error("the handshake was accepted")));
    client.on("error", () => undefined);
  });
}

const echoApp: Application = async (environ) => {
  const websocket = environ["tsgi.websocket"];
  if (websocket === undefined) throw new Error("no tsgi.websocket");
  await websocket.accept();
  for await (const message of websocket) await websocket.send(message);
  return [];
};

describe("WebSocket on createServer", () => {
  it("echoes text as text and binary as binary", async () => {
    const client = connect(`${await listen(echoApp)}/echo`);
    await once(client, "open");
    client.send("héllo");
    const [text, textIsBinary] = await once(client, "message");
    expect([text.toString(), textIsBinary]).toEqual(["héllo", false]);
    client.send(Buffer.from([0, 1, 2, 255]));
    const [bytes, bytesIsBinary] = await once(client, "message");
    expect([[...bytes], bytesIsBinary]).toEqual([[0, 1, 2, 255], true]);
  });

  it("gives the app a normal environ plus tsgi.websocket", async () => {
    let seen: Environ | undefined;
    const url = await listen(async (environ) => {
      seen = environ;
      await environ["tsgi.websocket"]?.accept();
      await environ["tsgi.websocket"]?.close(1000);
      return [];
    });
    const client = connect(`${url}/chat/room?x=1`);
    const [code] = await once(client, "close");
    expect(code).toBe(1000);
    expect(seen?.REQUEST_METHOD).toBe("GET");
    expect(seen?.PATH_INFO).toBe("/chat/room");
    expect(seen?.QUERY_STRING).toBe("x=1");
    expect(seen?.HTTP_UPGRADE).toBe("websocket");
    expect(seen?.["tsgi.url_scheme"]).toBe("http");
  });

  it("lets the app choose a subprotocol the client offered", async () => {
    const url = await listen(async (environ) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.accept({ subprotocol: websocket.subprotocols.includes("chat.v2") ? "chat.v2" : undefined, headers: [["X-Room", "lobby"]] });
      await websocket.send(websocket.subprotocols.join(","));
      await websocket.closed;
      return [];
    });
    const client = connect(url, ["chat.v1", "chat.v2"]);
    const upgraded = once(client, "upgrade");
    const received = once(client, "message");
    const [response] = await upgraded;
    expect(response.headers["x-room"]).toBe("lobby");
    const [message] = await received;
    expect(message.toString()).toBe("chat.v1,chat.v2");
    expect(client.protocol).toBe("chat.v2");
  });

  it("rejects through startResponse with the app's status and body", async () => {
    const url = await listen(() => {
      const body = new TextEncoder().encode("no entry\n");
      return (function* () {
        yield body;
      })();
    });
    expect(await refusedStatus(connect(url))).toBe(500); // the app never called startResponse: a 500, as for any request
    const url403 = await listen((environ, startResponse) => {
      startResponse("403 Forbidden", [["Content-Type", "text/plain"]]);
      return [new TextEncoder().encode("no entry\n")];
    });
    expect(await refusedStatus(connect(url403))).toBe(403);
  });

  it("answers 403 when the app closes before accepting", async () => {
    const url = await listen(async (environ) => {
      await environ["tsgi.websocket"]!.close();
      return [];
    });
    expect(await refusedStatus(connect(url))).toBe(403);
  });

  it("refuses an unsupported version with 426 without calling the app", async () => {
    let called = false;
    const url = await listen(() => {
      called = true;
      return [];
    });
    const client = new WebSocket(url, { protocolVersion: 8 });
    clients.push(client);
    expect(await refusedStatus(client)).toBe(426);
    expect(called).toBe(false);
  });

  it("tells the app the client's close code and reason", async () => {
    let resolveClose: (value: unknown) => void;
    const closed = new Promise((resolve) => (resolveClose = resolve));
    const url = await listen(async (environ) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.accept();
      expect(await websocket.receive()).toBeUndefined();
      resolveClose(await websocket.closed);
      return [];
    });
    const client = connect(url);
    await once(client, "open");
    client.close(4001, "bye now");
    expect(await closed).toEqual({ code: 4001, reason: "bye now" });
  });

  it("closes with the app's code, and with 1000 when the app returns", async () => {
    const url = await listen(async (environ) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.accept();
      const first = await websocket.receive();
      if (first === "close me") await websocket.close(4100, "as asked");
      return [];
    });
    const first = connect(url);
    await once(first, "open");
    first.send("close me");
    const [code, reason] = await once(first, "close");
    expect([code, reason.toString()]).toEqual([4100, "as asked"]);
    const second = connect(url);
    await once(second, "open");
    second.send("anything");
    const [secondCode] = await once(second, "close");
    expect(secondCode).toBe(1000);
  });

  it("closes with 1011 when the app fails after accepting", async () => {
    const url = await listen(async (environ) => {
      await environ["tsgi.websocket"]!.accept();
      throw new Error("boom");
    });
    const [code] = await once(connect(url), "close");
    expect(code).toBe(1011);
  });

  it("closes with 1009 a message over maxMessageSize", async () => {
    const url = await listen(echoApp, { websocket: { maxMessageSize: 1024 } });
    const client = connect(url);
    await once(client, "open");
    client.send(Buffer.alloc(2048));
    const [code] = await once(client, "close");
    expect(code).toBe(1009);
  });

  it("rejects sending before accepting, accepting twice and startResponse after accepting, with typed errors", async () => {
    const errors: string[] = [];
    const url = await listen(async (environ, startResponse) => {
      const websocket = environ["tsgi.websocket"]!;
      await websocket.send("early").catch((error: Error) => errors.push(error.name));
      await websocket.accept();
      await websocket.accept().catch((error: Error) => errors.push(error.name));
      try {
        startResponse("200 OK", []);
      } catch (error) {
        errors.push((error as Error).name);
      }
      await websocket.send(errors.join(","));
      await websocket.close();
      await websocket.send("late").catch((error: Error) => errors.push(error.name));
      return [];
    });
    const client = connect(url);
    const [message] = await once(client, "message");
    await once(client, "close");
    expect(message.toString()).toBe("WebSocketStateError,WebSocketStateError,WebSocketStateError");
    await expect.poll(() => errors.at(-1)).toBe("WebSocketClosedError");
  });

  it("closes every open socket with 1001 through the tracker", async () => {
    const tracker = new WebSocketTracker();
    const url = await listen(echoApp, { websocket: { tracker } });
    const client = connect(url);
    await once(client, "open");
    expect(tracker.size).toBe(1);
    const closing = once(client, "close");
    await tracker.closeAll(1001, "going away");
    expect((await closing)[0]).toBe(1001);
    await tracker.idle();
    expect(tracker.size).toBe(0);
  });

  it("answers 503 past maxOpen open sockets, without calling the app", async () => {
    const tracker = new WebSocketTracker();
    const url = await listen(echoApp, { websocket: { tracker, maxOpen: 1 } });
    const first = connect(url);
    await once(first, "open");
    expect(await refusedStatus(connect(url))).toBe(503);
    first.close();
    await tracker.idle();
    await once(connect(url), "open");
  });

  it("leaves tsgi.websocket absent when WebSocket is off, and answers a plain request as always", async () => {
    let key: unknown = "unset";
    const url = await listen((environ, startResponse) => {
      key = environ["tsgi.websocket"];
      startResponse("426 Upgrade Required", [["Content-Type", "text/plain"]]);
      return [];
    }, { websocket: false });
    const response = await fetch(url.replace("ws:", "http:"));
    expect(response.status).toBe(426);
    expect(key).toBeUndefined();
  });
});
