import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Client, MemoryLoginThrottle, assertContains, assertRedirects, outbox, userLoginFailed, type TsgiApplication } from "../../src/index.js";
import { User, createUser, getPermission, INTERNAL_RESET_SESSION_TOKEN } from "../../src/contrib/auth/index.js";
import { authSite, closeSite } from "./site.js";

let app: TsgiApplication;
let alice: User;

beforeEach(async () => {
  app = await authSite();
  alice = await createUser("alice", "alice@example.com", "correct-horse-42");
  outbox.length = 0;
});
afterEach(closeSite);

describe("login", () => {
  it("logs in with the right password, rotates the session key and the CSRF token, redirects to a safe next", async () => {
    const client = new Client(app);
    const page = await client.get("/accounts/login/?next=/private/");
    assertContains(page, '<input type="hidden" name="next" value="/private/">');
    const before = client.cookies.get("csrftoken");
    const anonymousSession = await client.session();
    await anonymousSession.set("planted", true);
    await client.saveSession(anonymousSession);
    const plantedKey = client.cookies.get("sessionid");

    const response = await client.post("/accounts/login/", { username: "alice", password: "correct-horse-42", next: "/private/" });
    assertRedirects(response, "/private/");
    expect(client.cookies.get("sessionid")).not.toBe(plantedKey);
    expect(client.cookies.get("csrftoken")).not.toBe(before);
    const privatePage = await client.get("/private/");
    assertContains(privatePage, "hello alice");
    await alice.refreshFromDb();
    expect(alice.lastLogin).toBeInstanceOf(Date);
  });

  it("a wrong password, an unknown user and an inactive user get the same error", async () => {
    await createUser("sleepy", "s@example.com", "correct-horse-42", { isActive: false });
    const failures: string[] = [];
    const receiver = (_: unknown, { credentials }: { credentials: Readonly<Record<string, unknown>> }) => void failures.push(String(credentials.password));
    userLoginFailed.connect(receiver);
    const client = new Client(app);
    for (const [username, password] of [["alice", "wrong"], ["nobody", "x"], ["sleepy", "correct-horse-42"]]) {
      const response = await client.post("/accounts/login/", { username, password });
      assertContains(response, "Please enter a correct username and password.");
      expect(response.context.form).toBeDefined();
      expect(response.text()).not.toContain(`value="${password}"`);
    }
    userLoginFailed.disconnect(receiver);
    expect(failures).toEqual(["********************", "********************", "********************"]);
    expect(await client.login({ username: "sleepy", password: "correct-horse-42" })).toBe(false);
  });

  it("refuses open redirects through next", async () => {
    const client = new Client(app);
    for (const next of ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:evil.example", "\x08//evil.example"]) {
      await client.logout();
      const response = await client.post("/accounts/login/", { username: "alice", password: "correct-horse-42", next });
      assertRedirects(response, "/accounts/profile/", { msgPrefix: JSON.stringify(next) });
    }
    await client.logout();
    const same = await client.post("/accounts/login/", { username: "alice", password: "correct-horse-42", next: "http://testserver/private/" });
    assertRedirects(same, "http://testserver/private/");
  });

  it("requires the CSRF token when checks are on", async () => {
    const client = new Client(app, { enforceCsrfChecks: true });
    const refused = await client.post("/accounts/login/", { username: "alice", password: "correct-horse-42" });
    expect(refused.status).toBe(403);
    const page = await client.get("/accounts/login/");
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text())?.[1] ?? "";
    const ok = await client.post("/accounts/login/", { username: "alice", password: "correct-horse-42", csrfmiddlewaretoken: token });
    expect(ok.status).toBe(302);
  });

  it("throttles repeated failures when LOGIN_THROTTLE is set", async () => {
    const throttled = await authSite({ LOGIN_THROTTLE: new MemoryLoginThrottle({ maxAttempts: 2, windowSeconds: 60 }) });
    const client = new Client(throttled);
    expect(await client.login({ username: "alice", password: "bad" })).toBe(false);
    expect(await client.login({ username: "alice", password: "bad" })).toBe(false);
    expect(await client.login({ username: "alice", password: "correct-horse-42" })).toBe(false);
  });
});

