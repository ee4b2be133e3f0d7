import { once } from "node:events";
import { createHash } from "node:crypto";
import { expect } from "vitest";
import WebSocket from "ws";
import { WEBSOCKET_FLOOD_MESSAGE_BYTES } from "../probes/websocket.js";
import type { Check, CheckContext } from "./check.js";

const BIG_MESSAGE_BYTES = 16 * 1024 * 1024;
const FRAGMENT_BYTES = 1024 * 1024;
const FLOOD_COUNT = 256;
/** Far above what socket buffers hold on loopback, far below the flood: a server that ignores backpressure crosses it. */
const MAX_SENT_WHILE_STALLED = 64;
const STABLE_POLLS = 10;
const POLL_MS = 100;

/** An open WebSocket to the probe and its messages, collected from the start so none emitted in one tick is lost. */
interface OpenProbe {
  client: WebSocket;
  next(): Promise<{ data: Buffer; binary: boolean }>;
}

/** Opens a WebSocket to the probe; terminated after the check with the context's other resources. */
async function open(context: CheckContext, query: string, protocols?: string[]): Promise<OpenProbe> {
  const client = new WebSocket(`${context.url.replace(/^http/, "ws")}/websocket?${query}`, protocols);
  client.on("error", () => undefined);
  context.onRelease(() => client.terminate());
  const queue: Array<{ data: Buffer; binary: boolean }> = [];
  const waiters: Array<(message: { data: Buffer; binary: boolean }) => void> = [];
  client.on("message", (data: Buffer, binary: boolean) => {
    const waiter = waiters.shift();
    if (waiter) waiter({ data, binary });
    else queue.push({ data, binary });
  });
  await once(client, "open");
  return {
    client,
    next: () => {
      const message = queue.shift();
      return message ? Promise.resolve(message) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

function refusedStatus(context: CheckContext, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = new WebSocket(`${context.url.replace(/^http/, "ws")}/websocket?${query}`);
    context.onRelease(() => client.terminate());
    client.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      client.terminate();
    });
    client.on("open", () => reject(new Error("the server completed the handshake the app refused")));
    client.on("error", () => undefined);
  });
}

/** WebSocket (SPEC.md, "WebSocket"): checked on servers that declare `capabilities.websocket`. */
export const websocketChecks: Check[] = [
  {
    id: "websocket-echo",
    title: "echoes text as text and binary as binary",
    requires: "websocket",
    async run(context) {
      const { client, next } = await open(context, "mode=echo");
      client.send("héllo, wörld");
      const text = await next();
      expect([text.data.toString("utf8"), text.binary]).toEqual(["héllo, wörld", false]);
      const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
      client.send(bytes);
      const binary = await next();
      expect([[...binary.data], binary.binary]).toEqual([[...bytes], true]);
    },
  },
  {
    id: "websocket-big-fragmented",
    title: "takes a 16 MiB message sent in 1 MiB fragments whole (or refuses it with 1009 over the server's limit)",
    requires: "websocket",
    async run(context) {
      const limitProbe = await open(context, "mode=limit");
      const limit = Number((await limitProbe.next()).data.toString());
      limitProbe.client.close();
      const { client, next } = await open(context, "mode=digest");
      const closed = once(client, "close");
      const whole = createHash("sha256");
      for (let offset = 0; offset < BIG_MESSAGE_BYTES; offset += FRAGMENT_BYTES) {
        const fragment = Buffer.alloc(FRAGMENT_BYTES, offset / FRAGMENT_BYTES);
        whole.update(fragment);
        client.send(fragment, { binary: true, fin: offset + FRAGMENT_BYTES >= BIG_MESSAGE_BYTES });
      }
      if (limit >= BIG_MESSAGE_BYTES) {
        const report = JSON.parse((await next()).data.toString()) as { length: number; sha256: string; binary: boolean };
        expect(report).toEqual({ length: BIG_MESSAGE_BYTES, sha256: whole.digest("hex"), binary: true });
      } else {
        expect((await closed)[0]).toBe(1009);
      }
    },
  },
  {
    id: "websocket-close-codes",
    title: "closes with the app's code and reason, and tells the app the client's",
    requires: "websocket",
    async run(context) {
      const { client: byServer } = await open(context, "mode=close&code=4123&reason=probe%20done");
      const closedByServer = once(byServer, "close");
      byServer.send("go");
      const [code, reason] = await closedByServer;
      expect([code, reason.toString()]).toEqual([4123, "probe done"]);

      const token = context.token();
      const { client: byClient } = await open(context, `mode=echo&token=${token}`);
      const closedByClient = once(byClient, "close");
      byClient.close(4321, "client done");
      await closedByClient;
      await context.waitForLedger(token, "the app to learn the client's close", (events) => events.includes("closed:4321:client-done"));
    },
  },
  {
    id: "websocket-reject",
    title: "answers the app's 403 to a rejected handshake, and 403 when the app closes before accepting",
    requires: "websocket",
    async run(context) {
      expect(await refusedStatus(context, "mode=reject")).toBe(403);
      expect(await refusedStatus(context, "mode=reject-close")).toBe(403);
    },
  },
  {
    id: "websocket-subprotocol",
    title: "sends the subprotocol the app chose, and none when it chose none",
    requires: "websocket",
    async run(context) {
      const { client: chosen } = await open(context, "mode=echo&subprotocol=chat.v2", ["chat.v1", "chat.v2"]);
      expect(chosen.protocol).toBe("chat.v2");
      const { client: none } = await open(context, "mode=echo");
      expect(none.protocol).toBe("");
    },
  },
  {
    id: "websocket-backpressure",
    title: "a client that never reads stops the app's sends (its send() promises stay pending), so memory stays bounded",
    requires: "websocket",
    async run(context) {
      const token = context.token();
      const { client } = await open(context, `mode=flood&count=${FLOOD_COUNT}&token=${token}`);
      client.pause(); // never read: the kernel buffers fill, then the server's writes stall
      let last = -1;
      let stable = 0;
      while (stable < STABLE_POLLS) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const sent = (await context.ledger(token)).filter((event) => event.startsWith("sent:")).length;
        expect(sent, `the app sent ${sent} MiB to a client that reads nothing`).toBeLessThanOrEqual(MAX_SENT_WHILE_STALLED);
        stable = sent === last ? stable + 1 : 0;
        last = sent;
      }
      expect(last).toBeLessThan(FLOOD_COUNT);
      expect(WEBSOCKET_FLOOD_MESSAGE_BYTES * last).toBeLessThanOrEqual(MAX_SENT_WHILE_STALLED * WEBSOCKET_FLOOD_MESSAGE_BYTES);
    },
  },
];
