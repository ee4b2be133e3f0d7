/**
 * Runs one Autobahn-style case against a server and judges it by RFC 6455: the client plays the
 * case's steps, then checks what the server did against the case's expectation, its close code
 * and that it closed the TCP connection, plus every rule the server broke on the way.
 */
import { RawClient } from "./rawClient.js";
import type { AutobahnCase, Expectation, ExpectedMessage } from "./caseTypes.js";

export interface CaseResult {
  id: string;
  title: string;
  passed: boolean;
  /** The case offered permessage-deflate and the server declined (the exchange ran uncompressed). */
  notNegotiated: boolean;
  /** Why it failed, in words; empty when it passed. */
  problems: string[];
}

export interface ServerLimits {
  /** The server's message size limit: a case echoing a bigger message expects 1009 instead. */
  maxMessageSize: number;
  /** How long to wait for each thing the server should do (default 30 s: a busy machine, 16 MiB echoes). */
  waitMs?: number;
}

/**
 * An echo of a message over the limit cannot happen: RFC 6455 §7.4.1 has the server close with
 * 1009 (message too big) instead; what came before it is still echoed.
 */
export function expectationWithin(expect: Expectation, limits: ServerLimits): Expectation {
  if (expect.kind !== "echo") return expect;
  const first = expect.messages.findIndex((message) => message.data.length > limits.maxMessageSize);
  if (first < 0) return expect;
  return { kind: "fail", codes: [1009], messages: expect.messages.slice(0, first), pongs: expect.pongs };
}

export async function runCase(port: number, testCase: AutobahnCase, limits: ServerLimits): Promise<CaseResult> {
  const problems: string[] = [];
  const expect = expectationWithin(testCase.expect, limits);
  let client: RawClient | undefined;
  try {
    client = await RawClient.open(port, { path: "/autobahn", extensions: testCase.offer, waitMs: limits.waitMs });
    const open = client;
    for (const step of testCase.steps) {
      if ("frames" in step) await open.sendFrames(step.frames, step.chop);
      else if ("compressed" in step) {
        const { opcode, payload, fragments } = step.compressed;
        const frames = open.deflate !== undefined ? open.compressedFrames(opcode, payload, fragments) : [{ opcode, payload }];
        await open.sendFrames(frames);
      } else if ("waitMessages" in step) await open.waitFor(() => open.messages.length >= step.waitMessages || open.closeFrame !== undefined, `${step.waitMessages} echoed messages`);
      else await open.waitFor(() => open.pongs.length >= step.waitPongs || open.closeFrame !== undefined, `${step.waitPongs} pongs`);
    }
    if (expect.kind === "echo") {
      await open.waitFor(() => open.messages.length >= expect.messages.length && open.pongs.length >= (expect.pongs?.length ?? 0) || open.closeFrame !== undefined, "the echoes");
      if (open.closeFrame !== undefined) problems.push(`the server closed with ${open.closeFrame.code} ${JSON.stringify(open.closeFrame.reason.toString())} instead of echoing`);
      await open.sendClose(1000);
    }
    await open.waitFor(() => open.closeFrame !== undefined, "the server's close frame");
    await open.waitFor(() => open.tcpClosed, "the server to close the TCP connection after the closing handshake");
    judge(open, expect, problems);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    if (client !== undefined) problems.push(...client.violations);
  } finally {
    client?.destroy();
  }
  return { id: testCase.id, title: testCase.title, passed: problems.length === 0, notNegotiated: testCase.offer !== undefined && client?.deflate === undefined, problems };
}

function judge(client: RawClient, expect: Expectation, problems: string[]): void {
  problems.push(...client.violations);
  const code = client.closeFrame?.code;
  const codes = expect.kind === "echo" ? [1000] : expect.codes;
  if (code === undefined || !codes.includes(code)) problems.push(`close code ${code}, expected ${codes.join(" or ")}`);
  const expected = expect.messages ?? [];
  // An echo case must get every message back; after a failure or a close, what arrived must be their beginning.
  if (expect.kind === "echo" && client.messages.length !== expected.length) problems.push(`${client.messages.length} messages echoed, expected ${expected.length}`);
  if (client.messages.length > expected.length) problems.push(`${client.messages.length} messages echoed, at most ${expected.length} expected`);
  client.messages.slice(0, expected.length).forEach((message, index) => {
    const want = expected[index] as ExpectedMessage;
    if (message.binary !== want.binary) problems.push(`message ${index + 1} came back as ${message.binary ? "binary" : "text"}`);
    if (!message.data.equals(want.data)) problems.push(`message ${index + 1} came back with ${message.data.length} bytes that differ from the ${want.data.length} sent`);
  });
  const pongs = expect.pongs ?? [];
  if (expect.kind === "echo" && client.pongs.length !== pongs.length) problems.push(`${client.pongs.length} pongs, expected ${pongs.length}`);
  client.pongs.slice(0, pongs.length).forEach((pong, index) => {
    if (!pong.equals(pongs[index] as Buffer)) problems.push(`pong ${index + 1} carries ${pong.toString("hex")} instead of the ping's ${(pongs[index] as Buffer).toString("hex")}`);
  });
}

/** Runs cases one after another (each on its own connection), for one category. */
export async function runCases(port: number, cases: AutobahnCase[], limits: ServerLimits): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of cases) results.push(await runCase(port, testCase, limits));
  return results;
}
