/** A host and port as SERVER_NAME and SERVER_PORT carry them. */
export interface HostAndPort {
  name: string;
  /** Decimal digits, or undefined when the authority names no port. */
  port: string | undefined;
}

/**
 * Splits a `Host` value or a target's authority (`uri-host [":" port]`) into name and port.
 * IPv6 literals keep their brackets (`[::1]:8080` gives `[::1]` and `8080`). Returns undefined
 * for a value that is not an authority (the head checks refuse those before).
 *
 * @example
 * splitHostPort("example.com:8080"); // { name: "example.com", port: "8080" }
 */
export function splitHostPort(host: string): HostAndPort | undefined {
  // Most values are a plain name or "name:port": no regex for those.
  const colon = host.indexOf(":");
  if (colon === -1) return host === "" ? undefined : { name: host, port: undefined };
  if (host.charCodeAt(0) !== 0x5b) {
    if (colon === 0 || colon !== host.lastIndexOf(":")) return undefined;
    if (colon + 1 === host.length) return { name: host.slice(0, colon), port: undefined };
    return isDigits(host, colon + 1) ? { name: host.slice(0, colon), port: host.slice(colon + 1) } : undefined;
  }
  const close = host.indexOf("]");
  if (close === -1) return undefined;
  const name = host.slice(0, close + 1);
  if (close + 1 === host.length) return { name, port: undefined };
  if (host.charCodeAt(close + 1) !== 0x3a) return undefined;
  if (close + 2 === host.length) return { name, port: undefined };
  return isDigits(host, close + 2) ? { name, port: host.slice(close + 2) } : undefined;
}

/** An absolute-form target's scheme and authority (userinfo dropped), or undefined for any other form. */
export interface TargetAuthority {
  scheme: string;
  authority: string;
}

/**
 * The scheme and authority of an absolute-form request-target (RFC 9112 §3.2.2),
 * e.g. `http://example.com:81/p?q` gives `http` and `example.com:81`.
 *
 * @example
 * targetAuthority("https://user@h:8443/x"); // { scheme: "https", authority: "h:8443" }
 */
export function targetAuthority(target: string): TargetAuthority | undefined {
  const separator = target.indexOf("://");
  if (separator <= 0) return undefined;
  const start = separator + 3;
  let end = start;
  while (end < target.length) {
    const code = target.charCodeAt(end);
    if (code === 0x2f || code === 0x3f || code === 0x23) break; // "/", "?", "#"
    end++;
  }
  let authority = target.slice(start, end);
  const at = authority.lastIndexOf("@");
  if (at !== -1) authority = authority.slice(at + 1);
  return { scheme: target.slice(0, separator).toLowerCase(), authority };
}

function isDigits(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}
