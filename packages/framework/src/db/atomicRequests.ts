import type { Settings } from "../settings/types.js";
import { databaseSettings } from "./settings.js";
import { atomic } from "./transaction.js";

const nonAtomic = new WeakSet<object>();

/**
 * Exempts a view from `ATOMIC_REQUESTS` (Django's `non_atomic_requests`), e.g. one that streams or manages its own transactions.
 *
 * @example
 * export const upload = nonAtomicRequests(async (request) => { ... });
 */
export function nonAtomicRequests<V extends object>(view: V): V {
  nonAtomic.add(view);
  return view;
}

const aliasesBySettings = new WeakMap<Settings, string[]>();

/** The aliases whose `ATOMIC_REQUESTS` is on (computed once per settings object). */
function atomicAliases(settings: Settings): string[] {
  let aliases = aliasesBySettings.get(settings);
  if (aliases === undefined) {
    aliases = computeAtomicAliases(settings);
    aliasesBySettings.set(settings, aliases);
  }
  return aliases;
}

function computeAtomicAliases(settings: Settings): string[] {
  const aliases = Object.keys(settings.DATABASES ?? {});
  if (!aliases.includes("default")) aliases.unshift("default");
  return aliases.filter((alias) => {
    if (alias === "default" && settings.DATABASES?.default === undefined) return settings.ATOMIC_REQUESTS === true;
    return databaseSettings(settings, alias).ATOMIC_REQUESTS === true;
  });
}

/**
 * Whether {@link callViewAtomically} would open a transaction for this view; when not, the
 * handler calls the view directly (a view that answers synchronously then costs no promise).
 *
 * @example
 * const response = viewRunsAtomically(settings, view) ? await callViewAtomically(settings, view, call) : call();
 */
export function viewRunsAtomically(settings: Settings, view: object): boolean {
  if (nonAtomic.has(view) || (settings.ATOMIC_REQUESTS !== true && settings.DATABASES === undefined)) return false;
  return atomicAliases(settings).length > 0;
}

/**
 * Calls a view inside `atomic()` for each database with `ATOMIC_REQUESTS` (Django's
 * `make_view_atomic`): a view that throws leaves no partial writes. The handler calls this.
 *
 * @example
 * response = await callViewAtomically(settings, view, () => view(request, kwargs));
 */
export async function callViewAtomically<T>(settings: Settings, view: object, call: () => T | Promise<T>): Promise<T> {
  if (!viewRunsAtomically(settings, view)) return call();
  const aliases = atomicAliases(settings);
  return aliases.reduceRight<() => Promise<T>>((inner, alias) => () => atomic(inner, { using: alias }), async () => call())();
}
