import { request } from "node:http";
import { join } from "node:path";
import { callApp, type Application } from "tsgi";
import { ROOT, type ScenarioName } from "./servers.js";

/** What one route must answer: the status and the exact body bytes, and whether the body is streamed. */
export interface Expected {
  status: number;
  body: Buffer;
  /** True when the body must come chunked (no Content-Length), as the streaming scenario requires. */
  chunked: boolean;
}

/** One request of the probe: the scenario's route on the server under test. */
export interface ProbeRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

const UPLOAD = Buffer.alloc(1024 * 1024, "z");

/** The request each scenario sends, at the server's path for it (same bodies as wrk's). */
export function probeRequest(scenario: ScenarioName, path: string): ProbeRequest {
  if (scenario === "post1m") return { method: "POST", path, body: UPLOAD, headers: { "Content-Type": "application/octet-stream" } };
  if (scenario === "hello-close") return { method: "GET", path, headers: { Connection: "close" } };
  return { method: "GET", path };
}

async function loadApp(file: string): Promise<Application> {
  const module = (await import(join(ROOT, "bench/apps", file))) as { application: Application };
  return module.application;
}

/**
 * The reference answers: each scenario's route asked in-process (no socket) of the
 * tsgi app the tsgi servers run, so every peer is held to the tsgi app's bytes.
 *
 * @example
 * const expected = await referenceAnswers();
 * expected.get("hello")?.body.toString(); // "Hello, World!"
 */
export async function referenceAnswers(): Promise<Map<ScenarioName, Expected>> {
  const bench = await loadApp("tsgi_bench.ts");
  const framework = await loadApp("framework_site.ts");
  const routes: [ScenarioName, Application, string][] = [
    ["hello", bench, "/hello"],
    ["stream64k", bench, "/stream"],
    ["post1m", bench, "/upload"],
    ["hello-close", bench, "/hello"],
    ["hello-pipelined", bench, "/hello"],
    ["framework", framework, "/bench/page/"],
    ["framework-json", framework, "/bench/json/"],
    ["framework-db", framework, "/bench/rows/"],
  ];
  const answers = new Map<ScenarioName, Expected>();
  for (const [scenario, app, path] of routes) {
    const probe = probeRequest(scenario, path);
    const res = await callApp(app, { method: probe.method, path, headers: { Host: "127.0.0.1", ...probe.headers }, body: probe.body });
    answers.set(scenario, { status: res.status, body: withoutCsrfTokens(Buffer.from(res.body)), chunked: scenario === "stream64k" });
  }
  return answers;
}

/**
 * The body with every CSRF token in the form's `csrfmiddlewaretoken` field replaced by a
 * placeholder: the framework page carries a fresh token per response, as Django's does, so
 * pages are compared around it. Django's and tsgi's are 64 letters and digits; Fastify's
 * (@fastify/csrf-protection) are base64url with a `-` separator, of another length.
 */
export function withoutCsrfTokens(body: Buffer): Buffer {
  const text = body.toString("latin1");
  const masked = text.replace(/(name="csrfmiddlewaretoken" value=")[A-Za-z0-9_-]{16,}"/g, '$1(token)"');
  return masked === text ? body : Buffer.from(masked, "latin1");
}

interface Answer {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

function fetchOnce(port: number, probe: ProbeRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...probe.headers, ...(probe.body ? { "Content-Length": String(probe.body.length) } : {}) };
    const req = request({ host: "127.0.0.1", port, path: probe.path, method: probe.method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(probe.body);
  });
}

function describe(body: Buffer): string {
  const text = body.subarray(0, 60).toString("latin1").replace(/[^\x20-\x7e]/g, ".");
  return `${body.length} bytes "${text}${body.length > 60 ? "…" : ""}"`;
}

/**
 * Asks the server once for a scenario's route and compares the answer with the
 * reference; returns why it differs, or undefined when it is the same.
 *
 * @example
 * const problem = await probeServer(port, probeRequest("hello", "/hello"), expected);
 * if (problem) throw new Error(problem);
 */
export async function probeServer(port: number, probe: ProbeRequest, expected: Expected, timeoutMs = 10_000): Promise<string | undefined> {
  let answer: Answer;
  try {
    answer = await fetchOnce(port, probe, timeoutMs);
  } catch (error) {
    return `${probe.method} ${probe.path} failed: ${(error as Error).message}`;
  }
  if (answer.status !== expected.status) return `${probe.method} ${probe.path} answered ${answer.status} (expected ${expected.status}): ${describe(answer.body)}`;
  if (!withoutCsrfTokens(answer.body).equals(expected.body)) return `${probe.method} ${probe.path} answered ${describe(answer.body)}, expected ${describe(expected.body)}`;
  if (expected.chunked && answer.headers["transfer-encoding"] !== "chunked") {
    return `${probe.method} ${probe.path} was not streamed (Transfer-Encoding: ${String(answer.headers["transfer-encoding"] ?? "none")}, Content-Length: ${String(answer.headers["content-length"] ?? "none")})`;
  }
  return undefined;
}
