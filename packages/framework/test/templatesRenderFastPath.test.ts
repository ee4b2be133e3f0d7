import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nunjucks from "nunjucks";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import {
  CsrfViewMiddleware,
  HttpResponse,
  MessageMiddleware,
  SessionMiddleware,
  TemplateDoesNotExist,
  TemplateError,
  TemplateResponse,
  TemplateSyntaxError,
  addMessage,
  defineSettings,
  getTemplateEngine,
  path,
  render,
  renderTemplate,
  type HttpRequest,
  type SettingsInput,
} from "../src/index.js";
import { requestContextNow } from "../src/templates/context.js";
import { translateError, type TemplateEngine } from "../src/templates/engine.js";
import { fastEscape, installFastEscape, nunjucksEscape, nunjucksSuppressValue } from "../src/templates/nunjucksEscape.js";
import { installFastFrameSet } from "../src/templates/nunjucksFrame.js";
import { installLoopBindings, uninstallLoopBindings } from "../src/templates/nunjucksLoop.js";
import { BASE_SETTINGS, makeApp } from "./helpers/core.js";

declare module "nunjucks" {
  namespace compiler {
    /** Template source to the JavaScript nunjucks runs (exported by its compiler, not described by @types/nunjucks). */
    function compile(source: string, asyncFilters: string[], extensions: unknown[], name: string, options: object): string;
  }
}

// nunjucks' own pieces, captured before any engine installs the faster ones.
const originalSet = nunjucks.runtime.Frame.prototype.set;
const originalEscape = nunjucks.lib.escape;
const originalSuppressValue = nunjucks.runtime.suppressValue;

/** nunjucks as it ships: its Frame.set, its escaper, its loop bindings (for templates compiled from now on). */
function useNunjucksOwn(): void {
  nunjucks.runtime.Frame.prototype.set = originalSet;
  nunjucks.lib.escape = originalEscape;
  nunjucks.runtime.suppressValue = originalSuppressValue;
  uninstallLoopBindings();
}

function useFastPaths(): void {
  installFastFrameSet();
  installLoopBindings();
  installFastEscape();
}
afterEach(useFastPaths);

