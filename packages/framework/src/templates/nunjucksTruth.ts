import nunjucks from "nunjucks";

/**
 * Django's truthiness in the framework's templates. Nunjucks compiles `{% if %}`, `not`,
 * `and`, `or` and `a if c else b` to plain JavaScript, where an empty list, an empty object
 * and an empty SafeString are true; Django treats every empty container as false, so a
 * ported `{% if items %}...{% else %}No items{% endif %}` silently printed nothing. This
 * routes those conditions through {@link djangoTruthy} for the environments the framework
 * builds ({@link useDjangoTruthiness}); other nunjucks environments in the process keep
 * JavaScript's rules (the helpers return the plain value for them).
 */
type Node = { cond: unknown; body: unknown; else_: unknown; left: unknown; right: unknown; target: unknown };
type Frame = unknown;

interface CompilerLike {
  _emit(code: string): void;
  _emitLine(code: string): void;
  _compileExpression(node: unknown, frame: Frame): void;
  _withScopedSyntax(fn: () => void): void;
  compile(node: unknown, frame: Frame): void;
}

declare module "nunjucks" {
  namespace compiler {
    /** Nunjucks' code generator (exported by its compiler, not described by @types/nunjucks). */
    class Compiler {
      compileIf: (this: CompilerLike, node: Node, frame: Frame, async?: boolean) => void;
      compileInlineIf: (this: CompilerLike, node: Node, frame: Frame) => void;
      compileNot: (this: CompilerLike, node: Node, frame: Frame) => void;
      compileAnd: (this: CompilerLike, node: Node, frame: Frame) => void;
      compileOr: (this: CompilerLike, node: Node, frame: Frame) => void;
    }
  }
}

const djangoEnvironments = new WeakSet<object>();

/**
 * Django's truth test: None, False, 0, "" and empty list/tuple/dict/set are false.
 *
 * @example
 * djangoTruthy([]); // false
 * djangoTruthy([0]); // true
 */
export function djangoTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== "object") return Boolean(value);
  if (value instanceof String) return value.length > 0; // nunjucks' SafeString
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return Object.keys(value).length > 0;
  return true;
}

function truthy(env: unknown, value: unknown): unknown {
  return typeof env === "object" && env !== null && djangoEnvironments.has(env) ? djangoTruthy(value) : value;
}

function compileIf(this: CompilerLike, node: Node, frame: Frame, async?: boolean): void {
  this._emit("if(runtime.tsgiTruthy(env, ");
  this._compileExpression(node.cond, frame);
  this._emitLine(")) {");
  this._withScopedSyntax(() => {
    this.compile(node.body, frame);
    if (async) this._emit("cb()");
  });
  if (node.else_) {
    this._emitLine("}\nelse {");
    this._withScopedSyntax(() => {
      this.compile(node.else_, frame);
      if (async) this._emit("cb()");
    });
  } else if (async) {
    this._emitLine("}\nelse {");
    this._emit("cb()");
  }
  this._emitLine("}");
}

function compileInlineIf(this: CompilerLike, node: Node, frame: Frame): void {
  this._emit("(runtime.tsgiTruthy(env, ");
  this.compile(node.cond, frame);
  this._emit(")?");
  this.compile(node.body, frame);
  this._emit(":");
  if (node.else_ !== null) this.compile(node.else_, frame);
  else this._emit('""');
  this._emit(")");
}

function compileNot(this: CompilerLike, node: Node, frame: Frame): void {
  this._emit("!runtime.tsgiTruthy(env, ");
  this.compile(node.target, frame);
  this._emit(")");
}

// The right side stays lazy (an arrow), so `a and f()` still short-circuits.
function binary(helper: "tsgiAnd" | "tsgiOr") {
  return function (this: CompilerLike, node: Node, frame: Frame): void {
    this._emit(`runtime.${helper}(env, `);
    this.compile(node.left, frame);
    this._emit(", () => (");
    this.compile(node.right, frame);
    this._emit("))");
  };
}

/**
 * Patches nunjucks' compiler and runtime (once; idempotent) and marks `env` as using
 * Django's truthiness. The engine calls it for every environment it builds.
 *
 * @example
 * useDjangoTruthiness(env);
 */
export function useDjangoTruthiness(env: nunjucks.Environment): void {
  if (!("tsgiTruthy" in nunjucks.runtime)) {
    // Compiled templates receive nunjucks' runtime module as `runtime`: the helpers live there.
    Object.assign(nunjucks.runtime, {
      tsgiTruthy: truthy,
      tsgiAnd: (e: unknown, left: unknown, right: () => unknown) => (truthy(e, left) ? right() : left),
      tsgiOr: (e: unknown, left: unknown, right: () => unknown) => (truthy(e, left) ? left : right()),
    });
    const prototype = nunjucks.compiler.Compiler.prototype;
    prototype.compileIf = compileIf;
    prototype.compileInlineIf = compileInlineIf;
    prototype.compileNot = compileNot;
    prototype.compileAnd = binary("tsgiAnd");
    prototype.compileOr = binary("tsgiOr");
  }
  djangoEnvironments.add(env);
}
