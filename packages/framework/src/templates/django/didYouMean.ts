import type nunjucks from "nunjucks";

/** Nunjucks' own block tags. */
const BUILTIN_TAGS = ["if", "elif", "else", "endif", "for", "endfor", "asyncEach", "asyncAll", "macro", "endmacro", "call", "endcall", "set", "endset", "import", "from", "include", "extends", "block", "endblock", "raw", "endraw", "verbatim", "endverbatim", "filter", "endfilter", "ifAsync"];

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** The closest name within an edit distance of 2 (or a third of the word), else undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * A " Did you mean ...?" hint for nunjucks' "filter not found: x" and "unknown block tag: x"
 * messages, from the environment's filters and tags; "" when there is nothing close.
 *
 * @example
 * didYouMean(env, "filter not found: pluralise"); // ' Did you mean "pluralize"?'
 */
export function didYouMean(env: nunjucks.Environment, message: string): string {
  const filter = /filter not found: (\S+)/.exec(message);
  if (filter?.[1] !== undefined) {
    const filters: unknown = Reflect.get(env, "filters");
    const names = typeof filters === "object" && filters !== null ? Object.keys(filters) : [];
    const guess = closest(filter[1], names);
    return guess === undefined ? "" : ` Did you mean "${guess}"?`;
  }
  const tag = /unknown block tag: (\S+)/.exec(message);
  if (tag?.[1] !== undefined) {
    const extensions: unknown = Reflect.get(env, "extensionsList");
    const extensionTags = Array.isArray(extensions) ? extensions.flatMap((ext: { tags?: unknown }) => (Array.isArray(ext.tags) ? (ext.tags as string[]) : [])) : [];
    const guess = closest(tag[1], [...BUILTIN_TAGS, ...extensionTags]);
    return guess === undefined ? "" : ` Did you mean "{% ${guess} %}"?`;
  }
  return "";
}
