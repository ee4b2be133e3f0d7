import { describe, expect, it } from "vitest";
import {
  CommonPasswordValidator, MD5PasswordHasher, MinimumLengthValidator, NumericPasswordValidator, PBKDF2PasswordHasher, PBKDF2SHA1PasswordHasher, ScryptPasswordHasher,
  UserAttributeSimilarityValidator, ValidationError, checkPassword, defineSettings, defaultPasswordValidators, identifyHasher, isPasswordUsable, makePassword,
  passwordValidatorsHelpTexts, validatePassword, PasswordResetTokenGenerator, urlHasAllowedHostAndScheme, uidFromBase64, uidToBase64, type AuthUser, type PasswordHasher,
} from "../../src/index.js";

const settings = (hashers: PasswordHasher[]) => defineSettings({ SECRET_KEY: "k".repeat(50), PASSWORD_HASHERS: hashers });

describe("password hashers", () => {
  it("PBKDF2-SHA256 matches Django's own test vector", async () => {
    const encoded = await new PBKDF2PasswordHasher().encode("lètmein", "seasalt", 1_000_000);
    expect(encoded).toBe("pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=");
  }, 60_000);

  it("check upgrades an older hash on success only; wrong passwords fail; unusable passwords never match", async () => {
    const fast = new PBKDF2PasswordHasher(1000);
    const s = settings([fast, new PBKDF2SHA1PasswordHasher(1000), new MD5PasswordHasher()]);
    const old = await makePassword("secret", { hasher: new MD5PasswordHasher(), salt: "abc" });
    expect(old).toBe("md5$abc$" + (await import("node:crypto")).createHash("md5").update("abcsecret").digest("hex"));
    const upgraded: string[] = [];
    expect(await checkPassword("wrong", old, (raw) => void upgraded.push(raw), s)).toBe(false);
    expect(upgraded).toEqual([]);
    expect(await checkPassword("secret", old, (raw) => void upgraded.push(raw), s)).toBe(true);
    expect(upgraded).toEqual(["secret"]);

    const weaker = await new PBKDF2PasswordHasher(500).encode("secret", "salt");
    expect(await checkPassword("secret", weaker, (raw) => void upgraded.push(raw), s)).toBe(true);
    expect(upgraded).toHaveLength(2);
    const current = await makePassword("secret", { settings: s });
    expect(current.startsWith("pbkdf2_sha256$1000$")).toBe(true);
    expect(await checkPassword("secret", current, (raw) => void upgraded.push(raw), s)).toBe(true);
    expect(upgraded).toHaveLength(2);

    const unusable = await makePassword(null);
    expect(isPasswordUsable(unusable)).toBe(false);
    expect(await checkPassword("", unusable, undefined, s)).toBe(false);
    expect(await checkPassword("x", null, undefined, s)).toBe(false);
    expect(await checkPassword("x", "argon2$whatever", undefined, s)).toBe(false);
    expect(identifyHasher("pbkdf2_sha1$1$a$b", s)?.algorithm).toBe("pbkdf2_sha1");
  });

  it("scrypt and SHA1 round-trip, refuse a salt with $", async () => {
    for (const hasher of [new ScryptPasswordHasher({ workFactor: 1024 }), new PBKDF2SHA1PasswordHasher(100)]) {
      const encoded = await hasher.encode("pw", "NaCl");
      expect(await hasher.verify("pw", encoded)).toBe(true);
      expect(await hasher.verify("pW", encoded)).toBe(false);
      expect(await hasher.verify("pw", encoded.replace(/^\w+/, "other"))).toBe(false);
    }
    await expect(new PBKDF2PasswordHasher(1).encode("pw", "a$b")).rejects.toThrow("must not contain '$'");
    await expect(checkPassword("x", "y", undefined, settings([]))).rejects.toThrow("PASSWORD_HASHERS is empty");
  });
});

describe("password validators", () => {
  const messages = (fn: () => void): string[] => {
    try {
      fn();
      return [];
    } catch (error) {
      if (error instanceof ValidationError) return error.messages;
      throw error;
    }
  };
  it("each of Django's four, and all messages at once", () => {
    expect(messages(() => new MinimumLengthValidator(8).validate("short"))).toEqual(["This password is too short. It must contain at least 8 characters."]);
    expect(messages(() => new CommonPasswordValidator().validate(" Password1 "))).toEqual(["This password is too common."]);
    expect(messages(() => new CommonPasswordValidator(["tsgi"]).validate("TSGI"))).toEqual(["This password is too common."]);
    expect(messages(() => new NumericPasswordValidator().validate("4815162342"))).toEqual(["This password is entirely numeric."]);
    expect(messages(() => new UserAttributeSimilarityValidator().validate("alice.smith1", { username: "alicesmith", email: "alice.smith@example.com" }))).toEqual([
      "The password is too similar to the username.",
    ]);
    expect(messages(() => new UserAttributeSimilarityValidator().validate("x7#Lq!vR2m", { username: "bob" }))).toEqual([]);
    expect(() => new UserAttributeSimilarityValidator([], 0.05)).toThrow("at least 0.1");
    expect(messages(() => validatePassword("12345", undefined, defaultPasswordValidators()))).toEqual([
      "This password is too short. It must contain at least 8 characters.",
      "This password is too common.",
      "This password is entirely numeric.",
    ]);
    expect(messages(() => validatePassword("a-Long-unusual-passphrase-93", { username: "carol" }, defaultPasswordValidators()))).toEqual([]);
    expect(passwordValidatorsHelpTexts(defaultPasswordValidators())).toHaveLength(4);
  });
});

