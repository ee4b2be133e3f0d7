import { describe, expect, it } from "vitest";
import { CSRF_ALLOWED_CHARS, checkTokenFormat, doesTokenMatch, maskCsrfSecret, newCsrfSecret, unmaskCsrfToken } from "../src/csrf/token.js";

// The reference the fast implementation must equal: Django's algorithm written with indexOf.
function referenceMask(secret: string, mask: string): string {
  let cipher = "";
  for (let i = 0; i < secret.length; i++) {
    const x = CSRF_ALLOWED_CHARS.indexOf(secret.charAt(i));
    const y = CSRF_ALLOWED_CHARS.indexOf(mask.charAt(i));
    cipher += CSRF_ALLOWED_CHARS.charAt((x + y) % CSRF_ALLOWED_CHARS.length);
  }
  return mask + cipher;
}

describe("CSRF secrets and masks", () => {
  it("draws 32 allowed characters, each of the 62 about equally often", () => {
    const counts = new Map<string, number>();
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      const secret = newCsrfSecret();
      expect(secret).toMatch(/^[a-zA-Z0-9]{32}$/);
      for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 128,000 characters: about 2,065 each; a biased draw (byte % 62 without rejection) would give 'a'..'h' ~2,580.
    for (const count of counts.values()) expect(count).toBeGreaterThan(1750);
    for (const count of counts.values()) expect(count).toBeLessThan(2400);
  });

  it("never repeats a secret", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => newCsrfSecret()));
    expect(seen.size).toBe(2000);
  });

  it("masks exactly as Django's algorithm, and unmasks back", () => {
    for (let i = 0; i < 200; i++) {
      const secret = newCsrfSecret();
      const token = maskCsrfSecret(secret);
      checkTokenFormat(token);
      expect(token).toBe(referenceMask(secret, token.slice(0, 32)));
      expect(unmaskCsrfToken(token)).toBe(secret);
      expect(doesTokenMatch(token, secret)).toBe(true);
      expect(doesTokenMatch(token, newCsrfSecret())).toBe(false);
    }
  });
});