const root = mkdtempSync(join(tmpdir(), "tsgi-templates-fast-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeTemplate(dir: string, name: string, source: string): void {
  const file = join(root, dir, name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, source);
}

// Inheritance three deep with super(), includes, imports, macros, every loop form and loop variable, set at
// each level, filters (nunjucks' and Django's), autoescape with every special character, safe strings, tags.
writeTemplate("corpus", "base.html", `<title>{% block title %}Site{% endblock %}</title>
{% set site = "<Site & Co>" %}{% block content %}base content{% endblock %}
<footer>{% block footer %}base footer {{ site }} {{ year }}{% endblock %}</footer>`);
writeTemplate("corpus", "middle.html", `{% extends "base.html" %}{% block footer %}{{ super() }} + middle{% endblock %}
{% block content %}<main>{% block main %}middle main{% endblock %}</main>{% endblock %}`);
writeTemplate("corpus", "macros.html", `{% macro field(name, value="v", loopy=[]) %}<input name="{{ name }}" value="{{ value }}">{% for x in loopy %}{{ loop.index }}:{{ x }}{% if not loop.last %},{% endif %}{% endfor %}{% endmacro %}`);
writeTemplate("corpus", "part.html", `{% for entry in entries %}{% if loop.first %}first:{{ entry.name }}{% elif loop.last %}last:{{ entry.name }}/{{ loop.length }}{% endif %}{% endfor %}`);
writeTemplate(
  "corpus",
  "page.html",
  `{% extends "middle.html" %}{% import "macros.html" as forms %}{% from "macros.html" import field %}
{% block title %}Page: {{ title }}{% endblock %}
{% block main %}
{% for entry in entries %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {{ entry.name }}: {{ entry.message }}
{% for tag in entry.tags %}[{{ loop.index }} of {{ loop.length }} in {{ entry.name }}: {{ tag | upper }}]{% else %}(no tags){% endfor %}
{% endfor %}{% for key, value in mapping %}{{ key }}={{ value }}({{ loop.index }}/{{ loop.length }});{% endfor %}
{% for a, b in pairs %}{{ a }}-{{ b }}{{ loop.revindex }} {% endfor %}{% for x in empty %}never{% else %}empty list{% endfor %}
{% for x in aSet %}{{ x }}{{ "," if not loop.last }}{% endfor %} {% for k, v in aMap %}{{ k }}:{{ v }}{% endfor %}
{% set total = 0 %}{% for n in numbers %}{% set total = total + n %}{% endfor %}total={{ total }}
{% set outer = "x" %}{% for n in numbers %}{% set outer = outer + n %}{% endfor %}outer={{ outer }}
{{ field("a") }}{{ forms.field("b", value="<c>", loopy=numbers) }}
{% include "part.html" %}
{{ html | safe }} {{ html }} {{ html | escape }} {{ specials }} {{ unicode }} {{ number }} {{ missing }} {{ nothing }} {{ flag }}
{{ entries | length }} {{ numbers | join(", ") }} {{ title | default("untitled") }} {{ count | pluralize }} {{ specials | title }} {{ when | date("Y-m-d") }}
{% if items %}has items{% else %}no items{% endif %} {% if emptyDict %}dict{% else %}empty dict{% endif %} {{ "yes" if flag and numbers else "no" }}
{% cycle "odd" "even" as parity %}{% for n in numbers %}{% cycle "odd" "even" %}{% endfor %} {% firstof missing nothing "fallback" %}
{% filter upper %}upper {{ specials }}{% endfilter %} {% raw %}{{ raw }}{% endraw %}
{%- for n in numbers -%} {{ n }} {%- endfor %}
{% spaceless %}<p>
  <b> x </b>
</p>{% endspaceless %}
{% endblock %}`,
);
writeTemplate("corpus", "loop-set.html", `{% for x in numbers %}{{ loop.index }}{% set loop = "taken" %}{% endfor %}`);
writeTemplate("corpus", "runtime-error.html", `line 1\n{% for entry in entries %}{{ entry.name }}{% if loop.last %}{{ missing.call() }}{% endif %}{% endfor %}\n`);
writeTemplate("corpus", "syntax-error.html", "line 1\n{% for %}\n");
writeTemplate("corpus", "include-error.html", `top\n{% include "syntax-error.html" %}\n`);
writeTemplate("corpus", "async-filter.html", `{% for n in numbers %}{{ n | later }}{{ loop.index }}{% endfor %} {{ specials | later }}`);

const CONTEXT = {
  title: "A <title> & \"quotes\"",
  year: 2026,
  entries: Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message <${i}> & "quotes" 'single' \\ end`, tags: i % 3 === 0 ? [] : ["a", `b${i}`] })),
  mapping: { one: 1, two: "<2>", three: "'3'" },
  pairs: [
    ["p", 1],
    ["q", 2],
  ],
  empty: [],
  aSet: new Set(["s1", "s2<"]),
  aMap: new Map<string, unknown>([
    ["m1", "&"],
    ["m2", 2],
  ]),
  numbers: [1, 2, 3, 4],
  html: "<em>safe?</em>",
  specials: `&"'<>\\ all of them, twice: &"'<>\\`,
  unicode: "snowman ☃, emoji 😀 <and> é",
  number: 3.5,
  nothing: null,
  flag: true,
  count: 2,
  items: [],
  emptyDict: {},
  when: new Date(Date.UTC(2026, 11, 7, 12, 0, 0)),
};

let built = 0;
/** A fresh engine (its own environment, nothing compiled yet) on the corpus folder. */
function freshEngine(extra: Partial<SettingsInput> = {}): TemplateEngine {
  built++;
  // A distinct settings object per engine: engines are cached per settings.
  return getTemplateEngine(defineSettings({ ...BASE_SETTINGS, DEBUG: false, BASE_DIR: root, TEMPLATES: { DIRS: ["corpus"], APP_DIRS: false }, urlpatterns: [], SECRET_KEY: `fast-${built}`, ...extra }));
}

/** The render path before this fast path: env.render with its callback (nunjucks' asap hop), errors translated alike. */
function renderThroughEnvRender(engine: TemplateEngine, name: string, context: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    engine.env.render(name, context, (error, result) => (error ? reject(translateError(engine, name, error)) : resolve(result ?? "")));
  });
}

