/**
 * Spelling and word-form variants of a mention tried when its own keys find nothing: British →
 * American spelling, and the adjective forms of disease names ("hypertensive" → hypertension,
 * "nephrotoxic" → nephrotoxicity, "diabetic" → diabetes), the rules dictionary sieves use.
 *
 *   variants('leukaemic')  // ['leukemic', 'leukaemia', 'leukemia', …]
 */

const SPELLING: [RegExp, string][] = [
  [/ae/g, 'e'],
  [/oe/g, 'e'],
  [/our\b/g, 'or'],
  [/ise\b/g, 'ize'],
  [/yse\b/g, 'yze'],
];

/** Adjective → noun endings, tried on the last word. */
const SUFFIXES: [RegExp, string[]][] = [
  [/toxic$/, ['toxicity']],
  [/tensive$/, ['tension']],
  [/etic$/, ['etes', 'esis']],
  [/otic$/, ['osis']],
  [/emic$/, ['emia']],
  [/aemic$/, ['aemia']],
  [/ptic$/, ['psy', 'psis']],
  [/mic$/, ['mia']],
  [/thic$/, ['thy']],
  [/ic$/, ['ia', 'y', 'ism']],
  [/al$/, ['']],
  [/ous$/, ['']],
  [/ed$/, ['']],
];

export function variants(text: string): string[] {
  const lower = text.toLowerCase();
  const out = new Set<string>();
  const spelled = SPELLING.reduce((s, [re, to]) => s.replace(re, to), lower);
  if (spelled !== lower) out.add(spelled);
  for (const base of [lower, spelled]) {
    const m = base.match(/^(.*?)([\p{L}]+)$/u);
    if (!m) continue;
    const [, head, last] = m as unknown as [string, string, string];
    for (const [re, ends] of SUFFIXES) {
      if (!re.test(last)) continue;
      for (const end of ends) out.add(head + last.replace(re, end));
      break;
    }
  }
  out.delete(lower);
  return [...out];
}
