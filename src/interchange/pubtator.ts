/**
 * The PubTator text format, read and written: `PMID|t|title`, `PMID|a|abstract`, then one line per
 * annotation `PMID  start  end  text  type  id[|id…]` (offsets over title + " " + abstract; `-1` = no
 * id) and relation lines `PMID  CID  id  id` (tmVar: `PMID  type  text`); a blank line between documents. Used by `litmine eval
 * norm` (BC5CDR) and `litmine export --format pubtator`.
 *
 *   const docs = readPubtatorDocuments(readFileSync('CDR_TestSet.PubTator.txt', 'utf8'));
 */
import { LitmineError } from '../errors.js';

export interface PubtatorAnnotation {
  start: number;
  end: number;
  text: string;
  type: string;
  /** Identifiers as the file writes them ("D009270", "MESH:D009270"); empty for -1. */
  ids: string[];
  /** The identifier column and any after it, verbatim (tmVar's "p|SUB|S|276|T" is one id, not five). */
  rest?: string[];
}

export interface PubtatorDoc {
  pmid: string;
  title: string;
  abstract: string;
  annotations: PubtatorAnnotation[];
  relations: { type: string; ids: string[] }[];
}

/** The document's title and abstract with the offset each starts at (PubTator offsets run over title + " " + abstract). */
export function pubtatorPassages(d: PubtatorDoc): { id: 'title' | 'abstract'; offset: number; text: string }[] {
  return [
    { id: 'title', offset: 0, text: d.title },
    { id: 'abstract', offset: d.title.length + 1, text: d.abstract },
  ];
}

export function readPubtatorDocuments(text: string, file = 'PubTator'): PubtatorDoc[] {
  const docs: PubtatorDoc[] = [];
  const byId = new Map<string, PubtatorDoc>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const tm = line.match(/^([^|\t]+)\|([ta])\|(.*)$/);
    if (tm) {
      const [, pmid, part, body] = tm as unknown as [string, string, string, string];
      let d = byId.get(pmid);
      if (!d) {
        d = { pmid, title: '', abstract: '', annotations: [], relations: [] };
        byId.set(pmid, d);
        docs.push(d);
      }
      if (part === 't') d.title = body;
      else d.abstract = body;
      return;
    }
    const f = line.split('\t');
    const d = byId.get(f[0] ?? '');
    if (!d) throw new LitmineError('LITMINE_USAGE', `${file}:${i + 1}: annotation before its document's title: ${line.slice(0, 80)}`);
    if (f.length >= 5 && /^\d+$/.test(f[1]!) && /^\d+$/.test(f[2]!)) {
      const ids = (f[5] ?? '').split(/[|,;]/).filter((x) => x && x !== '-1');
      d.annotations.push({
        start: Number(f[1]),
        end: Number(f[2]),
        text: f[3]!,
        type: f[4]!,
        ids,
        ...(f.length > 5 ? { rest: f.slice(5) } : {}),
      });
    } else if (f.length >= 3) {
      d.relations.push({ type: f[1]!, ids: f.slice(2) });
    } else {
      throw new LitmineError('LITMINE_USAGE', `${file}:${i + 1}: not a PubTator line: ${line.slice(0, 80)}`);
    }
  });
  return docs;
}

/**
 * Line breaks end a PubTator line, and tabs end an annotation column: each becomes one space, one
 * character for one, so every offset still cuts its text out of the written title and abstract.
 * (Vertical tab, form feed, the file/group/record separators, NEL and U+2028/9 count as line breaks
 * for readers such as Python's str.splitlines.)
 */
const lineText = (s: string) => s.replace(/[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g, ' ');
const columnText = (s: string) => lineText(s).replace(/\t/g, ' ');

export function writePubtatorDocument(d: PubtatorDoc): string {
  const lines = [`${d.pmid}|t|${lineText(d.title)}`, `${d.pmid}|a|${lineText(d.abstract)}`];
  for (const a of d.annotations) {
    const ids = a.rest ?? [a.ids.length > 0 ? a.ids.join('|') : '-1'];
    lines.push([d.pmid, a.start, a.end, columnText(a.text), a.type, ...ids].join('\t'));
  }
  for (const r of d.relations) lines.push([d.pmid, r.type, ...r.ids].join('\t'));
  return `${lines.join('\n')}\n`;
}
