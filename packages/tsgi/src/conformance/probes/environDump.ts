import type { ApplicationFunction, Environ } from "../../types.js";
import { respondJson } from "./respond.js";

/** What the environ probe reports. */
export interface EnvironReport {
  /** Every key whose value is a string, number, boolean or array of those, with that value. */
  values: Record<string, string | number | boolean | Array<string | number | boolean>>;
  /** Every key with the JavaScript type of its value (`array` and `null` told apart). */
  types: Record<string, string>;
  /** Which `tsgi.input` methods exist. */
  input: { read: boolean; readline: boolean; readlines: boolean; asyncIterator: boolean };
  /** Which `tsgi.errors` methods exist. */
  errors: { write: boolean; writelines: boolean; flush: boolean };
}

/**
 * Answers with an {@link EnvironReport} of the request's environ as JSON, so a
 * test on the other side of a socket can check keys, values and types.
 * Strings stay exact through JSON (latin-1 characters included).
 *
 * @example
 * // GET /environ/caf%C3%A9?x=1  ->  values.PATH_INFO === "/environ/caf\u00c3\u00a9"
 */
export function environDumpProbe(): ApplicationFunction {
  return (environ, startResponse) => respondJson(startResponse, "200 OK", describeEnviron(environ));
}

/**
 * Summarises an environ as plain JSON data.
 *
 * @example
 * describeEnviron(environ).types["tsgi.input"]; // "object"
 */
export function describeEnviron(environ: Environ): EnvironReport {
  const values: EnvironReport["values"] = {};
  const types: EnvironReport["types"] = {};
  for (const [key, value] of Object.entries(environ)) {
    types[key] = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    if (isPlain(value)) values[key] = value;
    else if (Array.isArray(value) && value.every(isPlain)) values[key] = value as Array<string | number | boolean>;
  }
  const input = environ["tsgi.input"] as unknown as Record<string | symbol, unknown> | undefined;
  const errors = environ["tsgi.errors"] as unknown as Record<string, unknown> | undefined;
  const isMethod = (target: Record<string | symbol, unknown> | undefined, name: string | symbol): boolean =>
    typeof target?.[name] === "function";
  return {
    values,
    types,
    input: {
      read: isMethod(input, "read"),
      readline: isMethod(input, "readline"),
      readlines: isMethod(input, "readlines"),
      asyncIterator: isMethod(input, Symbol.asyncIterator),
    },
    errors: {
      write: isMethod(errors, "write"),
      writelines: isMethod(errors, "writelines"),
      flush: isMethod(errors, "flush"),
    },
  };
}

function isPlain(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
