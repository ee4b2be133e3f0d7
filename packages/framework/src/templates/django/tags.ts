import nunjucks from "nunjucks";
import type { Settings } from "../../settings/types.js";
import { staticUrl } from "../../staticfiles/static.js";
import { reverse } from "../../urls/reverse.js";
import { formatDate } from "./dateFormat.js";
import { isTruthy } from "./filters.js";

/** The parts of nunjucks' parser API the tags use (nunjucks ships no types for them). */
interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}
interface Parser {
  nextToken(): Token;
  peekToken(): Token;
  parseExpression(): unknown;
  advanceAfterBlockEnd(name?: string): void;
  parseUntilBlocks(...names: string[]): unknown;
  skipValue(type: string, value: string): boolean;
  fail(message: string, lineno?: number, colno?: number): never;
}
interface Lexer {
  TOKEN_BLOCK_END: string;
  TOKEN_SYMBOL: string;
  TOKEN_OPERATOR: string;
}
type NodeConstructor = new (lineno: number, colno: number, ...rest: unknown[]) => { addChild(node: unknown): void };
interface Nodes {
  NodeList: NodeConstructor;
  KeywordArgs: NodeConstructor;
  Pair: NodeConstructor;
  Literal: NodeConstructor;
  CallExtension: new (extension: object, method: string, args: unknown, contentArgs?: unknown[]) => unknown;
}
/** What a tag's `run` gets as its first argument. */
interface RenderContext {
  ctx: Record<string, unknown>;
  setVariable(name: string, value: unknown): void;
}

interface Parsed {
  args: { addChild(node: unknown): void };
  asVar: string | undefined;
}

/** Django's space-separated arguments: `"name" a b key=value`, optionally `as var`. */
function parseArgs(parser: Parser, nodes: Nodes, lexer: Lexer, tag: Token, allowAs: boolean): Parsed {
  const args = new nodes.NodeList(tag.lineno, tag.colno);
  let kwargs: { addChild(node: unknown): void } | undefined;
  let asVar: string | undefined;
  while (parser.peekToken().type !== lexer.TOKEN_BLOCK_END) {
    const next = parser.peekToken();
    if (allowAs && next.type === lexer.TOKEN_SYMBOL && next.value === "as") {
      parser.nextToken();
      const name = parser.nextToken();
      if (name.type !== lexer.TOKEN_SYMBOL) parser.fail(`{% ${tag.value} ... as NAME %} needs a variable name after "as"`, name.lineno, name.colno);
      asVar = name.value;
      continue;
    }
    const expression = parser.parseExpression() as { value?: unknown; typename?: string };
    if (parser.skipValue(lexer.TOKEN_OPERATOR, "=")) {
      if (expression.typename !== "Symbol") parser.fail(`{% ${tag.value} %}: the name before "=" must be a plain word`, next.lineno, next.colno);
      kwargs ??= new nodes.KeywordArgs(next.lineno, next.colno);
      kwargs.addChild(new nodes.Pair(next.lineno, next.colno, new nodes.Literal(next.lineno, next.colno, expression.value), parser.parseExpression()));
    } else {
      args.addChild(expression);
    }
  }
  if (kwargs !== undefined) args.addChild(kwargs);
  parser.advanceAfterBlockEnd(tag.value);
  return { args, asVar };
}

/** Splits nunjucks' trailing keyword-arguments object from the positional ones. */
function splitKwargs(values: unknown[]): { positional: unknown[]; kwargs: Record<string, unknown> } {
  const last = values[values.length - 1];
  if (typeof last === "object" && last !== null && (last as { __keywords?: boolean }).__keywords === true) {
    const { __keywords: _marker, ...kwargs } = last as Record<string, unknown>;
    return { positional: values.slice(0, -1), kwargs };
  }
  return { positional: values, kwargs: {} };
}

/** A tag whose `run(context, ...args)` result is printed (or stored with `as var`). */
function simpleTag(name: string, run: (context: RenderContext, positional: unknown[], kwargs: Record<string, unknown>) => unknown, allowAs = false): nunjucks.Extension {
  const extension = {
    tags: [name],
    parse(parser: Parser, nodes: Nodes, lexer: Lexer): unknown {
      const tag = parser.nextToken();
      const { args, asVar } = parseArgs(parser, nodes, lexer, tag, allowAs);
      if (asVar !== undefined) args.addChild(new nodes.Literal(tag.lineno, tag.colno, `\u0000as:${asVar}`));
      return new nodes.CallExtension(extension, "run", args);
    },
    run(context: RenderContext, ...values: unknown[]): unknown {
      const last = values[values.length - 1];
      const asVar = typeof last === "string" && last.startsWith("\u0000as:") ? last.slice(4) : undefined;
      const { positional, kwargs } = splitKwargs(asVar === undefined ? values : values.slice(0, -1));
      const result = run(context, positional, kwargs);
      if (asVar === undefined) return result;
      context.setVariable(asVar, result);
      return "";
    },
  };
  return extension;
}

