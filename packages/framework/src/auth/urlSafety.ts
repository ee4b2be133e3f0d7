/**
 * Whether `url` is safe to redirect to after login or logout (Django's
 * `url_has_allowed_host_and_scheme`): a relative path, or an absolute URL on one of
 * `allowedHosts`, with https when `requireHttps`. Refuses `//evil.com`, `/\evil.com`,
 * `https:evil.com`, `javascript:`, control characters and other tricks browsers accept.
 *
 * @example
 * urlHasAllowedHostAndScheme("/polls/", { allowedHosts: ["example.com"] }); // true
 * urlHasAllowedHostAndScheme("//evil.com/", { allowedHosts: ["example.com"] }); // false
 */
export function urlHasAllowedHostAndScheme(url: string | null | undefined, options: { allowedHosts: readonly string[]; requireHttps?: boolean }): boolean {
  if (typeof url !== "string") return false;
  const trimmed = url.trim();
  if (trimmed === "") return false;
  // Browsers treat backslashes as slashes; check both spellings, as Django does.
  return isSafe(trimmed, options) && isSafe(trimmed.replace(/\\/g, "/"), options);
}

function isSafe(url: string, options: { allowedHosts: readonly string[]; requireHttps?: boolean }): boolean {
  if (url.startsWith("///")) return false;
  // Control characters are dropped by browsers: "\x08//evil.com" becomes "//evil.com".
  if (/[\x00-\x1f\x7f]/.test(url)) return false;
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  const scheme = schemeMatch?.[1]?.toLowerCase();
  let netloc = "";
  const rest = schemeMatch ? url.slice(schemeMatch[0].length) : url;
  if (rest.startsWith("//")) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end === -1 ? rest.slice(2) : rest.slice(2, 2 + end);
  }
  // "http:evil.com" (a scheme but no host) is a relative URL to some browsers and a host to others.
  if (netloc === "" && scheme !== undefined) return false;
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") return false;
  if (netloc !== "") {
    const host = netloc.includes("@") ? netloc.slice(netloc.lastIndexOf("@") + 1) : netloc;
    if (!options.allowedHosts.some((allowed) => allowed.toLowerCase() === host.toLowerCase())) return false;
    if (netloc.includes("@")) return false;
  }
  if (options.requireHttps && scheme !== undefined && scheme !== "https") return false;
  return true;
}
