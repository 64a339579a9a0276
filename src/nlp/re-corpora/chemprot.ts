/**
 * ChemProt relation instances from SciBERT's JSONL copy, built exactly as models/train/re_data.py's
 * `chemprot()` builds them, so that `litmine eval re` scores the same instances as eval_re.py.
 *
 * That copy holds positive pairs only, one line per pair, with the arguments marked << >> and [[ ]]
 * without saying which one is the chemical. So the lines are grouped by sentence; the mentions of a
 * sentence form a bipartite graph (every related pair is chemical × gene), coloured in two; each
 * connected component's colour classes are typed by summing a gene-likeness score (`geneScore`: a
 * typed dictionary from chemprot-original's entity files and BC5CDR's chemical mentions, else word
 * heuristics). Every chemical × gene pair of the sentence becomes an instance: its CPR group where
 * some line relates the two, "false" otherwise.
 *
 *   const items = readChemprotJsonl(text, { typed: loadTypedDictionary(sharedDataRoot(installDir)) });
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CodePoints, PY_WORD, maskSpans, pyLen, pyNorm, pySplitLines } from './python-text.js';

export interface ChemprotItem {
  text: string;
  key: 'Chemical|Gene';
  gold: string;
}

/** ChemProt's fine labels → the evaluated CPR groups (the official grouping). */
export const CPR: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'CPR:3': ['UPREGULATOR', 'ACTIVATOR', 'INDIRECT-UPREGULATOR'],
    'CPR:4': ['DOWNREGULATOR', 'INHIBITOR', 'INDIRECT-DOWNREGULATOR'],
    'CPR:5': ['AGONIST', 'AGONIST-ACTIVATOR', 'AGONIST-INHIBITOR'],
    'CPR:6': ['ANTAGONIST'],
    'CPR:9': ['SUBSTRATE', 'PRODUCT-OF', 'SUBSTRATE_PRODUCT-OF'],
  }).flatMap(([group, names]) => names.map((n) => [n, group] as const)),
);

/** Normalised mention → vote (+1 per chemical occurrence, −1 per gene occurrence). */
export type TypedDictionary = ReadonlyMap<string, number>;

/** The shared corpora folder: $LITMINE_SHARED_DATA, else ../shared/data beside the install (as common.py's data_root). */
export function sharedDataRoot(installDir: string): string {
  return process.env.LITMINE_SHARED_DATA ?? join(installDir, '..', 'shared', 'data');
}

