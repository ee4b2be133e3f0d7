/**
 * The pages app's tests: the whole site in-process (no socket needed), on a test database
 * (SQLite in memory) created and migrated once, each test rolled back afterwards (Django's TestCase).
 */
import { Client, TestDatabase, assertContains, assertRedirects } from "@tsgi/framework";
import { callApp } from "tsgi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settings } from "../mysite/settings.js";
import { application } from "../mysite/tsgi.js";
import { Note } from "./models.js";

const db = new TestDatabase(settings);
beforeAll(() => db.setup(), 60_000);
afterAll(() => db.teardown());

describe("pages", () => {
  it("renders the home page with a CSRF-protected form", () =>
    db.run(async () => {
      const response = await callApp(application, { path: "/" });
      expect(response.status).toBe(200);
      expect(response.text()).toContain("Welcome to __PROJECT_NAME__");
      expect(response.text()).toContain('name="csrfmiddlewaretoken"');
      expect(response.text()).toContain("No notes yet.");
    }));

  it("lists the notes in the database, newest first", () =>
    db.run(async () => {
      await Note.objects.create({ text: "first", createdAt: new Date("2026-01-01T00:00:00Z") });
      await Note.objects.create({ text: "second", createdAt: new Date("2026-01-02T00:00:00Z") });
      const response = await new Client(application).get("/");
      assertContains(response, "<li>second</li>");
      expect(response.text().indexOf("second")).toBeLessThan(response.text().indexOf("first"));
    }));

  it("saves a posted note and redirects back home", () =>
    db.run(async () => {
      const client = new Client(application);
      const response = await client.post("/", { text: "Buy <milk>" }, { contentType: "application/x-www-form-urlencoded" });
      assertRedirects(response, "/");
      expect((await Note.objects.get({ text: "Buy <milk>" })).toString()).toBe("Buy <milk>");
      // Autoescaped in the page.
      assertContains(await client.get("/"), "<li>Buy &lt;milk&gt;</li>");
    }));

  it("refuses a form post without a CSRF token", async () => {
    const response = await callApp(application, { method: "POST", path: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "text=Eve" });
    expect(response.status).toBe(403);
    expect(await Note.objects.count()).toBe(0);
  });

  it("answers the health check in JSON", async () => {
    const response = await callApp(application, { path: "/api/health/" });
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("answers 404 for unknown pages", async () => {
    expect((await callApp(application, { path: "/nope/" })).status).toBe(404);
  });
});
