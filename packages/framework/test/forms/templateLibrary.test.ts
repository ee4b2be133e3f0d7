import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Client, CsrfViewMiddleware, SessionMiddleware, getTsgiApplication, path, render, renderTemplate, getTemplateEngine, defineSettings, TemplateSyntaxError, TemplateError } from "../../src/index.js";
import { formatDate, timeSince } from "../../src/templates/django/index.js";

const dir = mkdtempSync(join(tmpdir(), "library-"));
const settings = defineSettings({
  SECRET_KEY: "l".repeat(50),
  ALLOWED_HOSTS: ["testserver"],
  MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware],
  TEMPLATES: { DIRS: [dir] },
  STATIC_URL: "/static/",
  STATICFILES_STORAGE: "plain",
  urlpatterns: [
    path("polls/<int:id>/", () => { throw new Error("unused"); }, { name: "detail" }),
    path("t/<str:name>/", (request, { name }: { name: string }) => render(request, `${name}.html`, { items: ["a", "b", "c"] })),
  ],
});
const app = getTsgiApplication(settings);
const engine = getTemplateEngine(settings);

function tpl(name: string, source: string): string {
  writeFileSync(join(dir, `${name}.html`), source);
  return name;
}
const renderSource = (source: string, context: Record<string, unknown> = {}) => renderTemplate(engine, `${tpl(`s${Math.random().toString(36).slice(2)}`, source)}.html`, context);

