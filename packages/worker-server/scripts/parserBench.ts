/**
 * Micro-benchmark of the request parser's hot path: a small GET with a few headers, parsed
 * again and again from one buffer. Prints nanoseconds per head. Then the slow-client case: a
 * 64 KiB head arriving one byte at a time, through parseHead alone and through a HeadReader.
 * Runs a few seconds.
 *
 * @example
 * npx tsx scripts/parserBench.ts
 */
import { createRequire } from "node:module";
import { HeadReader, parseHead } from "../src/connection/http/parser/index.js";

const limits = { requestLine: 4094, fields: 100, fieldSize: 8190 };
const request = Buffer.from(
  "GET /hello?name=world HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: wrk/4.2\r\nAccept: */*\r\n" +
    "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n",
  "latin1",
);

/** One round: [wall-clock ns, CPU ns (this process's user + system time)] per head. */
function round(iterations: number): [number, number] {
  let sink = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) {
    const result = parseHead(request, limits);
    if (result.kind === "head") sink += result.head.headBytes;
  }
  const elapsed = Number(process.hrtime.bigint() - started);
  const used = process.cpuUsage(cpu);
  if (sink === 0) throw new Error("the request did not parse");
  return [elapsed / iterations, ((used.user + used.system) * 1000) / iterations];
}

round(200_000); // warm up
const wall: number[] = [];
const cpu: number[] = [];
for (let index = 0; index < 7; index++) {
  const [elapsed, used] = round(500_000);
  wall.push(elapsed);
  cpu.push(used);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[3]?.toFixed(0);
// On a busy machine wall-clock time includes time the process waited for a core; CPU time does not.
console.log(`parseHead, GET with 5 headers: median ${median(wall)} ns/head wall-clock, ${median(cpu)} ns/head CPU (7 rounds of 500k)`);

/** The same request through llhttp as node:http drives it (its legacy `_http_common` export), for reference. */
interface LegacyParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  [callback: number]: (...args: unknown[]) => number | void;
}
interface LegacyParserClass {
  new (): LegacyParser;
  REQUEST: number;
  kOnHeadersComplete: number;
  kOnMessageComplete: number;
  kOnBody: number;
}
/** Median CPU ns per head for llhttp on the same request, or why it could not be measured. */
function llhttpReference(): string {
  let HTTPParser: LegacyParserClass;
  try {
    ({ HTTPParser } = createRequire(import.meta.url)("_http_common") as { HTTPParser: LegacyParserClass });
  } catch {
    return "not measured (this Node has no _http_common)";
  }
  const llhttp = new HTTPParser();
  let seen = 0;
  llhttp[HTTPParser.kOnHeadersComplete] = (...args: unknown[]) => {
    seen += (args[2] as string[]).length;
    return 0;
  };
  llhttp[HTTPParser.kOnMessageComplete] = () => {};
  llhttp[HTTPParser.kOnBody] = () => {};
  llhttp.initialize(HTTPParser.REQUEST, {}, 0, 0);
  const llhttpRound = (iterations: number): number => {
    const cpuStart = process.cpuUsage();
    for (let index = 0; index < iterations; index++) if (llhttp.execute(request) instanceof Error) throw new Error("llhttp refused the request");
    const used = process.cpuUsage(cpuStart);
    return ((used.user + used.system) * 1000) / iterations;
  };
  llhttpRound(200_000);
  const llhttpCpu = Array.from({ length: 7 }, () => llhttpRound(500_000));
  if (seen === 0) throw new Error("llhttp saw no headers");
  return `median ${median(llhttpCpu)} ns/head CPU`;
}
console.log(`llhttp (node:http's parser, headers handed to JS), same request: ${llhttpReference()}`);

/** CPU milliseconds to read a 64 KiB head offered one more byte at a time. */
function trickle(read: (buffer: Buffer) => string): number {
  const head = Buffer.from(`GET / HTTP/1.1\r\nHost: a\r\n${`X-A: ${"v".repeat(8000)}\r\n`.repeat(8)}\r\n`, "latin1");
  const cpu = process.cpuUsage();
  let kind = "";
  for (let length = 1; length <= head.length; length++) kind = read(head.subarray(0, length));
  const used = process.cpuUsage(cpu);
  if (kind !== "head") throw new Error(`the trickled head ended as ${kind}`);
  return (used.user + used.system) / 1000;
}

const alone = trickle((buffer) => parseHead(buffer, limits).kind);
const reader = new HeadReader();
const incremental = trickle((buffer) => reader.read(buffer, limits).kind);
console.log(`64 KiB head, one byte at a time: parseHead alone ${alone.toFixed(0)} ms CPU, HeadReader ${incremental.toFixed(0)} ms CPU`);
