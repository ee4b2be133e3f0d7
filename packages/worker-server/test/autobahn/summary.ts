/** The counts an Autobahn-style run reports, and the failed cases in words. */
import type { CaseResult } from "./runCase.js";

/**
 * One line for the test output.
 *
 * @example
 * summaryLine("tsgi-worker", results); // "autobahn categories (tsgi-worker): 420 cases, 420 passed, 0 failed, 19 not negotiated (permessage-deflate declined)"
 */
export function summaryLine(server: string, results: CaseResult[]): string {
  const passed = results.filter((result) => result.passed).length;
  const notNegotiated = results.filter((result) => result.notNegotiated).length;
  const categories = new Set(results.map((result) => result.id.split(".")[0])).size;
  return `autobahn categories (${server}): ${categories} categories, ${results.length} cases, ${passed} passed, ${results.length - passed} failed, ${notNegotiated} not negotiated (permessage-deflate declined)`;
}

/** Each failed case as "id title: problems" (empty when all passed), for an assertion that shows them all. */
export function describeResults(results: CaseResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => `${result.id} ${result.title}: ${result.problems.join("; ")}`);
}
