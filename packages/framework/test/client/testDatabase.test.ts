import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationMiddleware, Client, CsrfViewMiddleware, HttpResponse, MD5PasswordHasher, SessionMiddleware, getTsgiApplication, loginRequired, models, path } from "../../src/index.js";
import { AUTH_APP, User, createUser } from "../../src/contrib/auth/index.js";

const dir = mkdtempSync(join(tmpdir(), "client-testdb-"));
const app = getTsgiApplication({
  SECRET_KEY: "testdb-".padEnd(50, "t"),
  ALLOWED_HOSTS: ["testserver"],
  BASE_DIR: dir,
  INSTALLED_APPS: [AUTH_APP],
  DATABASES: { default: { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") } },
  MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware, AuthenticationMiddleware],
  SESSION_ENGINE: "signed_cookies",
  PASSWORD_HASHERS: [new MD5PasswordHasher()],
  urlpatterns: [path("me/", loginRequired((request) => new HttpResponse(request.user.username)))],
});
const db = new models.TestDatabase(app.settings);

beforeAll(() => db.setup());
afterAll(() => db.teardown());

describe("Client inside the models' TestDatabase", () => {
  it("sees the rows the test made, through the app's migrations, and they are rolled back", async () => {
    await db.run(async () => {
      await createUser("tester", null, "tester-pass-1");
      const client = new Client(app);
      expect(await client.login({ username: "tester", password: "tester-pass-1" })).toBe(true);
      expect((await client.get("/me/")).text()).toBe("tester");
    });
    expect(await User.objects.count()).toBe(0);
    await db.run(async () => {
      expect(await new Client(app).login({ username: "tester", password: "tester-pass-1" })).toBe(false);
    });
  });
});
