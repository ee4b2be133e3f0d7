/**
 * The handshake's Origin check (Channels' `AllowedHostsOriginValidator`): a browser always sends
 * Origin on a WebSocket handshake, so a missing one is a non-browser client and is allowed; a
 * present one must be the request's own host, a host in ALLOWED_HOSTS (`.example.com` matches
 * subdomains, `*` anything), or a CSRF_TRUSTED_ORIGINS entry (`https://*.example.com`).
 *
 * @example
 * originAllowed("https://evil.test", "app.test", ["app.test"], []); // false
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowedHosts: readonly string[], trustedOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const originHost = url.hostname.toLowerCase();
  if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
  for (const allowed of allowedHosts) {
    const pattern = allowed.toLowerCase();
    if (pattern === "*" || pattern === originHost) return true;
    if (pattern.startsWith(".") && (originHost === pattern.slice(1) || originHost.endsWith(pattern))) return true;
  }
  for (const trusted of trustedOrigins) {
    if (trusted === url.origin) return true;
    const wildcard = /^([a-z]+):\/\/\*\.(.+)$/i.exec(trusted);
    if (wildcard && url.protocol === `${wildcard[1]?.toLowerCase()}:` && originHost.endsWith(`.${wildcard[2]?.toLowerCase()}`)) return true;
  }
  return false;
}
