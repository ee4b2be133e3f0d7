import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Client, HttpResponse, NoReverseMatch, defineSettings, getTsgiApplication, include, path, render, reverse } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "noreverse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "tag.html"), 'line 1\n<a href="{% url "polls:detial" 1 %}">x</a>\n');
writeFileSync(join(dir, "global.html"), '{{ url("nowhere") }}');

const ok = () => new HttpResponse("ok");
function site(debug: boolean) {
  return getTsgiApplication(
    defineSettings({
      SECRET_KEY: "n".repeat(50),
      DEBUG: debug,
      ALLOWED_HOSTS: ["testserver"],
      TEMPLATES: { DIRS: [dir] },
      urlpatterns: [
        path("polls/", include({ appName: "polls", urlpatterns: [path("<int:id>/", ok, { name: "detail" }), path("", ok, { name: "index" })] })),
        path("tag/", (request) => render(request, "tag.html"), { name: "tag" }),
        path("global/", (request) => render(request, "global.html")),
        path("direct/", () => new HttpResponse(reverse("about"))),
      ],
    }),
  );
}

describe("{% url %} / url() / reverse() with a wrong name", () => {
  it("the error names the URL name and carries the patterns tried", async () => {
    const client = new Client(site(true));
    const error = await client.get("/direct/").then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NoReverseMatch);
    const failure = error as NoReverseMatch;
    expect(failure.message).toContain("Reverse for 'about' not found");
    expect(failure.tried.map((chain) => chain.join(" "))).toEqual([
      "polls/ [namespace='polls'] <int:id>/ [name='detail']",
      "polls/ [namespace='polls']  [name='index']",
      "tag/ [name='tag']",
      "global/",
      "direct/",
    ]);
  });

  it("the DEBUG 500 page of a template's {% url %} shows the name, the template and the tried patterns", async () => {
    const client = new Client(site(true), { raiseRequestException: false });
    const response = await client.get("/tag/");
    expect(response.status).toBe(500);
    const text = response.text();
    expect(text).toContain("Reverse for 'polls:detial' not found");
    expect(text).toContain("URL patterns tried");
    expect(text).toContain("<int:id>/ [name='detail']");
    expect(text).toContain("[name='index']");
    expect(text).toContain("In template tag.html");
    // Looked up inside the namespace: its patterns are the ones listed, the site's others are not.
    expect(text).not.toMatch(/\d\. tag\/ \[name='tag'\]/);
  });

  it("the url() global does the same, listing every pattern of the site", async () => {
    const text = (await new Client(site(true), { raiseRequestException: false }).get("/global/")).text();
    expect(text).toContain("Reverse for 'nowhere' not found");
    expect(text).toMatch(/1\. polls\/[^\n]*<int:id>\/ \[name='detail'\]/);
    expect(text).toContain("tag/ [name='tag']");
  });

  it("without DEBUG the patterns stay private", async () => {
    const response = await new Client(site(false), { raiseRequestException: false }).get("/tag/");
    expect(response.status).toBe(500);
    expect(response.text()).not.toContain("detail");
  });
});