describe("Django filters", () => {
  it("pluralize, yesno, default_if_none, truncation", async () => {
    expect(await renderSource("{{ 1 }} vote{{ 1|pluralize }}, {{ 2 }} vote{{ 2|pluralize }}, cherr{{ 2|pluralize('y,ies') }}, walrus{{ 1|pluralize('es') }}, {{ [1,2]|pluralize }}")).toBe(
      "1 vote, 2 votes, cherries, walrus, s",
    );
    expect(await renderSource("{{ a|yesno('yeah,no,maybe') }} {{ b|yesno('yeah,no,maybe') }} {{ c|yesno('yeah,no,maybe') }} {{ d|yesno('yeah,no') }} {{ e|yesno }}", { a: true, b: false, c: null, e: [] })).toBe("yeah no maybe no no");
    expect(await renderSource("{{ a|default_if_none('x') }}|{{ b|default_if_none('x') }}", { a: null, b: "" })).toBe("x|");
    expect(await renderSource("{{ t|truncatewords(2) }}|{{ t|truncatechars(7) }}|{{ t|truncatechars(100) }}|{{ t|truncatewords('x') }}", { t: "Joel is a slug" })).toBe("Joel is …|Joel i…|Joel is a slug|Joel is a slug");
  });

  it("dates with Django's format characters, timesince/timeuntil", async () => {
    const when = new Date("2026-12-07T15:04:05Z");
    expect(formatDate(when, "D, j M Y H:i:s")).toBe("Mon, 7 Dec 2026 15:04:05");
    expect(formatDate(when, "l jS F y, g:i A, P, N, \\Y\\e\\s, c, r, U, t, L, W, z")).toBe(
      "Monday 7th December 26, 3:04 PM, 3:04 p.m., Dec., Yes, 2026-12-07T15:04:05+00:00, Mon, 07 Dec 2026 15:04:05 +0000, 1796655845, 31, False, 50, 341",
    );
    expect(formatDate(new Date("2026-01-01T00:00:00Z"), "P")).toBe("midnight");
    expect(formatDate(new Date("2026-01-01T12:00:00Z"), "P")).toBe("noon");
    expect(await renderSource("{{ d|date('Y-m-d') }}|{{ d|time('H:i') }}|{{ d|date }}|{{ 'junk'|date }}", { d: when })).toBe("2026-12-07|15:04|Dec. 7, 2026|");
    expect(timeSince(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-03T05:00:00Z"))).toBe("2 days, 5 hours");
    expect(timeSince(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:30Z"))).toBe("0 minutes");
    expect(await renderSource("{{ a|timesince(b) }}|{{ b|timeuntil(a) }}", { a: new Date("2026-01-01T00:00:00Z"), b: new Date("2026-02-15T00:00:00Z") })).toBe("1 month, 2 weeks|1 month, 2 weeks");
  });

  it("numbers and sizes", async () => {
    const cases: Array<[unknown, unknown, string]> = [[34.23234, undefined, "34.2"], [34.0, undefined, "34"], [34.26, undefined, "34.3"], [34.23234, 3, "34.232"], [34, 3, "34.000"], [34.26, 0, "34"], [34.23234, -3, "34.232"], [34, -3, "34"], ["x", undefined, ""]];
    for (const [value, arg, expected] of cases) expect(await renderSource(arg === undefined ? "{{ v|floatformat }}" : "{{ v|floatformat(a) }}", { v: value, a: arg })).toBe(expected);
    expect(await renderSource("{{ 0|filesizeformat }}|{{ 1|filesizeformat }}|{{ 1023|filesizeformat }}|{{ 1024|filesizeformat }}|{{ 123456789|filesizeformat }}")).toBe("0 bytes|1 byte|1023 bytes|1.0 KB|117.7 MB");
  });

  it("escaping filters: linebreaks, linebreaksbr, urlize, slugify, json_script", async () => {
    expect(await renderSource("{{ t|linebreaks }}", { t: "a <b>\nline\n\npara" })).toBe("<p>a &lt;b&gt;<br>line</p>\n\n<p>para</p>");
    expect(await renderSource("{{ t|linebreaksbr }}", { t: "x\ny<" })).toBe("x<br>y&lt;");
    expect(await renderSource("{{ t|urlize }}", { t: "see https://example.com/a?b=1&c=2. or www.tsgi.dev, mail me@example.com <script>" })).toBe(
      'see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow">https://example.com/a?b=1&amp;c=2</a>. or <a href="https://www.tsgi.dev" rel="nofollow">www.tsgi.dev</a>, mail <a href="mailto:me@example.com" rel="nofollow">me@example.com</a> &lt;script&gt;',
    );
    expect(await renderSource("{{ t|slugify }}", { t: " Joel is a slug! Crème brûlée " })).toBe("joel-is-a-slug-creme-brulee");
    expect(await renderSource('{{ d|json_script("data") }}', { d: { x: "</script><b>&" } })).toBe('<script id="data" type="application/json">{"x":"\\u003C/script\\u003E\\u003Cb\\u003E\\u0026"}</script>');
  });
});

describe("Django tags", () => {
  it("url, static, now, firstof, cycle, spaceless, querystring, csrf_token", async () => {
    tpl(
      "tags",
      [
        '{% url "detail" 3 %}|{% url "detail" id=4 %}|{% url "detail" 5 as link %}[{{ link }}]',
        '{% static "css/site.css" %}|{% now "Y" %}|{% firstof a b "fallback" %}|{% firstof x "d<" %}',
        "{% for i in items %}{% cycle 'odd' 'even' %}{% endfor %}",
        "{% spaceless %}<p>\n  <a> x </a>\n</p>{% endspaceless %}",
        "{% querystring page=2 %}|{% querystring q=None %}",
        "{% csrf_token %}",
      ].join("\n"),
    );
    const client = new Client(app);
    const text = (await client.get("/t/tags/?q=a&page=1")).text();
    const [urls, misc, cycle, spaceless, query, csrf] = text.split("\n");
    expect(urls).toBe("/polls/3/|/polls/4/|[/polls/5/]");
    expect(misc).toBe(`/static/css/site.css|${new Date().getUTCFullYear()}|fallback|d&lt;`);
    expect(cycle).toBe("oddevenodd");
    expect(spaceless).toBe("<p><a> x </a></p>");
    expect(query).toBe("?q=a&amp;page=2|?page=1"); // escaped for HTML, as Django prints it
    expect(csrf).toMatch(/^<input type="hidden" name="csrfmiddlewaretoken" value="\w{64}">$/);
  });

  it("a wrong URL name, a bad tag argument and an unknown tag or filter are clear errors", async () => {
    const client = new Client(app);
    tpl("badurl", '{% url "nope" %}');
    await expect(client.get("/t/badurl/")).rejects.toThrow(/nope/);
    tpl("badtag", "{% csrftoken %}");
    await expect(client.get("/t/badtag/")).rejects.toBeInstanceOf(TemplateSyntaxError);
    await expect(client.get("/t/badtag/")).rejects.toThrow('unknown block tag: csrftoken Did you mean "{% csrf_token %}"? (in template badtag.html, line 1)');
    tpl("badfilter", "{{ 1|pluralise }}");
    await expect(client.get("/t/badfilter/")).rejects.toThrow('filter not found: pluralise Did you mean "pluralize"?');
    tpl("farfilter", "{{ 1|zzzzzzzz }}");
    await expect(client.get("/t/farfilter/")).rejects.toThrow(/filter not found: zzzzzzzz \(in template/);
    tpl("badkw", '{% url "detail" 1=2 %}');
    await expect(client.get("/t/badkw/")).rejects.toThrow(/plain word/);
    tpl("noname", "{% url 3 %}");
    await expect(client.get("/t/noname/")).rejects.toBeInstanceOf(TemplateError);
  });
});