type Outcome = { html: string } | { error: { type: string; message: string; debug: unknown } };
async function outcome(render: Promise<string>): Promise<Outcome> {
  try {
    return { html: await render };
  } catch (error) {
    const e = error as Error & { templateDebug?: unknown };
    return { error: { type: e.constructor.name, message: e.message, debug: e.templateDebug } };
  }
}

const NAMES = ["page.html", "part.html", "macros.html", "base.html", "runtime-error.html", "syntax-error.html", "include-error.html", "loop-set.html", "no-such.html"];

describe("template rendering fast paths give byte-identical output", () => {
  it("renders the corpus alike with nunjucks' own escaper, Frame.set, loop bindings and env.render, and with the fast ones", async () => {
    const slowEngine = freshEngine();
    // After building it (building installs the fast pieces): its templates compile and run on nunjucks' own.
    useNunjucksOwn();
    const slow: Outcome[] = [];
    for (const name of NAMES) slow.push(await outcome(renderThroughEnvRender(slowEngine, name, CONTEXT)));
    // freshEngine() installed the fast pieces again; the new environment compiles with them.
    const fastEngine = freshEngine();
    expect(nunjucks.lib.escape).not.toBe(originalEscape);
    expect(nunjucks.runtime.suppressValue).not.toBe(originalSuppressValue);
    const fast: Outcome[] = [];
    for (const name of NAMES) fast.push(await outcome(renderTemplate(fastEngine, name, CONTEXT)));
    expect(fast).toEqual(slow);

    // The corpus did exercise what it is meant to.
    const [page, , , , runtimeError, syntaxError, includeError, loopSet, missing] = fast;
    const html = (page as { html: string }).html;
    expect(html).toContain("1/0/10/9/true/false/10 Guest 0: Message &lt;0&gt; &amp; &quot;quotes&quot; &#39;single&#39; &#92; end");
    expect(html).toContain("one=1(1/3);two=&lt;2&gt;(2/3)");
    expect(html).toContain("total=10");
    expect(html).toContain("<title>Page: A &lt;title&gt; &amp; &quot;quotes&quot;</title>");
    expect(html).toContain("base footer &lt;Site &amp; Co&gt; 2026 + middle");
    expect(html).toContain("first:Guest 0last:Guest 9/10");
    expect(html).toContain("no items empty dict yes");
    expect(html).toContain("snowman ☃, emoji 😀 &lt;and&gt; é");
    expect((runtimeError as { error: { type: string } }).error.type).toBe("TemplateError");
    expect((syntaxError as { error: { type: string } }).error.type).toBe("TemplateSyntaxError");
    expect((includeError as { error: { debug: { name: string } } }).error.debug.name).toBe("syntax-error.html");
    // `{% set loop = "taken" %}` then the next iteration's loop.index: nunjucks throws, so does the fast path.
    expect((loopSet as { error: { message: string } }).error.message).toMatch(/Cannot create property 'index' on string 'taken'/);
    expect((missing as { error: { type: string } }).error.type).toBe("TemplateDoesNotExist");
  });

  it("gives the same errors as before: classes, messages and debug info", async () => {
    const engine = freshEngine();
    await expect(renderTemplate(engine, "no-such.html", {})).rejects.toBeInstanceOf(TemplateDoesNotExist);
    await expect(renderTemplate(engine, "syntax-error.html", {})).rejects.toBeInstanceOf(TemplateSyntaxError);
    const error = await renderTemplate(engine, "runtime-error.html", CONTEXT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).templateDebug).toMatchObject({ name: "runtime-error.html", line: 2, during: "render" });
  });

  it("still renders templates that go asynchronous (an async filter) through the waiting path, alike", async () => {
    const later = (value: unknown, done: (error: Error | null, result: string) => void) => setImmediate(() => done(null, `${String(value)}!`));
    const slowEngine = freshEngine();
    useNunjucksOwn();
    slowEngine.env.addFilter("later", later, true);
    const slow = await renderThroughEnvRender(slowEngine, "async-filter.html", CONTEXT);
    const fastEngine = freshEngine();
    fastEngine.env.addFilter("later", later, true);
    let finished = false;
    const pending = renderTemplate(fastEngine, "async-filter.html", CONTEXT).then((html) => {
      finished = true;
      return html;
    });
    await Promise.resolve();
    expect(finished).toBe(false);
    expect(await pending).toBe(slow);
    expect(slow).toBe("1!12!23!34!4 &amp;&quot;&#39;&lt;&gt;&#92; all of them, twice: &amp;&quot;&#39;&lt;&gt;&#92;!");
  });

  it("compiles the loop variables to one call per iteration", () => {
    const source = nunjucks.compiler.compile("{% for x in xs %}{{ loop.index }}{% endfor %}", [], [], "t.html", {});
    expect(source).toContain("runtime.tsgiLoopBindings(frame, ");
    expect(source).not.toContain('frame.set("loop.');
  });
});

