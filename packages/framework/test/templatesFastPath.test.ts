import nunjucks from "nunjucks";
import { afterAll, describe, expect, it } from "vitest";
import { installFastFrameSet } from "../src/templates/nunjucksFrame.js";

// Captured before anything installs the memoised version.
const originalSet = nunjucks.runtime.Frame.prototype.set;
afterAll(() => installFastFrameSet());

const TEMPLATES: Record<string, string> = {
  "base.html": "<title>{% block title %}Site{% endblock %}</title>{% block content %}{% endblock %}",
  "loops.html": `{% extends "base.html" %}{% block title %}Loops{% endblock %}{% block content %}
{% for entry in entries %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {{ entry.name }}: {{ entry.message }}
{% for tag in entry.tags %}[{{ loop.index }} of {{ loop.length }} in {{ entry.name }}: {{ tag }}]{% else %}(no tags){% endfor %}
{% endfor %}{% for key, value in mapping %}{{ key }}={{ value }};{% endfor %}
{% set total = 0 %}{% for n in numbers %}{% set total = total + n %}{% endfor %}total={{ total }}
{% set outer = "x" %}{% for n in numbers %}{% set outer = outer + n %}{% endfor %}outer={{ outer }}
{% macro field(name, value="v") %}<input name="{{ name }}" value="{{ value }}">{% endmacro %}{{ field("a") }}{{ field("b", value="<c>") }}
{% include "part.html" %}{% endblock %}`,
  "part.html": "{% for entry in entries %}{% if loop.first %}first:{{ entry.name }}{% endif %}{% endfor %}",
};

const CONTEXT = {
  entries: Array.from({ length: 10 }, (_, i) => ({ name: `Guest ${i}`, message: `Message <${i}> & "quotes" 'single' \\`, tags: i % 3 === 0 ? [] : ["a", `b${i}`] })),
  mapping: { one: 1, two: "<2>" },
  numbers: [1, 2, 3, 4],
};

function render(name: string): string {
  // An in-memory loader: the same sources for both runs, never cached between them.
  const loader = { getSource: (n: string) => ({ src: TEMPLATES[n] ?? "", path: n, noCache: true }) };
  return new nunjucks.Environment(loader, { autoescape: true }).render(name, CONTEXT);
}

describe("nunjucks with the memoised Frame.set", () => {
  it("renders byte-identical pages to nunjucks' own Frame.set (loops, loop variables, set, macros, includes, inheritance)", () => {
    nunjucks.runtime.Frame.prototype.set = originalSet;
    const slow = render("loops.html");
    installFastFrameSet();
    expect(nunjucks.runtime.Frame.prototype.set).not.toBe(originalSet);
    const fast = render("loops.html");
    expect(fast).toBe(slow);
    expect(fast).toContain("1/0/10/9/true/false/10 Guest 0");
    expect(fast).toContain("total=10");
  });

  it("is installed once however often it is asked", () => {
    installFastFrameSet();
    const installed = nunjucks.runtime.Frame.prototype.set;
    installFastFrameSet();
    expect(nunjucks.runtime.Frame.prototype.set).toBe(installed);
  });
});
