import type { RawResponse } from "../client/rawConnection.js";
import type { ServedResponse, VectorServer } from "./requestVector.js";
import type { VectorAppReport } from "./vectorApp.js";

/**
 * The vector app's report in a response, or undefined when the response is not one
 * (an error page, a refusal).
 *
 * @example
 * const report = parseReport(response); // { environ, keys, body }
 */
export function parseReport(response: RawResponse): VectorAppReport | undefined {
  if (response.statusCode !== 200) return undefined;
  try {
    const value = JSON.parse(response.body.toString("utf8")) as Partial<VectorAppReport>;
    if (typeof value.environ !== "object" || value.environ === null || typeof value.body !== "string" || !Array.isArray(value.keys)) {
      return undefined;
    }
    return value as VectorAppReport;
  } catch {
    return undefined;
  }
}

/**
 * How a served response departs from its expectation: one line per wrong, missing or
 * unexpected key, and for a wrong body. Empty when it matches.
 *
 * @example
 * compareServed(report, served({ PATH_INFO: "/" }), { host: "127.0.0.1", port: "8000", clientPort: "50000" }); // []
 */
export function compareServed(report: VectorAppReport, expected: ServedResponse, server: VectorServer): string[] {
  const problems: string[] = [];
  const environ = report.environ;
  for (const [key, want] of Object.entries(expected.environ)) {
    const value = typeof want === "function" ? want(server) : want;
    if (!Object.hasOwn(environ, key)) problems.push(`${key} is missing, expected ${show(value)}`);
    else if (environ[key] !== value) problems.push(`${key} is ${show(environ[key])}, expected ${show(value)}`);
  }
  for (const key of expected.absent ?? []) {
    if (Object.hasOwn(environ, key)) problems.push(`${key} is ${show(environ[key])}, expected no such key`);
  }
  for (const key of expected.absentOrEmpty ?? []) {
    if (Object.hasOwn(environ, key) && environ[key] !== "") problems.push(`${key} is ${show(environ[key])}, expected absent or ""`);
  }
  const body = expected.body ?? "";
  if (report.body !== body) problems.push(`the app read ${show(report.body)} from tsgi.input, expected ${show(body)}`);
  return problems;
}

/**
 * The keys a served expectation names, with the values the server gave them: what a
 * failure report shows of the environ.
 *
 * @example
 * describeReport(report, expected); // '{"PATH_INFO":"/x"} body ""'
 */
export function describeReport(report: VectorAppReport, expected: ServedResponse): string {
  const keys = [...Object.keys(expected.environ), ...(expected.absent ?? []), ...(expected.absentOrEmpty ?? [])];
  const shown: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(report.environ, key)) shown[key] = report.environ[key];
  return `${shorten(JSON.stringify(shown))} body ${show(report.body)}`;
}

function show(value: unknown): string {
  return shorten(JSON.stringify(value) ?? String(value));
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text;
}
