import nunjucks from "nunjucks";

/**
 * Nunjucks' `Frame.set` splits the variable name on "." on every call, and a `{% for %}`
 * loop sets eight variables per item (`entry`, `loop.index`, `loop.first`, ...): on a page
 * with a loop those splits were a third of the render (the `loop` ones are now one call,
 * see nunjucksLoop.ts; the loop's target still comes here). This keeps the method's exact
 * behaviour (same writes, same nested `loop` object, same `resolveUp` rule) and only
 * remembers each name's parts. Names come from compiled templates, so the memo stays small;
 * it is capped anyway for names built at run time.
 */
const MAX_NAMES = 10_000;

declare module "nunjucks" {
  namespace runtime {
    /** Nunjucks' run-time scope (exported by its runtime, not described by @types/nunjucks). */
    class Frame {
      variables: Record<string, unknown>;
      resolve(name: string, forWrite?: boolean): Frame | undefined;
      set(name: string, value: unknown, resolveUp?: boolean): void;
    }
  }
}

const partsByName = new Map<string, readonly string[]>();

function partsOf(name: string): readonly string[] {
  let parts = partsByName.get(name);
  if (parts === undefined) {
    parts = name.split(".");
    if (partsByName.size < MAX_NAMES) partsByName.set(name, parts);
  }
  return parts;
}

function set(this: nunjucks.runtime.Frame, name: string, value: unknown, resolveUp?: boolean): void {
  // A plain name (a loop's target, `{% set %}` inside a block): one write, as nunjucks' loop below does for one part.
  if (!resolveUp && name.indexOf(".") === -1) {
    this.variables[name] = value;
    return;
  }
  const parts = partsOf(name);
  if (resolveUp) {
    const frame = this.resolve(parts[0] as string, true);
    if (frame) {
      frame.set(name, value);
      return;
    }
  }
  let object = this.variables;
  for (let i = 0; i < parts.length - 1; i++) {
    const id = parts[i] as string;
    if (!object[id]) object[id] = {};
    object = object[id] as Record<string, unknown>;
  }
  object[parts[parts.length - 1] as string] = value;
}

/**
 * Installs the memoised `Frame.set` on nunjucks' runtime (once; idempotent). The engine
 * calls it when it builds an environment, so every framework render uses it.
 *
 * @example
 * installFastFrameSet();
 */
export function installFastFrameSet(): void {
  const prototype = nunjucks.runtime.Frame.prototype;
  if (prototype.set !== set) prototype.set = set;
}
