// The WebSocket echo scenario's load client, run in its own process (child_process.fork) so its
// CPU time is not the server's. Two phases, reported to the parent over IPC:
// 1. `--connections` sockets each send a `--size`-byte text message and await its echo, in a loop,
//    for `--warmup` then `--seconds` seconds: {phase: "load", messages, seconds, p50Ms, p99Ms, errors};
//    an echo that differs from what was sent counts as an error.
// 2. `--idle` more sockets opened (100 at a time) and each checked with one echo, then held open:
//    {phase: "idle", open, failed}; the parent samples the server's memory and sends "close".
// After each report the client waits for a message from the parent (it reads the server's memory).
// Usage: node ws-load.mjs --url ws://127.0.0.1:N/ws [--connections 64] [--seconds 8] [--warmup 2] [--idle 1000] [--size 32]
import { parseArgs } from "node:util";
import WebSocket from "ws";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    connections: { type: "string", default: "64" },
    seconds: { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
    idle: { type: "string", default: "1000" },
    size: { type: "string", default: "32" },
  },
});
const url = values.url;
const report = (message) => (process.send ? process.send(message) : console.log(JSON.stringify(message)));

/** Opens one socket (no permessage-deflate: every server frames the messages as they are). */
function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
    socket.once("unexpected-response", (req, res) => reject(new Error(`answered ${res.statusCode} instead of 101`)));
  });
}

/** Sends `text` and resolves with the next message, as a string. */
function echo(socket, text) {
  return new Promise((resolve, reject) => {
    const onClose = (code) => reject(new Error(`closed with ${code} before the echo`));
    socket.once("close", onClose);
    socket.once("message", (data) => {
      socket.off("close", onClose);
      resolve(data.toString());
    });
    socket.send(text);
  });
}

async function load() {
  const count = Number(values.connections);
  const sockets = await Promise.all(Array.from({ length: count }, open));
  const base = "x".repeat(Math.max(0, Number(values.size) - 8));
  let measuring = false;
  let stopping = false;
  let messages = 0;
  let errors = 0;
  const latencies = [];
  const loop = async (socket, index) => {
    for (let n = 0; !stopping; n++) {
      // A per-socket counter in every message: an echo of a stale or foreign message is caught.
      const text = `${String((index * 1_000_003 + n) % 1e8).padStart(8, "0")}${base}`;
      const t0 = performance.now();
      let answer;
      try {
        answer = await echo(socket, text);
      } catch {
        errors++;
        return;
      }
      if (!measuring) continue;
      if (answer !== text) errors++;
      messages++;
      latencies.push(performance.now() - t0);
    }
  };
  const loops = sockets.map(loop);
  await new Promise((r) => setTimeout(r, Number(values.warmup) * 1000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  stopping = true;
  await Promise.all(loops);
  await Promise.all(sockets.map((s) => new Promise((r) => (s.readyState === WebSocket.CLOSED ? r() : (s.once("close", r), s.close(1000))))));
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? NaN;
  report({ phase: "load", messages, seconds, p50Ms: at(50), p99Ms: at(99), errors });
  // The parent reads the server's memory after the load, before the idle sockets open.
  if (process.send) await new Promise((resolve) => process.once("message", resolve));
}

async function idle() {
  const count = Number(values.idle);
  const held = [];
  let failed = 0;
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.allSettled(
      Array.from({ length: Math.min(100, count - i) }, async () => {
        const socket = await open();
        held.push(socket);
        if ((await echo(socket, "idle")) !== "idle") throw new Error("wrong echo");
      }),
    );
    failed += batch.filter((r) => r.status === "rejected").length;
  }
  report({ phase: "idle", open: count - failed, failed });
  if (process.send) await new Promise((resolve) => process.once("message", resolve));
  for (const socket of held) socket.terminate();
}

try {
  await load();
  await idle();
} catch (error) {
  report({ phase: "failed", message: error.message });
}
process.exit(0);
