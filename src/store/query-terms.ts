/**
 * Turns analysts' free text into the terms both search stores query with, so the embedded store
 * and Elasticsearch agree on what a query means and no user string can break either query parser.
 *
 *   searchPhrases('IL-6 AND "breast cancer" (NEAR)') → ['il-6', 'breast', 'cancer', 'near']
 *   questionTerms('Where is the protein Pannexin1 located?') → ['protein', 'pannexin1', 'located']
 */

/** Words that carry no meaning in a search or a question; also swallows boolean operators. */
const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have if in into is it its of on or not such that the their then there these ' +
    'they this to was were will with near which what where when who whom whose why how does do did can could would should ' +
    'may might there any all some between among about'
  ).split(' '),
);

/** Extra words dropped from questions only (they name the question, not its subject). */
const QUESTION_WORDS = new Set('describe list name tell give explain known main role type types kind'.split(' '));

const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
/** Characters kept inside a phrase chunk; everything else separates chunks. */
const CHUNK_SEPARATORS = /[\s"'`()[\]{}<>,;!?*^~|&=+\\:/]+/u;

/**
 * Search phrases: whitespace- and punctuation-separated chunks, lowercased, stopwords and
 * operator words dropped. Each chunk is matched as a phrase ("il-6" → il followed by 6) and all
 * chunks must match.
 */
export function searchPhrases(text: string): string[] {
  return unique(
    text
      .normalize('NFKC')
      .toLowerCase()
      .split(CHUNK_SEPARATORS)
      .map((chunk) => chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
      .filter((chunk) => HAS_WORD_CHAR.test(chunk) && !STOPWORDS.has(chunk)),
  );
}

/**
 * True when a search text is given but holds nothing searchable (only operators, punctuation or
 * stopwords: `"`, `*`, `AND OR`, `NEAR(`): such a query matches nothing. Only an empty text lists
 * by filters alone.
 */
export function matchesNothing(text: string | undefined): boolean {
  return !!text?.trim() && searchPhrases(text).length === 0;
}

/** Question terms: single words, stopwords and question words dropped; any one may match. */
export function questionTerms(question: string): string[] {
  return unique(
    (
      question
        .normalize('NFKC')
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? []
    ).filter((w) => !STOPWORDS.has(w) && !QUESTION_WORDS.has(w)),
  );
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