describe("logout and access control", () => {
  it("loginRequired sends anonymous visitors to the login page with next", async () => {
    const client = new Client(app);
    const response = await client.get("/private/?x=1");
    assertRedirects(response, "/accounts/login/?next=/private/%3Fx%3D1");
    const followed = await client.get("/private/", { follow: true });
    expect(followed.redirectChain).toEqual([["/accounts/login/?next=/private/", 302]]);
    expect(followed.templates).toContain("registration/login.html");
  });

  it("logout is POST only and ends the session", async () => {
    const client = new Client(app);
    await client.forceLogin(alice);
    expect((await client.get("/private/")).text()).toBe("hello alice");
    const get = await client.get("/accounts/logout/");
    expect(get.status).toBe(405);
    expect((await client.get("/private/")).status).toBe(200);
    const post = await client.post("/accounts/logout/");
    expect(post.status).toBe(200);
    expect(post.templates).toContain("registration/logged_out.html");
    expect((await client.get("/private/")).status).toBe(302);
  });

  it("permissionRequired: 403 without the permission, 200 with it or as superuser", async () => {
    const client = new Client(app);
    await client.forceLogin(alice);
    expect((await client.get("/polls/add/")).status).toBe(403);
    await alice.m2m("userPermissions").add(await getPermission("auth.add_group"));
    expect((await client.get("/polls/add/")).status).toBe(200);
    expect(await alice.hasPerm("auth.add_group")).toBe(true);
    expect(await alice.hasPerm("auth.delete_group")).toBe(false);
    const root = await createUser("root", null, "pw-root-1234", { isSuperuser: true, isStaff: true });
    expect(await root.hasPerm("anything.at_all")).toBe(true);
    await expect(getPermission("nope")).rejects.toThrow('"app.codename"');
  });

  it("a password change elsewhere ends the other sessions", async () => {
    const phone = new Client(app);
    await phone.forceLogin(alice);
    const laptop = new Client(app);
    await laptop.forceLogin(alice);
    const changed = await laptop.post("/accounts/password_change/", { oldPassword: "correct-horse-42", newPassword1: "batteries-staple-99", newPassword2: "batteries-staple-99" });
    assertRedirects(changed, "/accounts/password_change/done/");
    expect((await laptop.get("/private/")).status).toBe(200);
    expect((await phone.get("/private/")).status).toBe(302);
    expect(await laptop.login({ username: "alice", password: "batteries-staple-99" })).toBe(true);
  });

  it("password change refuses a wrong old password, a mismatch and a weak password", async () => {
    const client = new Client(app);
    await client.forceLogin(alice);
    const wrongOld = await client.post("/accounts/password_change/", { oldPassword: "nope", newPassword1: "batteries-staple-99", newPassword2: "batteries-staple-99" });
    assertContains(wrongOld, "Your old password was entered incorrectly.");
    const mismatch = await client.post("/accounts/password_change/", { oldPassword: "correct-horse-42", newPassword1: "batteries-staple-99", newPassword2: "other-staple-99" });
    assertContains(mismatch, "The two password fields didn’t match.");
    const weak = await client.post("/accounts/password_change/", { oldPassword: "correct-horse-42", newPassword1: "password", newPassword2: "password" });
    assertContains(weak, "This password is too common.");
  });
});

describe("password reset", () => {
  async function requestReset(client: Client, email: string) {
    const response = await client.post("/accounts/password_reset/", { email });
    assertRedirects(response, "/accounts/password_reset/done/");
  }

  it("emails a link that sets a new password once", async () => {
    const client = new Client(app);
    await requestReset(client, "ALICE@example.com");
    expect(outbox).toHaveLength(1);
    const message = outbox[0];
    expect(message?.to).toEqual(["alice@example.com"]);
    expect(message?.subject).toBe("Password reset on testserver");
    const link = /http:\/\/testserver(\/accounts\/reset\/[^\s]+)/.exec(message?.body ?? "")?.[1] ?? "";
    expect(link).toMatch(/^\/accounts\/reset\/[\w-]+\/[\w-]+\/$/);

    const visit = await client.get(link);
    expect(visit.status).toBe(302);
    const setUrl = visit.url ?? "";
    expect(setUrl).toMatch(/\/set-password\/$/);
    expect(await (await client.session()).get(INTERNAL_RESET_SESSION_TOKEN)).toBeDefined();
    const form = await client.get(setUrl);
    expect(form.context.validlink).toBe(true);
    const done = await client.post(setUrl, { newPassword1: "brand-new-pass-77", newPassword2: "brand-new-pass-77" });
    assertRedirects(done, "/accounts/reset/done/");
    expect(await client.login({ username: "alice", password: "brand-new-pass-77" })).toBe(true);

    // The same link again: the password changed, so the token is dead.
    const again = new Client(app);
    const reused = await again.get(link);
    expect(reused.status).toBe(200);
    expect(reused.context.validlink).toBe(false);
  });

  it("an unknown address sends nothing but looks the same", async () => {
    const client = new Client(app);
    await requestReset(client, "nobody@example.com");
    expect(outbox).toHaveLength(0);
  });

  it("a tampered token or uid is refused, and posting to it changes nothing", async () => {
    const client = new Client(app);
    await requestReset(client, "alice@example.com");
    const link = /http:\/\/testserver(\/accounts\/reset\/[^\s]+)/.exec(outbox[0]?.body ?? "")?.[1] ?? "";
    const [, , , uid = "", token = ""] = link.split("/");
    const tampered = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    for (const bad of [`/accounts/reset/${uid}/${tampered}/`, `/accounts/reset/OTk5/${token}/`, `/accounts/reset/%%%/${token}/`, `/accounts/reset/${uid}/set-password/`]) {
      const response = await client.get(bad);
      expect(response.status, bad).toBe(200);
      expect(response.context.validlink, bad).toBe(false);
    }
    const post = await client.post(`/accounts/reset/${uid}/set-password/`, { newPassword1: "brand-new-pass-77", newPassword2: "brand-new-pass-77" });
    expect(post.context.validlink).toBe(false);
    expect(await client.login({ username: "alice", password: "correct-horse-42" })).toBe(true);
  });
});
