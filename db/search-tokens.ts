// Search for Chinese without a word segmenter: every Han character is a token and so is
// every pair of neighbouring Han characters; Latin words and numbers are tokens too.
// A query matches a document that holds all of its single characters and words (so the
// abbreviation 线代 finds 线性代数), and ranks higher the more of its character pairs,
// in order, the document shares (so 线性代数 ranks the course named so above one that
// merely mentions 线性 and 代数 apart). See docs/decisions/016-chinese-search.md.

const han = /\p{Script=Han}/u;
const pieces = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Tokens of a document: Han unigrams and bigrams, Latin/number words; deduplicated. */
export function documentTokens(...texts: (string | null | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const piece of normalise(text).match(pieces) ?? []) {
      if (!han.test(piece)) {
        tokens.add(piece);
        continue;
      }
      const chars = [...piece];
      chars.forEach((c, i) => {
        tokens.add(c);
        if (i + 1 < chars.length) tokens.add(c + chars[i + 1]);
      });
    }
  }
  return [...tokens];
}

export type SearchQuery = {
  /** Every one must be present: Han characters and Latin/number words. */
  required: string[];
  /** Neighbouring Han character pairs of the query: more shared, higher rank. */
  pairs: string[];
  /** The query's Han characters in order, for an "in this order in the title" bonus. */
  orderedPattern: string | null;
};

const maxQueryTokens = 24;

/** A query's tokens; an empty `required` means "no text query". */
export function queryTokens(query: string): SearchQuery {
  const required = new Set<string>();
  const pairs = new Set<string>();
  const hanChars: string[] = [];
  for (const piece of normalise(query).match(pieces) ?? []) {
    if (!han.test(piece)) {
      required.add(piece);
      continue;
    }
    const chars = [...piece];
    chars.forEach((c, i) => {
      required.add(c);
      hanChars.push(c);
      if (i + 1 < chars.length) pairs.add(c + chars[i + 1]);
    });
  }
  return {
    required: [...required].slice(0, maxQueryTokens),
    pairs: [...pairs].slice(0, maxQueryTokens),
    // Han characters carry no regex meaning; anything else never reaches the pattern.
    orderedPattern: hanChars.length > 1 ? hanChars.slice(0, maxQueryTokens).join('.*') : null,
  };
}
