/**
 * True when an `Accept` header asks for HTML (browsers send `text/html,...`);
 * curl's `*\/*`, a missing header and an explicit `text/plain` get plain text.
 * A wildcard does not count as asking for HTML, so tools get text.
 *
 * @example
 * wantsHtml("text/html,application/xhtml+xml"); // true
 * wantsHtml("*\/*"); // false
 */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = qualityOf(accept, "text/html");
  return html > 0 && html >= qualityOf(accept, "text/plain");
}

/** The q-value the Accept header gives a media type by its own name (wildcards do not count). */
function qualityOf(accept: string, type: string): number {
  for (const part of accept.split(",")) {
    const [media = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (media !== type) continue;
    const q = params.find((param) => param.startsWith("q="));
    const value = q ? Number(q.slice(2)) : 1;
    return Number.isFinite(value) ? value : 0;
  }
  return 0;
}
