/**
 * Text helpers for Vietnamese search.
 *
 * `fold` makes a string comparable without diacritics: "Chè" and "che" fold to the same text.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** NFD, strip combining marks, đ/Đ → d, lower-case. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

function words(query: string, norm: (s: string) => string): string[] {
  return norm(query)
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * True when every whitespace-separated word of `query` occurs in `haystack`, both folded.
 * An empty query matches everything.
 */
export function matchesQuery(haystack: string, query: string): boolean {
  const folded = fold(haystack);
  return words(query, fold).every((w) => folded.includes(w));
}

const exact = (s: string): string => s.normalize('NFC').toLowerCase();

/** Like `matchesQuery`, but the diacritics must match too ("chè" matches "Chè", not "Chế"). */
export function matchesQueryExactly(haystack: string, query: string): boolean {
  const text = exact(haystack);
  return words(query, exact).every((w) => text.includes(w));
}
