/**
 * One language code for both sources: PubMed writes ISO 639-2 bibliographic codes ("eng", "fre"),
 * JATS writes xml:lang ("en", "EN-US"), and a few PubMed records carry "ENG" or "en". Used by the
 * PubMed and JATS mappers so one language facet serves every article.
 *
 *   languageCode('EN-us') → 'eng'    languageCode('fre') → 'fre'    languageCode('') → ''
 */
const ISO639_2B: Record<string, string> = {
  en: 'eng',
  fr: 'fre',
  de: 'ger',
  es: 'spa',
  pt: 'por',
  it: 'ita',
  nl: 'dut',
  ru: 'rus',
  zh: 'chi',
  ja: 'jpn',
  ko: 'kor',
  pl: 'pol',
  sv: 'swe',
  no: 'nor',
  da: 'dan',
  fi: 'fin',
  cs: 'cze',
  tr: 'tur',
  ar: 'ara',
  fa: 'per',
  he: 'heb',
  el: 'gre',
  hu: 'hun',
  ro: 'rum',
  uk: 'ukr',
  ka: 'geo',
  hr: 'hrv',
  sr: 'srp',
  sk: 'slo',
  sl: 'slv',
};

export function languageCode(lang: string): string {
  const code = lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return ISO639_2B[code] ?? code;
}
