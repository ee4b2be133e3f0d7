import { AssertionError } from "node:assert";
import type { Form } from "../forms/form.js";
import type { ClientResponse } from "./response.js";

function fail(message: string, prefix?: string): never {
  throw new AssertionError({ message: prefix ? `${prefix}: ${message}` : message });
}

function countOccurrences(haystack: string, needle: string): number {
  if (needle === "") return 0;
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Options of {@link assertContains}. */
export interface ContainsOptions {
  /** Exactly this many occurrences. */
  count?: number;
  /** Expected status (default 200). */
  status?: number;
  msgPrefix?: string;
}

/**
 * The response has `status` (200) and its text contains `text` (`count` times, when given).
 *
 * @example
 * assertContains(response, "Welcome back", { count: 1 });
 */
export function assertContains(response: ClientResponse, text: string, options: ContainsOptions = {}): void {
  const status = options.status ?? 200;
  if (response.status !== status) fail(`Couldn't retrieve content: response code was ${response.status} (expected ${status})`, options.msgPrefix);
  const found = countOccurrences(response.text(), text);
  if (options.count !== undefined) {
    if (found !== options.count) fail(`Found ${found} instances of ${JSON.stringify(text)} in response (expected ${options.count})`, options.msgPrefix);
  } else if (found === 0) {
    fail(`Couldn't find ${JSON.stringify(text)} in the following response\n${response.text().slice(0, 2000)}`, options.msgPrefix);
  }
}

/**
 * The response has `status` (200) and does not contain `text`.
 *
 * @example
 * assertNotContains(response, "secret");
 */
export function assertNotContains(response: ClientResponse, text: string, options: Omit<ContainsOptions, "count"> = {}): void {
  const status = options.status ?? 200;
  if (response.status !== status) fail(`Couldn't retrieve content: response code was ${response.status} (expected ${status})`, options.msgPrefix);
  if (countOccurrences(response.text(), text) > 0) fail(`Response should not contain ${JSON.stringify(text)}`, options.msgPrefix);
}

/** Options of {@link assertRedirects}. */
export interface RedirectsOptions {
  /** Status of the redirect (default 302). */
  status?: number;
  /** Status of the page redirected to, when the client followed (default 200). */
  targetStatus?: number;
  msgPrefix?: string;
}

/**
 * The response redirected to `expectedUrl` with `status`; when the client followed
 * (`follow: true`), the chain ends there with `targetStatus`.
 *
 * @example
 * assertRedirects(response, "/accounts/login/?next=/private/");
 */
export function assertRedirects(response: ClientResponse, expectedUrl: string, options: RedirectsOptions = {}): void {
  const status = options.status ?? 302;
  const targetStatus = options.targetStatus ?? 200;
  if (response.redirectChain.length > 0) {
    const first = response.redirectChain[0];
    const last = response.redirectChain[response.redirectChain.length - 1];
    if (first !== undefined && first[1] !== status) fail(`Initial response didn't redirect as expected: response code was ${first[1]} (expected ${status})`, options.msgPrefix);
    if (last !== undefined && last[0] !== expectedUrl) fail(`Response redirected to ${JSON.stringify(last[0])}, expected ${JSON.stringify(expectedUrl)}`, options.msgPrefix);
    if (response.status !== targetStatus) fail(`Response didn't redirect as expected: final response code was ${response.status} (expected ${targetStatus})`, options.msgPrefix);
    return;
  }
  if (response.status !== status) fail(`Response didn't redirect as expected: response code was ${response.status} (expected ${status})`, options.msgPrefix);
  const location = response.url ?? "";
  const normalized = location.replace(/^https?:\/\/[^/]+/, "");
  if (location !== expectedUrl && normalized !== expectedUrl) fail(`Response redirected to ${JSON.stringify(location)}, expected ${JSON.stringify(expectedUrl)}`, options.msgPrefix);
}

/**
 * The response rendered the template `name`.
 *
 * @example
 * assertTemplateUsed(response, "polls/detail.html");
 */
export function assertTemplateUsed(response: ClientResponse, name: string, options: { count?: number; msgPrefix?: string } = {}): void {
  const used = response.templates.filter((template) => template === name).length;
  if (used === 0) fail(`Template ${JSON.stringify(name)} was not a template used to render the response. Actual template(s) used: ${response.templates.join(", ") || "none"}`, options.msgPrefix);
  if (options.count !== undefined && used !== options.count) fail(`Template ${JSON.stringify(name)} was expected to be rendered ${options.count} time(s) but was actually rendered ${used} time(s).`, options.msgPrefix);
}

/** The response did not render the template `name`. @example assertTemplateNotUsed(response, "admin.html"); */
export function assertTemplateNotUsed(response: ClientResponse, name: string, options: { msgPrefix?: string } = {}): void {
  if (response.templates.includes(name)) fail(`Template ${JSON.stringify(name)} was used unexpectedly in rendering the response`, options.msgPrefix);
}

/**
 * The (validated) form has exactly these errors on `field` (null: its non-field errors).
 *
 * @example
 * await form.isValid();
 * assertFormError(form, "email", ["Enter a valid email address."]);
 */
export function assertFormError(form: Form, field: string | null, errors: string | readonly string[], options: { msgPrefix?: string } = {}): void {
  const expected = typeof errors === "string" ? [errors] : [...errors];
  if (field !== null && !(field in form.fields)) fail(`The form ${form.constructor.name} does not contain the field ${JSON.stringify(field)}.`, options.msgPrefix);
  const actual = field === null ? form.nonFieldErrors().messages : form.errors.get(field)?.messages ?? [];
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    fail(`The errors of field ${JSON.stringify(field)} on form ${form.constructor.name} don't match: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`, options.msgPrefix);
  }
}