function filesIn(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(accept)
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/**
 * re_data.py's `typed_dictionary()`: chemprot-original/*_entities.tsv (CHEMICAL +1, other types −1,
 * by mention text) and the Chemical mentions of bc5cdr-pubtator/CDR_*.PubTator.txt (+1). Missing
 * folders contribute nothing, as Python's glob does.
 */
export function loadTypedDictionary(root: string): Map<string, number> {
  const votes = new Map<string, number>();
  const vote = (mention: string, v: number) => {
    const k = pyNorm(mention);
    votes.set(k, (votes.get(k) ?? 0) + v);
  };
  for (const f of filesIn(join(root, 'chemprot-original'), (n) => n.endsWith('_entities.tsv'))) {
    for (const line of pySplitLines(readFileSync(f, 'utf8'))) {
      const p = line.split('\t');
      if (p.length >= 6) vote(p[5]!, p[2] === 'CHEMICAL' ? 1 : -1);
    }
  }
  const cdr = (n: string) => n.startsWith('CDR_') && n.endsWith('.PubTator.txt') && n.length >= 'CDR_.PubTator.txt'.length;
  for (const f of filesIn(join(root, 'bc5cdr-pubtator'), cdr)) {
    for (const line of pySplitLines(readFileSync(f, 'utf8'))) {
      const p = line.split('\t');
      if (p.length >= 6 && p[4] === 'Chemical') vote(p[3]!, 1);
    }
  }
  return votes;
}

// _GENE_WORDS (re.I, searched in the lower-cased mention). Python's `\b`, `\d` are Unicode-aware and
// its case-insensitive match also takes ı for i and ſ for s: those two are folded before a
// case-sensitive search, which is then equivalent.
const NOT_W = `(?![${PY_WORD}])`;
const NOT_AFTER_W = `(?<![${PY_WORD}])`;
const GENE_WORDS = new RegExp(
  `(receptor|kinase|ase${NOT_W}|ases${NOT_W}|protein|enzyme|channel|transporter|factor|` +
    `hormone|cytochrome|cyp\\p{Nd}|synthase|oxidase|antibod|globulin|insulin|interleukin|` +
    `${NOT_AFTER_W}il-?\\p{Nd}|tnf|subunit|isoform|isozyme|peptide|ligand|pump|exchanger|integrin|` +
    `cadherin|collagen|albumin|hemoglobin|haemoglobin|${NOT_AFTER_W}p\\p{Nd}{2,3}${NOT_W}|erk|mapk|akt|nf-)`,
  'u',
);
const SYMBOL = /[A-Z]{2,}\p{Nd}|\p{Nd}[A-Z]{2,}/u;
const CHEMICAL_SUFFIX = /(ine|ide|ate|ol|one|ane|ene|yl|in|acid|mycin|cillin|azole|statin|pril|sartan)$/;
const CHEMICAL_NUMBERING = /\p{Nd}+-|,\p{Nd}|\(\p{Nd}|\[\p{Nd}|-\p{Nd}-/u;

/**
 * re_data.py's `gene_score`: > 0 gene-like, < 0 chemical-like. A dictionary hit decides (±3);
 * otherwise the heuristics' float sum, accumulated in Python's order.
 */
export function geneScore(mention: string, typed: TypedDictionary): number {
  const m = pyNorm(mention);
  const d = typed.get(m);
  if (d !== undefined && d !== 0) return -3.0 * (d > 0 ? 1 : -1);
  let s = 0.0;
  if (GENE_WORDS.test(m.replace(/ı/g, 'i').replace(/ſ/g, 's'))) s += 1.0;
  if (SYMBOL.test(mention) && pyLen(mention) <= 10) s += 0.5;
  if (CHEMICAL_SUFFIX.test(m)) s -= 0.7;
  if (CHEMICAL_NUMBERING.test(mention)) s -= 0.3;
  return s;
}

type Span = readonly [number, number];
const spanKey = (s: Span) => `${s[0]},${s[1]}`;

/**
 * re_data.py's `_parse_marked`: the text without markers and the code-point spans of the << >>
 * and [[ ]] arguments (the last of each kind wins; Python's `.` is any character but \n).
 */
export function parseMarked(text: string): { clean: string; first: Span | null; second: Span | null } {
  let out = '';
  let pos = 0;
  const units: { first?: [number, number]; second?: [number, number] } = {};
  for (const m of text.matchAll(/<< ([^\n]+?) >>|\[\[ ([^\n]+?) \]\]/g)) {
    out += text.slice(pos, m.index);
    const inner = m[1] ?? m[2]!;
    units[m[1] !== undefined ? 'first' : 'second'] = [out.length, out.length + inner.length];
    out += inner;
    pos = m.index! + m[0].length;
  }
  out += text.slice(pos);
  const cp = new CodePoints(out);
  const toCp = (s?: [number, number]): Span | null => (s ? [cp.cp(s[0]), cp.cp(s[1])] : null);
  return { clean: out, first: toCp(units.first), second: toCp(units.second) };
}

export interface ChemprotOptions {
  /** See loadTypedDictionary; empty (heuristics only) when absent. */
  typed?: TypedDictionary;
}

/** All instances of a SciBERT ChemProt JSONL file, as re_data.py's `chemprot(split)`. */
export function readChemprotJsonl(text: string, options: ChemprotOptions = {}): ChemprotItem[] {
  const typed = options.typed ?? new Map<string, number>();
  const groups = new Map<string, { first: Span; second: Span; label: string | null }[]>();
  for (const line of pySplitLines(text)) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as { text: string; label: string };
    const { clean, first, second } = parseMarked(o.text);
    if (first === null || second === null) continue;
    let rels = groups.get(clean);
    if (!rels) groups.set(clean, (rels = []));
    rels.push({ first, second, label: CPR.get(o.label) ?? null });
  }
  const out: ChemprotItem[] = [];
  for (const [clean, rels] of groups) out.push(...sentenceInstances(new CodePoints(clean), rels, typed));
  return out;
}

function sentenceInstances(
  clean: CodePoints,
  rels: readonly { first: Span; second: Span; label: string | null }[],
  typed: TypedDictionary,
): ChemprotItem[] {
  // Mention graph; Map keeps Python's dict insertion order, neighbours are visited in position order.
  const spans = new Map<string, Span>();
  const adj = new Map<string, Span[]>();
  const link = (u: Span, v: Span) => {
    const k = spanKey(u);
    spans.set(k, u);
    let list = adj.get(k);
    if (!list) adj.set(k, (list = []));
    if (!list.some((w) => w[0] === v[0] && w[1] === v[1])) list.push(v);
  };
  for (const r of rels) {
    link(r.first, r.second);
    link(r.second, r.first);
  }
  for (const list of adj.values()) list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Depth-first 2-colouring per component, then the component's vote types the two colours.
  const colour = new Map<string, 0 | 1>();
  const type = new Map<string, 'Chemical' | 'Gene'>();
  for (const start of adj.keys()) {
    if (colour.has(start)) continue;
    colour.set(start, 0);
    const comp = [start];
    const stack = [start];
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (const w of adj.get(u)!) {
        const v = spanKey(w);
        if (colour.has(v)) continue;
        colour.set(v, colour.get(u) === 0 ? 1 : 0);
        comp.push(v);
        stack.push(v);
      }
    }
    // Python's sum(): left-to-right float additions in visiting order (the sign is what counts).
    let score = 0;
    for (const x of comp) {
      const [s, e] = spans.get(x)!;
      score += geneScore(clean.slice(s, e), typed) * (colour.get(x) === 0 ? 1 : -1);
    }
    const geneColour = score > 0 ? 0 : 1;
    for (const x of comp) type.set(x, colour.get(x) === geneColour ? 'Gene' : 'Chemical');
  }
  const byPosition = (a: Span, b: Span) => a[0] - b[0] || a[1] - b[1];
  const ofType = (t: string) => [...spans.values()].filter((s) => type.get(spanKey(s)) === t).sort(byPosition);
  const positive = new Map<string, string>();
  for (const r of rels) {
    const [c, g] = type.get(spanKey(r.first)) === 'Chemical' ? [r.first, r.second] : [r.second, r.first];
    // Both of one colour only happens on an odd cycle (re_data.py counts it as bad_colouring).
    if (type.get(spanKey(c)) !== 'Chemical' || type.get(spanKey(g)) !== 'Gene') continue;
    if (r.label !== null) positive.set(`${spanKey(c)}|${spanKey(g)}`, r.label);
  }
  const out: ChemprotItem[] = [];
  for (const c of ofType('Chemical')) {
    for (const g of ofType('Gene')) {
      const text = maskSpans(clean, c, g, '@CHEMICAL$', '@GENE$');
      if (text === null) continue;
      out.push({ text, key: 'Chemical|Gene', gold: positive.get(`${spanKey(c)}|${spanKey(g)}`) ?? 'false' });
    }
  }
  return out;
}
