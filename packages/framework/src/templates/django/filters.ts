import nunjucks from "nunjucks";
import { escapeHtml } from "../../debug/html.js";
import { formatDate, timeSince } from "./dateFormat.js";

type Safe = nunjucks.runtime.SafeString;

/** The value as HTML: escaped unless it is already safe. */
function asHtml(value: unknown): string {
  if (value instanceof nunjucks.runtime.SafeString) return String(value);
  return escapeHtml(value === null || value === undefined ? "" : String(value));
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "string" || typeof value === "number") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** `{{ n|pluralize }}`, `{{ n|pluralize("es") }}`, `{{ n|pluralize("y,ies") }}`: Django's. */
export function pluralize(value: unknown, suffix = "s"): string {
  const [singular, plural] = suffix.includes(",") ? (suffix.split(",", 2) as [string, string]) : ["", suffix];
  if (suffix.split(",").length > 2) return "";
  const count = Array.isArray(value) ? value.length : Number(value);
  if (Number.isNaN(count)) return "";
  return count === 1 ? singular : plural;
}

/** `{{ when|date("D j M Y") }}`: Django's format characters, UTC (default "N j, Y"). */
export function date(value: unknown, format = "N j, Y"): string {
  const when = toDate(value);
  return when === undefined ? "" : formatDate(when, format);
}

/** `{{ when|time("H:i") }}` (default "P"). */
export function time(value: unknown, format = "P"): string {
  return date(value, format);
}

/** `{{ posted|timesince }}` or `timesince(other)`: "3 days, 2 hours". */
export function timesince(value: unknown, now?: unknown): string {
  const when = toDate(value);
  if (when === undefined) return "";
  return timeSince(when, toDate(now) ?? new Date());
}

/** `{{ deadline|timeuntil }}`. */
export function timeuntil(value: unknown, now?: unknown): string {
  const when = toDate(value);
  if (when === undefined) return "";
  return timeSince(toDate(now) ?? new Date(), when);
}

/** Text to `<p>` paragraphs and `<br>` lines, the text escaped (Django's `linebreaks`). */
export function linebreaks(value: unknown): Safe {
  const text = asHtml(value).replace(/\r\n?/g, "\n");
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== "");
  return new nunjucks.runtime.SafeString(paragraphs.map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`).join("\n\n"));
}

/** Newlines to `<br>`, the text escaped. */
export function linebreaksbr(value: unknown): Safe {
  return new nunjucks.runtime.SafeString(asHtml(value).replace(/\r\n?|\n/g, "<br>"));
}

/** The first `count` words, then "…". */
export function truncatewords(value: unknown, count: number): string {
  const words = String(value ?? "").trim().split(/\s+/).filter(Boolean);
  const n = Number(count);
  if (!Number.isInteger(n) || n < 0) return String(value ?? "");
  return words.length > n ? `${words.slice(0, n).join(" ")} …` : words.join(" ");
}

/** At most `length` characters, "…" included. */
export function truncatechars(value: unknown, length: number): string {
  const chars = [...String(value ?? "")];
  const n = Number(length);
  if (!Number.isInteger(n) || n < 0) return String(value ?? "");
  return chars.length > n ? `${chars.slice(0, Math.max(0, n - 1)).join("")}…` : chars.join("");
}

/** `{{ ok|yesno("yeah,no,maybe") }}`: true, false, null/undefined (default "yes,no,maybe"). */
export function yesno(value: unknown, mapping = "yes,no,maybe"): unknown {
  const bits = mapping.split(",");
  if (bits.length < 2) return value;
  const [yes, no, maybe = no] = bits as [string, string, string?];
  if (value === null || value === undefined) return maybe;
  return isTruthy(value) ? yes : no;
}

/** Django's truthiness: empty arrays, objects, maps and sets are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The argument when the value is null or undefined (not when it is "" or 0). */
export function default_if_none(value: unknown, fallback: unknown): unknown {
  return value === null || value === undefined ? fallback : value;
}

/**
 * Django's `floatformat`: `-1` (default) one decimal unless whole; `n` exactly n decimals;
 * `-n` n decimals only when needed; `0` rounded to a whole number.
 */
export function floatformat(value: unknown, places: number | string = -1): string {
  const n = typeof value === "number" ? value : Number.parseFloat(String(value));
  if (!Number.isFinite(n)) return "";
  const digits = Number(places);
  if (!Number.isInteger(digits)) return String(value);
  const abs = Math.abs(digits);
  // Round half away from zero, as Python's Decimal ROUND_HALF_UP does for floatformat.
  const factor = 10 ** abs;
  const rounded = Math.sign(n) * Math.round(Math.abs(n) * factor + 1e-9) / factor;
  if (digits < 0 && Number.isInteger(rounded)) return String(rounded === 0 ? 0 : rounded);
  const text = rounded.toFixed(abs);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** `123456789|filesizeformat` → "117.7 MB" (1024-based, Django's labels). */
export function filesizeformat(value: unknown): string {
  const bytes = Number(value);
  if (!Number.isFinite(bytes)) return "0 bytes";
  const abs = Math.abs(bytes);
  const sign = bytes < 0 ? "-" : "";
  if (abs < 1024) return `${sign}${abs} ${abs === 1 ? "byte" : "bytes"}`;
  const units = ["KB", "MB", "GB", "TB", "PB"];
  let size = abs / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return `${sign}${size.toFixed(1)} ${units[unit]}`;
}

/** Lower-case ASCII words joined by hyphens (Django's `slugify`). */
export function slugify(value: unknown): string {
  return String(value ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
}

const URL_PATTERN = /\b((?:https?:\/\/|www\.)[^\s<>"']+[^\s<>"'.,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/gi;

/** Links in text become `<a rel="nofollow">`; everything is escaped (Django's `urlize`). */
export function urlize(value: unknown, autoescape = true): Safe {
  const text = value instanceof nunjucks.runtime.SafeString ? String(value) : String(value ?? "");
  let out = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const found = match[0];
    const at = match.index ?? 0;
    out += autoescape ? escapeHtml(text.slice(last, at)) : text.slice(last, at);
    const href = found.includes("@") && !found.includes("://") ? `mailto:${found}` : found.startsWith("www.") ? `https://${found}` : found;
    out += `<a href="${escapeHtml(href)}" rel="nofollow">${escapeHtml(found)}</a>`;
    last = at + found.length;
  }
  out += autoescape ? escapeHtml(text.slice(last)) : text.slice(last);
  return new nunjucks.runtime.SafeString(out);
}

const JSON_ESCAPES: Record<string, string> = { "<": "\\u003C", ">": "\\u003E", "&": "\\u0026" };

/** `{{ data|json_script("my-data") }}`: a `<script type="application/json">` that cannot break out. */
export function json_script(value: unknown, elementId?: string): Safe {
  const json = JSON.stringify(value ?? null).replace(/[<>&]/g, (c) => JSON_ESCAPES[c] ?? c);
  const id = elementId ? ` id="${escapeHtml(elementId)}"` : "";
  return new nunjucks.runtime.SafeString(`<script${id} type="application/json">${json}</script>`);
}

/** Every filter above by its Django name. */
export const DJANGO_FILTERS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  pluralize, date, time, timesince, timeuntil, linebreaks, linebreaksbr, truncatewords, truncatechars, yesno, default_if_none, floatformat, filesizeformat, urlize, slugify, json_script,
};
