/**
 * tsgi-worker's WebSocket options (issue 16): --ws, --ws-max-size, --ws-max-connections and
 * --ws-ping-interval, from every source to the connection layer, and their effect on a real
 * master's workers: 1009 past the size, 503 past the cap, no `tsgi.websocket` with --ws none.
 */
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { DEFAULT_MAX_MESSAGE_SIZE } from "tsgi";
import { parseArgs } from "../src/cli/parseArgs.js";
import { usage } from "../src/cli/usage.js";
import { loadConfigFile } from "../src/config/configFile.js";
import { DEFAULT_WS_MAX_SIZE } from "../src/config/options.js";
import { environmentSettings } from "../src/config/environment.js";
import { formatConfig } from "../src/config/printConfig.js";
import { defaultSettings } from "../src/config/resolve.js";
import { websocketOptionsFrom } from "../src/worker/websocketOptions.js";
import { cleanupMasters, FIXTURES, startMaster } from "./fixtures/master.js";
import { closeCode, connectWebSocket, openWebSocket, roundTrip, terminateWebSockets } from "./fixtures/wsClient.js";

const APP = `${FIXTURES}websocket-app.ts:app`;
afterEach(async () => {
  terminateWebSockets();
  await cleanupMasters();
});

/** The HTTP answer to a refused handshake: status, headers and body. */
async function refusal(url: string, path = "/"): Promise<{ status: number; headers: IncomingMessage["headers"]; body: string }> {
  const client = connectWebSocket(url, path);
  const [, response] = (await once(client, "unexpected-response")) as [unknown, IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  client.terminate();
  return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() };
}

