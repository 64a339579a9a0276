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
  [/our(s?)\b/g, 'or$1'],
  [/ise\b/g, 'ize'],
  [/yse\b/g, 'yze'],
];

/** Adjective → noun endings, tried on the last word. */
const SUFFIXES: [RegExp, string[]][] = [
  [/toxic$/, ['toxicity']],
  [/tensive$/, ['tension']],
  [/etic$/, ['etes', 'esis', 'esia']],
  [/onian$/, ['onism', 'on disease']],
  [/ese$/, ['esity']],
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

/** Words dictionaries spell another way (organ adjectives, neoplasm for cancer), one swap at a time. */
const WORD_SWAPS: Record<string, string[]> = {
  cancer: ['neoplasm', 'carcinoma'],
  cancers: ['neoplasms'],
  tumor: ['neoplasm'],
  tumors: ['neoplasms'],
  tumour: ['neoplasm'],
  malignancy: ['neoplasm'],
  malignancies: ['neoplasms'],
  renal: ['kidney'],
  kidney: ['renal'],
  hepatic: ['liver'],
  liver: ['hepatic'],
  cardiac: ['heart'],
  heart: ['cardiac'],
  myocardial: ['heart'],
  pulmonary: ['lung'],
  lung: ['pulmonary'],
  gastric: ['stomach'],
  cerebral: ['brain'],
  damage: ['injury', 'disease'],
  injury: ['disease'],
  dysfunction: ['disease', 'insufficiency'],
  impairment: ['insufficiency', 'disease'],
  failure: ['insufficiency'],
  disorder: ['disease'],
  disorders: ['diseases'],
  toxicity: ['disease'],
  disease: ['infection', 'infections'],
  activity: ['disorder'],
};

/** "hepatic toxicity" → "hepatotoxicity": organ + toxicity as one word, the way MeSH and annotators write it. */
const ORGAN_TOXICITY: [RegExp, string][] = [
  [/\b(hepatic|liver) (toxicity|injury|damage)\b/, 'hepatotoxicity'],
  [/\b(renal|kidney) (toxicity|injury|damage)\b/, 'nephrotoxicity'],
  [/\b(cardiac|heart|myocardial) (toxicity|injury|damage)\b/, 'cardiotoxicity'],
  [/\b(neural|nerve|neuronal) (toxicity|injury|damage)\b/, 'neurotoxicity'],
  [/\b(ear|auditory) (toxicity|damage)\b/, 'ototoxicity'],
];

/** "decreased renal function" → renal insufficiency: a loss of an organ's function is its insufficiency. */
const LOST_FUNCTION =
  /^(?:decreased|reduced|impaired|poor|abnormal|altered|deteriorat\w*|declin\w*|loss of|reduction (?:in|of)|failure of|impairment (?:of|in)|deficits? in) (?:the )?([\p{L}-]+) functions?$/u;

/** Counter-ions and salt forms: "Quetiapine Fumarate" is quetiapine to an author. */
const SALT =
  /\s+(?:fumarate|hydrochloride|dihydrochloride|hcl|sodium|disodium|potassium|calcium|magnesium|maleate|sulfate|sulphate|citrate|mesylate|tartrate|bitartrate|acetate|bromide|hydrobromide|succinate|phosphate|besylate|tosylate|lactate|gluconate|nitrate|monohydrate|dihydrate|anhydrous)$/i;

/** The name without its salt form, or undefined when it names no salt. */
export function withoutSalt(name: string): string | undefined {
  const stripped = name.replace(SALT, '');
  return stripped !== name && stripped.length >= 4 ? stripped : undefined;
}

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
  if (spelled.includes('-')) out.add(spelled.replace(/-/g, ''));
  const salt = withoutSalt(spelled);
  if (salt) out.add(salt);
  // An acid and its anion are one chemical to annotators: valproate = valproic acid, folate = folic acid.
  if (/[a-z]{3}ate$/.test(spelled)) out.add(spelled.replace(/ate$/, 'ic acid'));
  if (/[a-z]{3}ic acid$/.test(spelled)) out.add(spelled.replace(/ic acid$/, 'ate'));
  // Mixtures and complexes are named after their parts: "iron dextran" = Iron-Dextran Complex.
  if (!/\b(complex|compounds?)$/.test(spelled)) out.add(`${spelled} complex`);
  const lost = spelled.match(LOST_FUNCTION);
  if (lost) for (const noun of ['insufficiency', 'dysfunction', 'failure', 'disease']) out.add(`${lost[1]} ${noun}`);
  for (const [re, to] of ORGAN_TOXICITY) if (re.test(spelled)) out.add(spelled.replace(re, to));
  const words = spelled.split(/\s+/);
  words.forEach((w, i) => {
    for (const swap of WORD_SWAPS[w] ?? []) out.add([...words.slice(0, i), swap, ...words.slice(i + 1)].join(' '));
  });
  out.delete(lower);
  return [...out];
}
