import { expect } from "vitest";
import type { RawRequest } from "../client/requestBytes.js";
import type { EnvironReport } from "../probes/environDump.js";
import type { CheckContext } from "./check.js";

/**
 * Sends one request to the environ probe on a fresh raw connection and returns
 * the environ the app saw (failing the check unless the answer is 200).
 *
 * @example
 * const report = await environOf(context, { target: "/environ/caf%C3%A9" });
 * report.values.PATH_INFO; // "/environ/caf\u00c3\u00a9"
 */
export async function environOf(context: CheckContext, request: RawRequest): Promise<EnvironReport> {
  const connection = await context.connect();
  await connection.send(request);
  const response = await connection.readResponse({ method: request.method });
  expect(response.statusCode, response.body.toString("latin1")).toBe(200);
  return JSON.parse(response.body.toString("utf8")) as EnvironReport;
}
