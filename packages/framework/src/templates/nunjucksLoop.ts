import nunjucks from "nunjucks";

/**
 * Nunjucks compiles each `{% for %}` iteration's `loop` variables to seven calls
 * `frame.set("loop.index", i + 1)`, `frame.set("loop.index0", i)`, ... each of which splits
 * the dotted name, finds (or creates) the frame's `loop` object and writes one property: on a
 * page with a loop that was the largest part of the render after escaping. This emits one
 * call per iteration instead, {@link loopBindings}, which does the same writes to the same
 * object in the same order. Only the code generator's `_emitLoopBindings` changes (for
 * `for`, `asyncEach` and `asyncAll`); templates compiled before the install keep working.
 */
type Frame = nunjucks.runtime.Frame;

interface LoopCompiler {
  _emitLine(code: string): void;
}
type EmitLoopBindings = (this: LoopCompiler, node: unknown, arr: string, i: string, len: string) => void;

declare module "nunjucks" {
  namespace compiler {
    // The code generator (see nunjucksTruth.ts): the method that writes `loop`'s bindings.
    interface Compiler {
      _emitLoopBindings: EmitLoopBindings;
    }
  }
}

/** The helper's name on nunjucks' runtime module, which compiled templates receive as `runtime`. */
const HELPER = "tsgiLoopBindings";

/**
 * What the seven `frame.set("loop.<name>", value)` calls do, in their order: the frame's own
 * `loop` object is created if it is falsy, then index, index0, revindex, revindex0, first,
 * last and length are written to it (a truthy non-object `loop` throws the same TypeError).
 *
 * @example
 * loopBindings(frame, 0, 3); // frame.variables.loop: { index: 1, index0: 0, revindex: 3, ..., length: 3 }
 */
export function loopBindings(frame: Frame, index: number, length: number): void {
  const variables = frame.variables;
  let loop = variables.loop as Record<string, unknown> | undefined;
  if (!loop) loop = variables.loop = {};
  loop.index = index + 1;
  loop.index0 = index;
  loop.revindex = length - index;
  loop.revindex0 = length - index - 1;
  loop.first = index === 0;
  loop.last = index === length - 1;
  loop.length = length;
}

function emitLoopBindings(this: LoopCompiler, _node: unknown, _arr: string, i: string, len: string): void {
  this._emitLine(`runtime.${HELPER}(frame, ${i}, ${len});`);
}

let original: EmitLoopBindings | undefined;

/**
 * Installs the one-call loop bindings in nunjucks' compiler and runtime (once; idempotent).
 * The engine calls it when it builds an environment.
 *
 * @example
 * installLoopBindings();
 */
export function installLoopBindings(): void {
  const prototype = nunjucks.compiler.Compiler.prototype;
  if (prototype._emitLoopBindings === emitLoopBindings) return;
  // The helper first: code compiled from now on calls it.
  Object.assign(nunjucks.runtime, { [HELPER]: loopBindings });
  original ??= prototype._emitLoopBindings;
  prototype._emitLoopBindings = emitLoopBindings;
}

/**
 * Puts nunjucks' own loop bindings back (for tests comparing the two code generators;
 * templates compiled since keep the code they were compiled with).
 *
 * @example
 * uninstallLoopBindings();
 */
export function uninstallLoopBindings(): void {
  const prototype = nunjucks.compiler.Compiler.prototype;
  if (original !== undefined && prototype._emitLoopBindings === emitLoopBindings) {
    prototype._emitLoopBindings = original;
  }
}
