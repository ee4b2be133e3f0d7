/**
 * A slow reader (issue 16): a client that never reads while the app sends continuously. Each
 * `send` resolves only once its frame is written to the socket, so the app's loop stops when the
 * kernel buffers are full and the worker's memory stays flat, instead of queueing what the client
 * does not take. Measured as the worker's resident set (VmRSS in /proc/<pid>/status).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { cleanupMasters, FIXTURES, startMaster } from "./fixtures/master.js";
import { openWebSocket, terminateWebSockets } from "./fixtures/wsClient.js";

const APP = `${FIXTURES}websocket-app.ts:app`;
const MiB = 1024 * 1024;
const FLOOD_BYTES = 200 * MiB;
/** Generous: kernel socket buffers on loopback hold several MiB, and V8's heap moves on its own. */
const RSS_GROWTH_BOUND = 64 * MiB;

afterEach(async () => {
  terminateWebSockets();
  await cleanupMasters();
});

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

async function progress(url: string): Promise<{ sent: number; done: boolean }> {
  return JSON.parse((await httpRequest(`${url}/flood-progress`)).body) as { sent: number; done: boolean };
}

/** Polls the app's progress until it stops moving (five polls alike) or the flood is done. */
async function untilStalled(url: string): Promise<{ sent: number; done: boolean }> {
  let last = await progress(url);
  for (let same = 0, polls = 0; same < 5 && !last.done; polls++) {
    if (polls > 300) throw new Error(`the flood never stalled: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await progress(url);
    same = next.sent === last.sent && next.sent > 0 ? same + 1 : 0;
    last = next;
  }
  return last;
}

describe("a WebSocket client that never reads", () => {
  it(`holds the worker's memory flat while the app tries to send ${FLOOD_BYTES / MiB} MiB, and the flood resumes once it reads`, async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    const [pid] = master.bootedPids() as [number];

    const client = await openWebSocket(url, "/flood");
    let received = 0;
    client.on("message", (data: Buffer) => void (received += data.length));
    client.pause(); // ws stops reading its socket: the kernel's buffers fill, then the server's sends wait
    const before = rssBytes(pid);
    client.send(`go ${FLOOD_BYTES}`);

    const stalled = await untilStalled(url);
    const after = rssBytes(pid);
    process.stdout.write(`slow reader: app sent ${(stalled.sent / MiB).toFixed(1)} MiB before blocking; worker RSS ${(before / MiB).toFixed(1)} -> ${(after / MiB).toFixed(1)} MiB\n`);
    expect(stalled.done).toBe(false);
    expect(stalled.sent).toBeLessThan(FLOOD_BYTES);
    expect(received).toBe(0);
    expect(after - before).toBeLessThan(RSS_GROWTH_BOUND);

    // Backpressure, not a hang: once the client reads, the app's sends resolve again.
    client.resume();
    await expect.poll(async () => (await progress(url)).sent, { timeout: 30_000, interval: 200 }).toBeGreaterThan(stalled.sent + 16 * MiB);
    expect(received).toBeGreaterThan(0);
  });
});