const cycles = new WeakMap<object, Map<string, number>>();
let cycleIds = 0;

/**
 * Installs Django's tags in a nunjucks environment: `{% url "name" arg key=value [as var] %}`,
 * `{% csrf_token %}`, `{% static "path" %}`, `{% now "Y" %}`, `{% cycle "odd" "even" %}`,
 * `{% firstof a b "default" %}`, `{% spaceless %}...{% endspaceless %}`, `{% querystring page=2 %}`.
 *
 * @example
 * installDjangoTags(env, settings);
 */
export function installDjangoTags(env: nunjucks.Environment, settings: Settings): void {
  env.addExtension("url", simpleTag("url", (_context, [name, ...args], kwargs) => {
    if (typeof name !== "string") throw new TypeError("{% url %} needs the URL name first, in quotes: {% url \"polls:detail\" question.id %}");
    return reverse(name, Object.keys(kwargs).length > 0 ? { kwargs } : { args: args.map((arg) => (typeof arg === "number" ? arg : String(arg))) });
  }, true));
  env.addExtension("csrf_token", simpleTag("csrf_token", (context) => context.ctx.csrf_input ?? ""));
  env.addExtension("static", simpleTag("static", (_context, [path]) => staticUrl(settings, String(path)), true));
  env.addExtension("now", simpleTag("now", (_context, [format]) => formatDate(new Date(), typeof format === "string" ? format : "N j, Y"), true));
  env.addExtension("firstof", simpleTag("firstof", (_context, values) => values.find((value) => isTruthy(value)) ?? ""));
  env.addExtension("querystring", simpleTag("querystring", (context, positional, kwargs) => {
    const request = context.ctx.request as { GET?: { toJSON(): Record<string, string[]> } } | undefined;
    const params = new URLSearchParams();
    const base = positional[0] as { toJSON?: () => Record<string, string[]> } | undefined;
    const source = base?.toJSON?.() ?? request?.GET?.toJSON() ?? {};
    for (const [key, values] of Object.entries(source)) for (const value of values) params.append(key, value);
    for (const [key, value] of Object.entries(kwargs)) {
      params.delete(key);
      if (value === null || value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
    const text = params.toString();
    return text === "" ? "" : `?${text}`;
  }));
  const cycle: nunjucks.Extension & { run(context: RenderContext, ...values: unknown[]): unknown } = {
    tags: ["cycle"],
    parse(parser: Parser, nodes: Nodes, lexer: Lexer): unknown {
      const tag = parser.nextToken();
      const { args } = parseArgs(parser, nodes, lexer, tag, false);
      args.addChild(new nodes.Literal(tag.lineno, tag.colno, `cycle${cycleIds++}`));
      return new nodes.CallExtension(cycle, "run", args);
    },
    run(context: RenderContext, ...values: unknown[]): unknown {
      const id = String(values.pop());
      let counters = cycles.get(context);
      if (counters === undefined) {
        counters = new Map();
        cycles.set(context, counters);
      }
      const index = counters.get(id) ?? 0;
      counters.set(id, index + 1);
      return values[index % values.length];
    },
  };
  env.addExtension("cycle", cycle);
  const spaceless: nunjucks.Extension & { run(context: RenderContext, body: () => string): unknown } = {
    tags: ["spaceless"],
    parse(parser: Parser, nodes: Nodes): unknown {
      const tag = parser.nextToken();
      parser.advanceAfterBlockEnd(tag.value);
      const body = parser.parseUntilBlocks("endspaceless");
      parser.advanceAfterBlockEnd();
      return new nodes.CallExtension(spaceless, "run", new nodes.NodeList(tag.lineno, tag.colno), [body]);
    },
    run(_context: RenderContext, body: () => string): unknown {
      return new nunjucks.runtime.SafeString(String(body()).replace(/>\s+</g, "><").trim());
    },
  };
  env.addExtension("spaceless", spaceless);
}

/** The Django tag names, for "did you mean" hints. */
export const DJANGO_TAGS = ["url", "csrf_token", "static", "now", "cycle", "firstof", "spaceless", "querystring"] as const;
