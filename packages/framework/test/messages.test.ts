import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { callApp, type TestResponse } from "tsgi";
import {
  HttpResponse,
  HttpResponseRedirect,
  MessageMiddleware,
  SessionMiddleware,
  getMessages,
  messages,
  path,
  render,
  type HttpRequest,
  type SettingsInput,
  type TsgiApplication,
} from "../src/index.js";
import { makeApp } from "./helpers/core.js";

const root = mkdtempSync(join(tmpdir(), "tsgi-messages-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "templates"));
writeFileSync(
  join(root, "templates", "list.html"),
  "{% for message in messages %}<li class=\"{{ message.tags }}\">{{ message }}</li>{% endfor %}",
);

function app(extra: Partial<SettingsInput> = {}): TsgiApplication {
  return makeApp({
    BASE_DIR: root,
    TEMPLATES: { DIRS: ["templates"] },
    SESSION_ENGINE: "signed_cookies",
    MIDDLEWARE: [SessionMiddleware, MessageMiddleware],
    urlpatterns: [
      path("save/", (request: HttpRequest) => {
        messages.success(request, "Profile <saved>.");
        messages.info(request, "Second.", { extraTags: "sticky" });
        messages.debug(request, "Hidden unless MESSAGE_LEVEL allows.");
        return new HttpResponseRedirect("/list/");
      }),
      path("many/", (request: HttpRequest) => {
        // Random text, so compression cannot squeeze 40 messages under the cookie limit.
        for (let i = 0; i < 60; i++) messages.error(request, `Message number ${i} ${randomBytes(48).toString("base64")}`);
        return new HttpResponse("added");
      }),
      path("list/", (request: HttpRequest) => render(request, "list.html")),
      path("count/", async (request: HttpRequest) => new HttpResponse(String((await getMessages(request)).length))),
      path("quiet/", () => new HttpResponse("no messages shown")),
    ],
    ...extra,
  });
}

/** Follows cookies like a browser: applies Set-Cookie headers to a jar. */
function updateJar(jar: Map<string, string>, res: TestResponse): void {
  for (const header of res.headers.getAll("set-cookie")) {
    const [pair = "", ...attributes] = header.split(";");
    const at = pair.indexOf("=");
    const name = pair.slice(0, at);
    const expired = attributes.some((attribute) => /^\s*max-age=0$/i.test(attribute));
    if (expired) jar.delete(name);
    else jar.set(name, pair.slice(at + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

async function browse(application: TsgiApplication, jar: Map<string, string>, target: string): Promise<TestResponse> {
  const res = await callApp(application, { path: target, headers: jar.size > 0 ? { cookie: cookieHeader(jar) } : {} });
  updateJar(jar, res);
  return res;
}

describe.each([["cookie"], ["session"]] as const)("messages in %s storage", (storage) => {
  it("shows flash messages once, escaped, with their tags", async () => {
    const application = app({ MESSAGE_STORAGE: storage });
    const jar = new Map<string, string>();
    const saved = await browse(application, jar, "/save/");
    expect(saved.status).toBe(302);
    expect(jar.has(storage === "cookie" ? "messages" : "sessionid")).toBe(true);
    const shown = await browse(application, jar, "/list/");
    expect(shown.text()).toBe('<li class="success">Profile &lt;saved&gt;.</li><li class="sticky info">Second.</li>');
    const again = await browse(application, jar, "/list/");
    expect(again.text()).toBe("");
  });

  it("keeps messages that were not shown for a later page", async () => {
    const application = app({ MESSAGE_STORAGE: storage });
    const jar = new Map<string, string>();
    await browse(application, jar, "/save/");
    await browse(application, jar, "/quiet/");
    expect((await browse(application, jar, "/count/")).text()).toBe("2");
    expect((await browse(application, jar, "/list/")).text()).toContain("Profile &lt;saved&gt;.");
  });
});

describe("message levels and storage limits", () => {
  it("keeps DEBUG messages with MESSAGE_LEVEL and renames tags with MESSAGE_TAGS", async () => {
    const application = app({ MESSAGE_LEVEL: 10, MESSAGE_TAGS: { 25: "ok" } });
    const jar = new Map<string, string>();
    await browse(application, jar, "/save/");
    const shown = await browse(application, jar, "/list/");
    expect(shown.text()).toContain('<li class="ok">Profile');
    expect(shown.text()).toContain('<li class="debug">Hidden unless');
  });

  it("ignores a tampered messages cookie", async () => {
    const application = app();
    const jar = new Map<string, string>();
    await browse(application, jar, "/save/");
    jar.set("messages", `${jar.get("messages")?.slice(0, -3)}xyz`);
    const shown = await browse(application, jar, "/list/");
    expect(shown.status).toBe(200);
    expect(shown.text()).toBe("");
  });

  it("drops the oldest messages past the cookie limit, and says so in DEBUG", async () => {
    const jar = new Map<string, string>();
    const res = await browse(app(), jar, "/many/");
    expect(res.status).toBe(200);
    expect((jar.get("messages") ?? "").length).toBeLessThanOrEqual(2048);
    const shown = await browse(app(), jar, "/list/");
    expect(shown.text()).toContain("Message number 59");
    expect(shown.text()).not.toContain("Message number 0 ");
    const debug = await callApp(app({ DEBUG: true }), { path: "/many/" });
    expect(debug.status).toBe(500);
    expect(debug.text()).toContain("Not all temporary messages could be stored");
  });

  it("refuses an unknown MESSAGE_STORAGE at start-up, naming the setting", () => {
    expect(() => app({ DEBUG: true, MESSAGE_STORAGE: "database" as never })).toThrow(/MESSAGE_STORAGE: expected one of "cookie", "session", got string "database"/);
  });

  it("refuses to add a message without MessageMiddleware, unless told to fail silently", async () => {
    const application = makeApp({
      DEBUG: true,
      urlpatterns: [
        path("loud/", (request: HttpRequest) => {
          messages.info(request, "x");
          return new HttpResponse("no");
        }),
        path("silent/", (request: HttpRequest) => {
          messages.info(request, "x", { failSilently: true });
          return new HttpResponse("fine");
        }),
      ],
    });
    const loud = await callApp(application, { path: "/loud/" });
    expect(loud.status).toBe(500);
    expect(loud.text()).toContain("MessageMiddleware");
    expect((await callApp(application, { path: "/silent/" })).text()).toBe("fine");
  });
});
