// Micro-benchmark of the per-request environ (not a test): `npx tsx test/environ/measureAssemble.ts`.
import { assembleEnviron, createInputStream, type ConnectionInfo, type RequestHead } from "../../src/index.js";

const head: RequestHead = {
  method: "GET",
  target: "/api/items?page=2",
  httpVersion: "1.1",
  rawHeaders: ["Host", "localhost:8000", "User-Agent", "wrk", "Accept", "*/*", "Accept-Encoding", "gzip", "Connection", "keep-alive"],
};
const connection: ConnectionInfo = { remoteAddress: "127.0.0.1", remotePort: 50000, localAddress: "127.0.0.1", localPort: 8000, scheme: "http" };
const settings = { multiprocess: true };
const empty: Uint8Array[] = [];
const serverKeys = { RAW_URI: head.target, REQUEST_URI: head.target };

function run(count: number, withInput: boolean): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const input = withInput ? createInputStream(empty) : (undefined as never);
    sink += assembleEnviron(head, connection, input, settings, serverKeys).PATH_INFO.length;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e3;
  if (sink === 0) throw new Error("unreachable");
  return elapsed / count;
}

for (const withInput of [false, true]) {
  run(200_000, withInput); // warm-up
  const rounds = [run(500_000, withInput), run(500_000, withInput), run(500_000, withInput)].sort((a, b) => a - b);
  console.log(`assembleEnviron ${withInput ? "+ createInputStream " : ""}(5 headers, 2 server keys): median ${rounds[1]!.toFixed(3)} µs/request`);
}

{
  const { checkRequestHead, GUNICORN_HEAD_LIMITS } = await import("../../src/index.js");
  const measure = (count: number): number => {
    let refused = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) if (checkRequestHead(head, GUNICORN_HEAD_LIMITS)) refused++;
    if (refused !== 0) throw new Error("the benchmark head was refused");
    return Number(process.hrtime.bigint() - start) / 1e3 / count;
  };
  measure(200_000);
  const rounds = [measure(1_000_000), measure(1_000_000), measure(1_000_000)].sort((a, b) => a - b);
  console.log(`checkRequestHead (5 headers, Gunicorn's limits): median ${rounds[1]!.toFixed(3)} µs/request`);
}
