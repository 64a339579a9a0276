/**
 * The lookup keys a name and a mention are compared on. `exactKey` folds case, Unicode forms,
 * punctuation, hyphens and spaces, Greek letters (α = alpha), letter–digit boundaries (IL6 = IL-6) and
 * plurals; `bagKey` also forgets word order and function words ("cancer of the breast" = "breast
 * cancer"). Both sides of every lookup go through the same functions.
 *
 *   exactKey('TNF-α receptors') → 'tnf alpha receptor';  bagKey('Cancer of the Breast') → 'breast cancer'
 */

const GREEK: Record<string, string> = {
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  ε: 'epsilon',
  ζ: 'zeta',
  η: 'eta',
  θ: 'theta',
  ι: 'iota',
  κ: 'kappa',
  λ: 'lambda',
  μ: 'mu',
  ν: 'nu',
  ξ: 'xi',
  ο: 'omicron',
  π: 'pi',
  ρ: 'rho',
  σ: 'sigma',
  ς: 'sigma',
  τ: 'tau',
  υ: 'upsilon',
  φ: 'phi',
  χ: 'chi',
  ψ: 'psi',
  ω: 'omega',
};
const GREEK_RE = /[α-ω]/g;

/** Chemical position prefixes spelled out or not: "tri-ortho-tolyl" = "tri-o-tolyl". */
const POSITIONS: Record<string, string> = { ortho: 'o', meta: 'm', para: 'p' };

const FUNCTION_WORDS = new Set(['of', 'the', 'and', 'in', 'with', 'a', 'an', 'for', 'to', 'by', 'or', 'on', 'nos']);

const IRREGULAR: Record<string, string> = {
  mice: 'mouse',
  lice: 'louse',
  children: 'child',
  women: 'woman',
  men: 'man',
  teeth: 'tooth',
  feet: 'foot',
};

/** Plural → singular for one lower-case token; conservative, the same on both sides of a lookup. */
export function singular(token: string): string {
  const irregular = IRREGULAR[token];
  if (irregular) return irregular;
  if (token.length <= 3 || /\d/.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes)$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s') && !/(ss|us|is|os|as|ys)$/.test(token)) return token.slice(0, -1);
  return token;
}

export function tokens(text: string): string[] {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(GREEK_RE, (c) => ` ${GREEK[c]} `);
  s = s.replace(/['’]s\b/g, '');
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ');
  s = s.replace(/(\p{L})(\p{N})/gu, '$1 $2').replace(/(\p{N})(\p{L})/gu, '$1 $2');
  return s
    .split(' ')
    .filter((t) => t.length > 0)
    .map((t) => POSITIONS[t] ?? singular(t));
}

export function exactKey(text: string): string {
  return tokens(text).join(' ');
}

export function bagKey(text: string): string {
  const content = tokens(text).filter((t) => !FUNCTION_WORDS.has(t));
  return [...new Set(content)].sort().join(' ');
}
