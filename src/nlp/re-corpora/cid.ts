/**
 * BC5CDR chemical-induced-disease (CID) instances from a PubTator file, built exactly as
 * models/train/re_data.py's `read_pubtator` and `cid()` build them, so that `litmine eval re`
 * scores the same instances as eval_re.py.
 *
 * A document's text is title + " " + abstract, split into sentences after [.?!] + whitespace before
 * a capital, digit or bracket. In each sentence, for every (chemical MeSH id, disease MeSH id) with
 * mentions wholly inside it, one instance: the closest non-overlapping pair of their mentions masked
 * @CHEMICAL$ / @DISEASE$, gold "CID" where the document lists that pair. Cross-sentence CID pairs
 * give no instance but stay in the document-level gold (`documentGold`), where they count as misses.
 *
 *   const { items, documentGold } = readCid(readFileSync('CDR_TestSet.PubTator.txt', 'utf8'));
 */
import { LitmineError } from '../../errors.js';
import { CodePoints, PY_SPACE, maskSpans, pySplitLines } from './python-text.js';

export interface PubtatorDocument {
  /** Title + " " + abstract. */
  text: string;
  /** Code-point offsets, type, one MeSH id (a mention with "A|B" is listed once per id; "-1" skipped). */
  entities: { start: number; end: number; type: string; id: string }[];
  /** "chemicalId\tdiseaseId" of the document's CID lines. */
  cid: Set<string>;
}

export interface CidItem {
  text: string;
  key: 'Chemical|Disease';
  gold: 'CID' | 'false';
  /** "pmid\tchemicalId\tdiseaseId": the document-level pair the instance votes for. */
  doc: string;
}

/** re_data.py's `read_pubtator`: documents by PMID, in file order. */
export function readPubtator(text: string): Map<string, PubtatorDocument> {
  const docs = new Map<string, PubtatorDocument>();
  const doc = (pmid: string, line: string) => {
    const d = docs.get(pmid);
    if (!d) throw new LitmineError('LITMINE_USAGE', `PubTator: line before the title of document ${pmid}: ${line.slice(0, 80)}`);
    return d;
  };
  for (const line of pySplitLines(text)) {
    if (line.trim() === '') continue;
    const head = Array.from(line.slice(0, 40)).slice(0, 20).join(''); // line[:20]
    if (head.includes('|t|') || head.includes('|a|')) {
      const bar1 = line.indexOf('|');
      const bar2 = line.indexOf('|', bar1 + 1);
      const pmid = line.slice(0, bar1);
      const rest = line.slice(bar2 + 1);
      if (head.includes('|t|')) {
        let d = docs.get(pmid);
        if (!d) docs.set(pmid, (d = { text: '', entities: [], cid: new Set() }));
        d.text = rest;
      } else {
        doc(pmid, line).text += ` ${rest}`;
      }
      continue;
    }
    const p = line.split('\t');
    if (p.length >= 4 && p[1] === 'CID') {
      doc(p[0]!, line).cid.add(`${p[2]}\t${p[3]}`);
    } else if (p.length >= 6) {
      const d = doc(p[0]!, line);
      const [start, end] = [pyInt(p[1]!, line), pyInt(p[2]!, line)];
      for (const id of p[5]!.split('|')) if (id !== '-1') d.entities.push({ start, end, type: p[4]!, id });
    }
  }
  return docs;
}

function pyInt(s: string, line: string): number {
  const n = Number(s.trim());
  if (!/^\s*[+-]?\d+\s*$/.test(s) || !Number.isSafeInteger(n)) {
    throw new LitmineError('LITMINE_USAGE', `PubTator: not an offset: ${JSON.stringify(s)} in ${line.slice(0, 80)}`);
  }
  return n;
}

const SENTENCE_BREAK = new RegExp(`(?<=[.?!])[${PY_SPACE}]+(?=[A-Z0-9(\\[])`, 'g');

type Span = readonly [number, number];

/** Python's `a < b` on the tuples (distance, chemical span, disease span). */
function tupleLess(x: readonly number[], y: readonly number[]): boolean {
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k]! < y[k]!;
  return false;
}

/** re_data.py's `cid()`: the sentence instances and the document-level gold pairs. */
export function cidInstances(docs: ReadonlyMap<string, PubtatorDocument>): { items: CidItem[]; documentGold: Set<string> } {
  const items: CidItem[] = [];
  const documentGold = new Set<string>();
  for (const [pmid, d] of docs) {
    for (const pair of d.cid) documentGold.add(`${pmid}\t${pair}`);
    const text = new CodePoints(d.text);
    const bounds: [number, number][] = [];
    let start = 0;
    for (const m of d.text.matchAll(SENTENCE_BREAK)) {
      bounds.push([start, text.cp(m.index!)]);
      start = text.cp(m.index! + m[0].length);
    }
    bounds.push([start, text.length]);
    for (const [ss, se] of bounds) {
      // Mentions grouped by id, ids in first-mention order (Python's defaultdict); any type but
      // Chemical counts as a disease, as in re_data.py.
      const chem = new Map<string, Span[]>();
      const dis = new Map<string, Span[]>();
      for (const e of d.entities) {
        if (!(e.start >= ss && e.end <= se)) continue;
        const group = e.type === 'Chemical' ? chem : dis;
        let spans = group.get(e.id);
        if (!spans) group.set(e.id, (spans = []));
        spans.push([e.start - ss, e.end - ss]);
      }
      const sentence = new CodePoints(text.slice(ss, se));
      for (const [cm, cs] of chem) {
        for (const [dm, ds] of dis) {
          // min((abs(a0 - b0), a, b)): ties go to the smaller chemical span, then the smaller
          // disease span (tuple order), whatever the file order.
          let best: number[] | null = null;
          for (const a of cs) {
            for (const b of ds) {
              if (!(a[1] <= b[0] || b[1] <= a[0])) continue;
              const cand = [Math.abs(a[0] - b[0]), a[0], a[1], b[0], b[1]];
              if (best === null || tupleLess(cand, best)) best = cand;
            }
          }
          if (best === null) continue;
          // The spans do not overlap, so _mask never gives None here (Python would keep a None text).
          const masked = maskSpans(sentence, [best[1]!, best[2]!], [best[3]!, best[4]!], '@CHEMICAL$', '@DISEASE$');
          if (masked === null) throw new Error('unreachable: overlapping spans were filtered out');
          items.push({
            text: masked,
            key: 'Chemical|Disease',
            gold: d.cid.has(`${cm}\t${dm}`) ? 'CID' : 'false',
            doc: `${pmid}\t${cm}\t${dm}`,
          });
        }
      }
    }
  }
  return { items, documentGold };
}

/** readPubtator + cidInstances. */
export function readCid(text: string): { items: CidItem[]; documentGold: Set<string> } {
  return cidInstances(readPubtator(text));
}