describe("WebSocket settings", () => {
  it("default to WebSocket on, 1 MiB messages, no cap and a ping every 30 s", () => {
    const settings = defaultSettings();
    expect(settings).toMatchObject({ ws: "auto", wsMaxSize: 1024 * 1024, wsMaxConnections: 0, wsPingInterval: 30, wsPerMessageDeflate: false });
    expect(websocketOptionsFrom(settings)).toEqual({ maxMessageSize: 1024 * 1024, pingInterval: 30_000, perMessageDeflate: false });
    expect(DEFAULT_WS_MAX_SIZE).toBe(DEFAULT_MAX_MESSAGE_SIZE);
  });

  it("come from flags, Gunicorn/uvicorn-style config keys and the environment", async () => {
    expect(parseArgs(["--ws", "NONE", "--ws-max-size=2048", "--ws-max-connections", "10", "--ws-ping-interval", "2.5", "--ws-per-message-deflate"]).values)
      .toEqual({ ws: "none", wsMaxSize: 2048, wsMaxConnections: 10, wsPingInterval: 2.5, wsPerMessageDeflate: true });
    const dir = mkdtempSync(join(tmpdir(), "tsgi-ws-config-"));
    try {
      writeFileSync(join(dir, "a.json"), JSON.stringify({ ws_max_size: 4096, ws_max_connections: 3, websocket_ping_interval: 0 }));
      expect((await loadConfigFile("a.json", dir)).values).toEqual({ wsMaxSize: 4096, wsMaxConnections: 3, wsPingInterval: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(environmentSettings({ TSGI_WORKER_WS: "none", TSGI_WORKER_WS_MAX_SIZE: "512" })).toEqual({ ws: "none", wsMaxSize: 512 });
  });

  it.each([
    [["--ws-max-size", "0"], "argument --ws-max-size: expected an integer from 1 to 1073741824, got \"0\""],
    [["--ws-max-size", "1.5"], "argument --ws-max-size: expected an integer"],
    [["--ws-max-connections", "-1"], "argument --ws-max-connections: expected an integer >= 0"],
    [["--ws-ping-interval", "soon"], "argument --ws-ping-interval: expected a number of seconds"],
    [["--ws", "wsproto"], "argument --ws: expected one of auto, none, got \"wsproto\""],
  ])("refuse %j naming the option", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it("reach the connection layer: seconds become milliseconds, a cap of 0 is none, --ws none serves none", () => {
    const settings = { ...defaultSettings(), wsMaxSize: 100, wsMaxConnections: 7, wsPingInterval: 0.5 };
    expect(websocketOptionsFrom(settings)).toEqual({ maxMessageSize: 100, pingInterval: 500, perMessageDeflate: false, maxOpen: 7 });
    expect(websocketOptionsFrom({ ...settings, ws: "none" })).toBe(false);
  });

  it("are listed by --help and --print-config", () => {
    const help = usage();
    for (const flag of ["--ws MODE", "--ws-max-size BYTES", "--ws-max-connections INT", "--ws-ping-interval SECONDS", "--ws-per-message-deflate"]) expect(help).toContain(flag);
    const printed = formatConfig({ settings: { ...defaultSettings(), wsMaxSize: 2048 }, hooks: {} } as Parameters<typeof formatConfig>[0]);
    expect(printed).toMatch(/^ws\s+= "auto"$/m);
    expect(printed).toMatch(/^wsMaxSize\s+= 2048$/m);
    expect(printed).toMatch(/^wsMaxConnections\s+= 0$/m);
    expect(printed).toMatch(/^wsPingInterval\s+= 30$/m);
  });
});

describe("WebSocket limits in a real master's workers", () => {
  it("take a 1 MiB message by default and close a bigger one with 1009", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", APP]);
    const url = await master.url();
    const client = await openWebSocket(url, "/echo");
    expect(client.extensions).toBe(""); // permessage-deflate only with --ws-per-message-deflate
    const limit = "a".repeat(1024 * 1024);
    expect((await roundTrip(client, limit)).length).toBe(limit.length);
    const closed = closeCode(client);
    client.send(`${limit}b`);
    expect(await closed).toBe(1009);

    // The limit is on the message, not the frame: three 512 KiB fragments are one 1.5 MiB message.
    const fragmented = await openWebSocket(url, "/echo");
    const fragmentedClosed = closeCode(fragmented);
    const half = Buffer.alloc(512 * 1024, 1);
    fragmented.send(half, { fin: false });
    fragmented.send(half, { fin: false });
    fragmented.send(half, { fin: true });
    expect(await fragmentedClosed).toBe(1009);
  });

  it("--ws-max-size closes a message over it with 1009; --ws-max-connections refuses the next socket with 503 until one closes", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--ws-max-size", "1024", "--ws-max-connections", "2", APP]);
    const url = await master.url();
    const first = await openWebSocket(url, "/echo");
    const second = await openWebSocket(url, "/echo");
    expect(await roundTrip(second, "x".repeat(1024))).toHaveLength(1024);

    const refused = await refusal(url, "/echo");
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.body).toContain("as many WebSockets open as it takes");

    const closed = closeCode(first);
    first.send("y".repeat(1025));
    expect(await closed).toBe(1009);
    // The worker frees the slot once its side of the session ended: retry until it has.
    let third: Awaited<ReturnType<typeof openWebSocket>> | undefined;
    for (let attempt = 0; third === undefined; attempt++) {
      third = await openWebSocket(url, "/echo").catch((error: unknown) => {
        if (attempt >= 50 || !String(error).includes("503")) throw error;
        return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100));
      });
    }
    expect(await roundTrip(third, "again")).toBe("again");
    expect(await roundTrip(second, "still")).toBe("still");
  });

  it("--ws none: an upgrade request reaches the app as plain HTTP, without tsgi.websocket", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--ws", "none", APP]);
    const url = await master.url();
    const answer = await refusal(url, "/echo");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("plain HTTP: no tsgi.websocket in the environ\n");
  });

  it("--ws-per-message-deflate negotiates compression with a client that asks, and the 1 MiB limit applies to the inflated message", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--ws-per-message-deflate", APP]);
    const url = await master.url();
    const client = await openWebSocket(url, "/echo", { perMessageDeflate: true });
    expect(client.extensions).toContain("permessage-deflate");
    const text = "compressible ".repeat(10_000);
    expect(await roundTrip(client, text)).toBe(text);
    // Compresses to a few KiB on the wire; inflated it is over the limit.
    const closed = closeCode(client);
    client.send("a".repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
  });

  it("--ws-ping-interval pings every socket; one that answers stays open while idle, one that does not is cut", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--ws-ping-interval", "0.2", APP]);
    const url = await master.url();
    const answering = await openWebSocket(url, "/echo");
    const silent = await openWebSocket(url, "/echo", { autoPong: false });
    const silentClosed = closeCode(silent);
    let pings = 0;
    await new Promise<void>((resolve) => answering.on("ping", () => void (++pings === 3 && resolve())));
    // The server terminates the silent one (no close frame: 1006 on the client's side).
    expect(await silentClosed).toBe(1006);
    expect(await roundTrip(answering, "alive")).toBe("alive");
  });
});