describe("reset tokens and redirects", () => {
  const user = (password: string, lastLogin: Date | null = null): AuthUser =>
    ({ pk: 7, username: "u", email: "u@example.com", password, isActive: true, isStaff: false, isSuperuser: false, lastLogin, isAuthenticated: true, isAnonymous: false });
  it("tokens expire, die when the password or last login changes, and accept fallback keys", () => {
    let now = Date.UTC(2026, 0, 1);
    const s = defineSettings({ SECRET_KEY: "a".repeat(50), PASSWORD_RESET_TIMEOUT: 60 });
    const generator = new PasswordResetTokenGenerator(s, () => now);
    const token = generator.makeToken(user("h1"));
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/);
    expect(generator.checkToken(user("h1"), token)).toBe(true);
    expect(generator.checkToken(user("h2"), token)).toBe(false);
    expect(generator.checkToken(user("h1", new Date()), token)).toBe(false);
    expect(generator.checkToken(user("h1"), token.replace(/.$/, (c) => (c === "0" ? "1" : "0")))).toBe(false);
    for (const junk of ["", "abc", "zz-zz-zz", "-", "!!!-00"]) expect(generator.checkToken(user("h1"), junk)).toBe(false);
    now += 61_000;
    expect(generator.checkToken(user("h1"), token)).toBe(false);
    const rotated = new PasswordResetTokenGenerator(defineSettings({ SECRET_KEY: "b".repeat(50), SECRET_KEY_FALLBACKS: ["a".repeat(50)], PASSWORD_RESET_TIMEOUT: 600 }), () => now);
    expect(rotated.checkToken(user("h1"), token)).toBe(true);
    expect(uidFromBase64(uidToBase64(42))).toBe("42");
    expect(uidFromBase64("%%")).toBeUndefined();
  });
  it("urlHasAllowedHostAndScheme", () => {
    const ok = (url: string, requireHttps = false) => urlHasAllowedHostAndScheme(url, { allowedHosts: ["example.com"], requireHttps });
    for (const good of ["/", "/a/b?c=d", "a/b", "https://example.com/x", "http://example.com"]) expect(ok(good), good).toBe(true);
    for (const bad of ["", " ", "//evil.com", "///evil.com", "https://evil.com", "http:evil.com", "/\\evil.com", "\\\\evil.com", "javascript:alert(1)", "ftp://example.com/", "http://user@evil.com@example.com", "\x08//evil.com", "https://example.com.evil.com/"]) {
      expect(ok(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(ok("http://example.com/", true)).toBe(false);
    expect(ok("https://example.com/", true)).toBe(true);
    expect(urlHasAllowedHostAndScheme(null, { allowedHosts: [] })).toBe(false);
  });
});

describe("settings of forms, auth and mail are checked at start-up", () => {
  it("names the wrong setting and the fix", () => {
    const bad = (extra: Record<string, unknown>) => () => defineSettings({ SECRET_KEY: "k".repeat(50), ...extra } as never);
    expect(bad({ PASSWORD_HASHERS: ["pbkdf2_sha256"] })).toThrow(/PASSWORD_HASHERS.*new PBKDF2PasswordHasher\(\)/);
    expect(bad({ AUTH_PASSWORD_VALIDATORS: [{}] })).toThrow(/AUTH_PASSWORD_VALIDATORS/);
    expect(bad({ EMAIL_BACKEND: "smtps" })).toThrow(/EMAIL_BACKEND: expected "smtp"/);
    expect(bad({ PASSWORD_RESET_TIMEOUT: -1 })).toThrow(/PASSWORD_RESET_TIMEOUT/);
    expect(bad({ LOGIN_THROTTLE: { isBlocked() {} } })).toThrow(/LOGIN_THROTTLE/);
    expect(() => defineSettings({ SECRET_KEY: "k".repeat(50), EMAIL_BACKEND: "console", PASSWORD_HASHERS: [new MD5PasswordHasher()], LOGIN_THROTTLE: null, LOGOUT_REDIRECT_URL: null })).not.toThrow();
  });
});
