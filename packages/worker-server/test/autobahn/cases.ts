/**
 * The Autobahn|Testsuite categories re-created as one data table (the Python suite cannot be
 * installed here): each case names its Autobahn number, what the client sends and what the
 * server must do. Categories 1-7, 9, 10, 12 and 13; Autobahn's 11 does not exist and its 14-16
 * repeat 12-13 with other deflate settings.
 */
import type { AutobahnCase } from "./caseTypes.js";
import { closeCases } from "./closeCases.js";
import { deflateCases } from "./deflateCases.js";
import { framingCases } from "./framingCases.js";
import { limitCases } from "./limitCases.js";
import { utf8Cases } from "./utf8Cases.js";

export const AUTOBAHN_CASES: AutobahnCase[] = [...framingCases, ...utf8Cases, ...closeCases, ...limitCases, ...deflateCases];

/** The cases of each category, by Autobahn's first number, in table order. */
export function casesByCategory(cases: AutobahnCase[] = AUTOBAHN_CASES): Map<string, AutobahnCase[]> {
  const categories = new Map<string, AutobahnCase[]>();
  for (const testCase of cases) {
    const category = testCase.id.split(".")[0] as string;
    categories.set(category, [...(categories.get(category) ?? []), testCase]);
  }
  return categories;
}

export type { AutobahnCase } from "./caseTypes.js";
export { runCase, runCases, type CaseResult, type ServerLimits } from "./runCase.js";