describe("fastEscape", () => {
  const nunjucksOwn = nunjucksEscape();

  it("is nunjucks' escaping, character for character", () => {
    const samples = ["", "plain", "&", '"', "'", "<", ">", "\\", "<<>>", "a&b", "&start", "end&", '&"\'<>\\', "x".repeat(1000) + "<" + "y".repeat(1000), "☃😀<é>", "\u0000<\uffff"];
    for (const sample of samples) expect(fastEscape(sample)).toBe(nunjucksOwn(sample));
    // And on many random strings over an alphabet rich in special characters (a fixed seed, so the test is the same each run).
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['&', '"', "'", "<", ">", "\\", "a", "b", " ", "é", "☃", "\n"];
    for (let n = 0; n < 2000; n++) {
      // Up to 120 characters: both the short-value loop and the long-value search.
      const text = Array.from({ length: Math.floor(random() * 120) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      expect(fastEscape(text)).toBe(nunjucksOwn(text));
    }
  });

  it("prints every kind of value as nunjucks' own suppressValue does, escaping on and off", () => {
    installFastEscape();
    const nunjucksOwn = nunjucksSuppressValue();
    expect(nunjucks.runtime.suppressValue).not.toBe(nunjucksOwn);
    const safe = new nunjucks.runtime.SafeString("<b>safe</b>");
    const values: unknown[] = ["", "plain", "<&>", "\"'\\", 0, 3.5, -1, NaN, true, false, null, undefined, safe, [1, "<2>"], { toString: () => "<obj>" }, new String("<boxed>"), new Date(0), 10n];
    for (const value of values) {
      for (const autoescape of [true, false]) expect(nunjucks.runtime.suppressValue(value, autoescape)).toStrictEqual(nunjucksOwn(value, autoescape));
    }
    // A SafeString comes back as the same object, not a copy.
    expect(nunjucks.runtime.suppressValue(safe, true)).toBe(safe);
  });

  it("returns a string with nothing to escape as it is, and leaves non-strings to nunjucks' own", () => {
    const text = "nothing to escape here";
    expect(fastEscape(text)).toBe(text);
    installFastEscape();
    // A String object (called as untyped code would): nunjucks' replace() gives a primitive string; so does the installed escaper.
    expect(Reflect.apply(nunjucks.lib.escape, undefined, [new String("<b>")])).toBe("&lt;b&gt;");
    expect(typeof Reflect.apply(nunjucks.lib.escape, undefined, [new String("plain")])).toBe("string");
  });
});

describe("compiled templates are kept per engine, except under DEBUG and tsgi-dev", () => {
  let folder = 0;
  /** A folder with a child and its parent, and an engine on it. */
  function site(extra: Partial<SettingsInput>): { engine: TemplateEngine; edit: () => void } {
    const dir = `cache-${++folder}`;
    writeTemplate(dir, "parent.html", "parent v1 [{% block body %}{% endblock %}]");
    writeTemplate(dir, "child.html", '{% extends "parent.html" %}{% block body %}child v1 {% for n in numbers %}{{ loop.index }}{% endfor %}{% endblock %}');
    built++;
    const engine = getTemplateEngine(defineSettings({ ...BASE_SETTINGS, BASE_DIR: root, TEMPLATES: { DIRS: [dir], APP_DIRS: false }, urlpatterns: [], SECRET_KEY: `cache-${built}`, ...extra }));
    const edit = () => {
      writeTemplate(dir, "parent.html", "parent v2 [{% block body %}{% endblock %}]");
      writeTemplate(dir, "child.html", '{% extends "parent.html" %}{% block body %}child v2 {% for n in numbers %}{{ loop.length }}{% endfor %}{% endblock %}');
    };
    return { engine, edit };
  }
  const context = { numbers: [1, 2] };
  const devBefore = process.env.TSGI_DEV;
  afterEach(() => {
    if (devBefore === undefined) delete process.env.TSGI_DEV;
    else process.env.TSGI_DEV = devBefore;
  });

  it("without DEBUG: the child and its parent are read and compiled once, then rendered from the cache", async () => {
    delete process.env.TSGI_DEV;
    const { engine, edit } = site({ DEBUG: false });
    expect(await renderTemplate(engine, "child.html", context)).toBe("parent v1 [child v1 12]");
    edit();
    expect(await renderTemplate(engine, "child.html", context)).toBe("parent v1 [child v1 12]");
    expect(await renderTemplate(engine, "parent.html", {})).toBe("parent v1 []");
  });

  it("with DEBUG: an edit of the child or its parent shows on the next render", async () => {
    delete process.env.TSGI_DEV;
    const { engine, edit } = site({ DEBUG: true });
    expect(await renderTemplate(engine, "child.html", context)).toBe("parent v1 [child v1 12]");
    edit();
    expect(await renderTemplate(engine, "child.html", context)).toBe("parent v2 [child v2 22]");
  });

  it("under tsgi-dev (TSGI_DEV=1), even without DEBUG: edits show on the next render", async () => {
    process.env.TSGI_DEV = "1";
    const { engine, edit } = site({ DEBUG: false });
    expect(await renderTemplate(engine, "child.html", context)).toBe("parent v1 [child v1 12]");
    edit();
    expect(await renderTemplate(engine, "child.html", context)).toBe("parent v2 [child v2 22]");
  });
});

describe("render() takes promises only where something is asynchronous, with the same context", () => {
  writeTemplate("views", "ctx.html", "{{ a }}|{{ b }}|{{ c }}|{{ shared }}|{% for m in messages %}{{ m }};{% endfor %}|{{ DEFAULT_MESSAGE_LEVELS.INFO }}|{{ request.path }}");
  writeTemplate("views", "form.html", "<form>{{ csrf_input }}</form>{% if csrf_token %}token{% endif %}");

  function app(extra: Partial<SettingsInput>, views: Record<string, Parameters<typeof path>[1]>) {
    return makeApp({ BASE_DIR: root, TEMPLATES: { DIRS: ["views"], APP_DIRS: false }, urlpatterns: Object.entries(views).map(([route, view]) => path(route, view)), ...extra });
  }

  it("gives the same variables in the same order: request context, processors (sync, async, thenable) in turn, then the view's", async () => {
    const processors = [
      () => ({ a: "sync", shared: "from sync" }),
      async () => ({ b: "async", shared: "from async" }),
      // A thenable that is not a Promise, as `await` accepts it.
      () => ({ then: (resolve: (value: Record<string, unknown>) => void) => resolve({ c: "thenable <&>", shared: "from thenable" }) }),
    ];
    const views = {
      "view/": (request: HttpRequest) => {
        addMessage(request, 20, "saved <ok>");
        return render(request, "ctx.html", { shared: "from view" });
      },
      "processors/": (request: HttpRequest) => render(request, "ctx.html"),
      "response/": (request: HttpRequest) => new TemplateResponse(request, "ctx.html", { a: "view a" }),
    };
    const withMessages = app({ MIDDLEWARE: [SessionMiddleware, MessageMiddleware], TEMPLATES: { DIRS: ["views"], APP_DIRS: false, OPTIONS: { contextProcessors: processors as never } } }, views);
    expect((await callApp(withMessages, { path: "/view/" })).text()).toBe("sync|async|thenable &lt;&amp;&gt;|from view|saved &lt;ok&gt;;|20|/view/");
    expect((await callApp(withMessages, { path: "/processors/" })).text()).toBe("sync|async|thenable &lt;&amp;&gt;|from thenable||20|/processors/");
    expect((await callApp(withMessages, { path: "/response/" })).text()).toBe("view a|async|thenable &lt;&amp;&gt;|from thenable||20|/response/");
    // No message storage, processors that return plain objects: nothing to wait for, same page.
    const plain = app({ MIDDLEWARE: [], TEMPLATES: { DIRS: ["views"], APP_DIRS: false, OPTIONS: { contextProcessors: [() => ({ a: 1, shared: "p" }), () => ({ b: 2 })] } } }, views);
    expect((await callApp(plain, { path: "/processors/" })).text()).toBe("1|2||p||20|/processors/");
  });

  it("builds the context synchronously when nothing needs waiting, and in the documented key order", async () => {
    let keys: string[] = [];
    let synchronous = false;
    const site = app({ MIDDLEWARE: [], TEMPLATES: { DIRS: ["views"], APP_DIRS: false, OPTIONS: { contextProcessors: [() => ({ user: "ann" })] } } }, {
      "order/": (request: HttpRequest) => {
        const base = requestContextNow(request, getTemplateEngine(request.settings));
        synchronous = !(base instanceof Promise);
        keys = Object.keys(base);
        return new HttpResponse("ok");
      },
    });
    expect((await callApp(site, { path: "/order/" })).status).toBe(200);
    expect(synchronous).toBe(true);
    expect(keys).toEqual(["request", "csrf_token", "csrf_input", "DEFAULT_MESSAGE_LEVELS", "user"]);
  });

  it("still computes the CSRF field only when printed, and a processor's error is the view's error (a 500)", async () => {
    const site = app({ MIDDLEWARE: [CsrfViewMiddleware], TEMPLATES: { DIRS: ["views"], APP_DIRS: false, OPTIONS: { contextProcessors: [() => ({})] } } }, {
      "form/": (request: HttpRequest) => render(request, "form.html"),
      "plain/": (request: HttpRequest) => render(request, "ctx.html"),
    });
    const form = await callApp(site, { path: "/form/" });
    expect(form.text()).toMatch(/^<form><input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"><\/form>token$/);
    expect(form.headers.get("set-cookie")).toContain("csrftoken=");
    const plain = await callApp(site, { path: "/plain/" });
    expect(plain.headers.get("set-cookie") ?? null).toBeNull();

    const failing = app({ DEBUG: false, TEMPLATES: { DIRS: ["views"], APP_DIRS: false, OPTIONS: { contextProcessors: [() => { throw new Error("processor failed"); }] } } }, {
      "": (request: HttpRequest) => render(request, "ctx.html"),
    });
    expect((await callApp(failing, { path: "/" })).status).toBe(500);
  });
});
