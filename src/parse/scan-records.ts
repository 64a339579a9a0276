/**
 * Cuts a decoded XML text stream into records without building the whole document: it tokenises
 * just enough (tags, comments, CDATA, PIs, DOCTYPE) to track depth, and yields the raw XML of each
 * record element (`<PubmedArticle>`, `<DeleteCitation>`, `<article>`, …) under a known root, so one
 * record at a time is held in memory. First step of parseXmlStream; records are parsed one by one.
 *
 *   for await (const ev of scanRecords(chunks)) if (ev.type === 'record') parseRecordXml(ev.xml);
 */
import type { ErrorCode } from '../errors.js';

/** Elements that are one record each. */
export const RECORD_ELEMENTS: ReadonlySet<string> = new Set([
  'PubmedArticle',
  'PubmedBookArticle',
  'DeleteCitation',
  'MedlineCitation',
  'article',
]);
/** Roots whose children are records. */
export const SET_ELEMENTS: ReadonlySet<string> = new Set([
  'PubmedArticleSet',
  'MedlineCitationSet',
  'PubmedBookArticleSet',
  'pmc-articleset',
]);

export type ScanEvent =
  | { type: 'root'; name: string; line: number; column: number }
  /** One child of the root (or the root itself when it is a record). `problem`: the scanner saw it broken. */
  | { type: 'record'; name: string; xml: string; line: number; column: number; problem?: RecordProblem }
  /** A record longer than `maxRecordChars`: skipped to its end without being held; its first characters. */
  | { type: 'oversized'; name: string; chars: number; excerpt: string; line: number; column: number }
  /** The file cannot be read further; always the last event. `partial`: the record it stopped inside. */
  | {
      type: 'fatal';
      code: ErrorCode;
      message: string;
      line: number;
      column: number;
      cause?: unknown;
      partial?: { name: string; xml: string; line: number; column: number };
    };

/**
 * A record longer than this is skipped to its end rather than buffered, and reported with an
 * excerpt (real ones are well under 2 MB; the articles topic takes 32 MiB). Bounds what one record
 * can cost in memory.
 */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;
/** Characters of a skipped record kept for its report. */
export const OVERSIZED_EXCERPT_CHARS = 64 * 1024;
const MAX_DOCTYPE_CHARS = 1024 * 1024;
/** Longer comments, CDATA sections or PIs are taken as unterminated; outside records, any markup. */
const MAX_MARKUP_CHARS = 4 * 1024 * 1024;
const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const REFERENCE = /&(?:#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][A-Za-z0-9._:-]*);/y;
const NAME = '[A-Za-z_:\\u00C0-\\uFFFF][\\w.:\\u00B7\\u00C0-\\uFFFF-]*';
const ELEMENT_NAME = new RegExp(`^${NAME}$`);
const ATTRIBUTES = new RegExp(`^(?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*\\s*$`);
const ATTRIBUTE_NAME = new RegExp(`(${NAME})\\s*=\\s*(?:"[^"]*"|'[^']*')`, 'g');

/** A well-formedness problem the scanner saw in a record, with its position in the file. */
export interface RecordProblem {
  message: string;
  line: number;
  column: number;
}

interface OpenRecord {
  name: string;
  start: number; // absolute char offset of its '<'
  depth: number; // stack length outside it
  line: number;
  column: number;
  problem?: RecordProblem;
  /** Set once the record outgrew the limit: only its beginning is kept, the rest is read past. */
  oversized?: { excerpt: string };
}

class Fatal {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly at: number,
    readonly cause?: unknown,
  ) {}
}

export async function* scanRecords(source: AsyncIterable<string>, options: { maxRecordChars?: number } = {}): AsyncGenerator<ScanEvent> {
  const maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const it = source[Symbol.asyncIterator]();
  let buf = '';
  let base = 0; // absolute offset of buf[0]
  let pos = 0; // next unread index in buf
  let eof = false;
  const stack: string[] = [];
  let rootSeen = false;
  let rootDone = false;
  let rec: OpenRecord | undefined;
  // line/column bookkeeping, advanced monotonically
  let lcAbs = 0;
  let lcLine = 1;
  let lcCol = 1;

  const locate = (abs: number): { line: number; column: number } => {
    if (abs < lcAbs) return { line: lcLine, column: lcCol };
    let i = lcAbs - base;
    const stop = abs - base;
    let lastNl = -1;
    for (;;) {
      const nl = buf.indexOf('\n', i);
      if (nl === -1 || nl >= stop) break;
      lcLine++;
      lastNl = nl;
      i = nl + 1;
    }
    lcCol = lastNl >= 0 ? stop - lastNl : lcCol + (stop - (lcAbs - base));
    lcAbs = abs;
    return { line: lcLine, column: lcCol };
  };

  const pull = async (): Promise<IteratorResult<string>> => {
    try {
      return await it.next();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new Fatal(
        typeof code === 'string' && code.startsWith('LITMINE_') ? (code as ErrorCode) : 'LITMINE_PARSE_XML',
        err instanceof Error ? err.message : String(err),
        base + buf.length,
        err,
      );
    }
  };

  const more = async (): Promise<boolean> => {
    if (eof) return false;
    const next = await pull();
    if (next.done) {
      eof = true;
      return false;
    }
    let added = next.value;
    // A large open record is re-copied on every append: read at least as much again as it holds
    // (gunzip hands out 16 KB pieces), so copying stays linear in the record size.
    const held = rec && !rec.oversized ? base + buf.length - rec.start : 0;
    if (held > 64 * 1024) {
      const parts = [added];
      let length = added.length;
      while (length < Math.min(held, maxRecordChars)) {
        const n = await pull();
        if (n.done) {
          eof = true;
          break;
        }
        parts.push(n.value);
        length += n.value.length;
      }
      added = parts.join('');
    }
    // Drop what is behind us, keeping the open record's text (all of it, unless it is oversized).
    const keep = rec && !rec.oversized ? rec.start - base : pos;
    // Outside records only one piece of markup is ever pending (a root start tag, a comment…).
    if (!rec && buf.length - pos > MAX_MARKUP_CHARS) {
      throw new Fatal('LITMINE_PARSE_XML', `markup longer than ${MAX_MARKUP_CHARS} characters outside any record`, base + pos);
    }
    locate(base + keep);
    buf = buf.slice(keep) + added;
    base += keep;
    pos -= keep;
    if (rec && !rec.oversized && base + buf.length - rec.start > maxRecordChars) {
      rec.oversized = { excerpt: buf.slice(rec.start - base, rec.start - base + OVERSIZED_EXCERPT_CHARS) };
    }
    return true;
  };

  const recordXml = (r: OpenRecord, endIndex: number) => buf.slice(r.start - base, endIndex);
  /** The event for a record that ended at `endIndex` (an index into buf). */
  const recordEvent = (r: OpenRecord, endIndex: number, problem = r.problem): ScanEvent =>
    r.oversized
      ? { type: 'oversized', name: r.name, chars: base + endIndex - r.start, excerpt: r.oversized.excerpt, line: r.line, column: r.column }
      : { type: 'record', name: r.name, xml: recordXml(r, endIndex), line: r.line, column: r.column, problem };
  // Well-formedness checks the record parser would otherwise have to make (see parseRecordXml):
  // every '&' starts a reference, attributes are name="value" pairs without '<'.
  let ampFrom = -1; // absolute: the search for '&' that started here…
  let ampAt = -1; // …found one here (absolute), or -1: none up to ampTo
  let ampTo = -1;
  const nextAmp = (fromAbs: number): number => {
    if (ampFrom !== -1 && ampFrom <= fromAbs && (ampAt === -1 ? ampTo === base + buf.length : ampAt >= fromAbs)) return ampAt;
    const i = buf.indexOf('&', fromAbs - base);
    ampFrom = fromAbs;
    ampAt = i === -1 ? -1 : i + base;
    ampTo = base + buf.length;
    return ampAt;
  };
  const checkReferences = (r: OpenRecord, from: number, to: number): void => {
    if (r.problem) return;
    for (let a = nextAmp(from + base); a !== -1 && a < to + base; a = nextAmp(REFERENCE.lastIndex + base)) {
      REFERENCE.lastIndex = a - base;
      if (!REFERENCE.test(buf) || REFERENCE.lastIndex > to) {
        flag(r, 'a bare "&" (not a character or entity reference)', a - base);
        return;
      }
    }
  };
  const checkAttributes = (r: OpenRecord, from: number, to: number): void => {
    if (r.problem || to <= from) return;
    const attrs = buf.slice(from, to);
    if (!ATTRIBUTES.test(attrs)) flag(r, 'malformed attributes', from);
    else if (attrs.indexOf('=') !== attrs.lastIndexOf('=') && hasDuplicate(attrs)) flag(r, 'an attribute given twice', from);
    else if (attrs.includes('&')) {
      for (let a = attrs.indexOf('&'); a !== -1; a = attrs.indexOf('&', REFERENCE.lastIndex)) {
        REFERENCE.lastIndex = a;
        if (!REFERENCE.test(attrs)) {
          flag(r, 'a bare "&" in an attribute value', from + a);
          return;
        }
      }
    }
  };
  /** Notes the first problem of a record; `at` is an index into buf. */
  const flag = (r: OpenRecord, message: string, at: number): void => {
    if (!r.problem) r.problem = { message, ...locate(at + base) };
  };

  try {
    for (;;) {
      const lt = buf.indexOf('<', pos);
      const textEnd = lt === -1 ? buf.length : lt;
      if (textEnd > pos && stack.length === 0) {
        const text = buf.slice(pos, textEnd);
        const nonSpace = text.search(/\S/);
        if (nonSpace >= 0) {
          const where = base + pos + nonSpace;
          throw new Fatal('LITMINE_PARSE_XML', rootDone ? 'text after the root element' : 'not XML: text before any root element', where);
        }
      }
      if (rec && !rec.oversized && lt !== -1 && lt > pos) checkReferences(rec, pos, lt);
      if (lt === -1) {
        // Inside a record the text stays unread until its end is in the buffer, so a reference
        // split across chunks ("&am" | "p;") is checked whole; an oversized record is not checked.
        if (!rec || rec.oversized) pos = buf.length;
        if (!(await more())) break;
        continue;
      }
      pos = lt;
      // Enough characters to tell the markup apart ("<![CDATA[" and "<!DOCTYPE" are 9 long).
      if (buf.length - lt < 9 && !eof) {
        if (await more()) continue;
      }
      const c1 = buf.charCodeAt(lt + 1);
      let end: number; // index just after the token, or -1 when it is not complete yet

      if (c1 === 63 /* ? */) {
        const close = buf.indexOf('?>', lt + 2);
        end = close === -1 ? -1 : close + 2;
      } else if (buf.startsWith('<!--', lt)) {
        const close = buf.indexOf('-->', lt + 4);
        end = close === -1 ? -1 : close + 3;
      } else if (buf.startsWith('<![CDATA[', lt)) {
        const close = buf.indexOf(']]>', lt + 9);
        end = close === -1 ? -1 : close + 3;
        if (end !== -1 && stack.length === 0) throw new Fatal('LITMINE_PARSE_XML', 'CDATA outside the root element', lt + base);
      } else if (buf.startsWith('<!DOCTYPE', lt)) {
        end = doctypeEnd(buf, lt);
        // Refuse entity declarations as soon as one is seen: an XML bomb never gets buffered whole.
        if (buf.indexOf('<!ENTITY', lt) !== -1 && (end === -1 || buf.indexOf('<!ENTITY', lt) < end)) {
          throw new Fatal('LITMINE_PARSE_ENTITY', 'the DOCTYPE declares entities; refused (litmine never expands DTD entities)', lt + base);
        }
        if (end === -1 && buf.length - lt > MAX_DOCTYPE_CHARS) {
          throw new Fatal('LITMINE_PARSE_XML', 'unterminated DOCTYPE', lt + base);
        }
        if (end !== -1) {
          if (rootSeen) throw new Fatal('LITMINE_PARSE_XML', 'DOCTYPE after the root element started', lt + base);
        }
      } else if (c1 === 33 /* ! */) {
        const close = buf.indexOf('>', lt + 2);
        end = close === -1 ? -1 : close + 1;
        if (end !== -1 || eof) {
          if (!rootSeen && /^<!(ENTITY|ELEMENT|ATTLIST|NOTATION)\b/.test(buf.slice(lt, lt + 12))) {
            throw new Fatal('LITMINE_PARSE_UNSUPPORTED', 'markup declarations outside a DOCTYPE: a DTD, not an XML document', lt + base);
          }
          if (!rec) throw new Fatal('LITMINE_PARSE_XML', `unexpected "${buf.slice(lt, lt + 10)}"`, lt + base);
          flag(rec, `unexpected "${buf.slice(lt, lt + 10)}"`, lt);
        }
      } else if (c1 === 47 /* / */) {
        const close = buf.indexOf('>', lt + 2);
        end = close === -1 ? -1 : close + 1;
        if (end !== -1) {
          const name = buf.slice(lt + 2, close).trimEnd();
          if (rec && !ELEMENT_NAME.test(name)) flag(rec, `a bad end tag "</${name}>"`, lt);
          const top = stack[stack.length - 1];
          if (top === undefined) throw new Fatal('LITMINE_PARSE_XML', `unexpected </${name}>`, lt + base);
          if (top === name) stack.pop();
          else {
            const problem = `</${name}> where </${top}> was expected`;
            if (!rec) throw new Fatal('LITMINE_PARSE_XML', problem, lt + base);
            flag(rec, problem, lt);
            // Recover: an end tag of something open closes everything inside it; a stray one is dropped.
            const at = stack.lastIndexOf(name);
            if (at >= 0) stack.length = at;
          }
          if (rec && stack.length <= rec.depth) {
            yield recordEvent(rec, end);
            rec = undefined;
          }
          if (stack.length === 0) rootDone = true;
        }
      } else if (NAME_START.test(buf[lt + 1] ?? '')) {
        end = startTagEnd(buf, lt);
        if (end === -2) {
          // '<' inside a tag: the tag is broken; let the record parser report exactly where.
          const problem = 'unterminated start tag';
          if (!rec) throw new Fatal('LITMINE_PARSE_XML', problem, lt + base);
          flag(rec, problem, lt);
          pos = lt + 1;
          continue;
        }
        if (end !== -1) {
          const selfClosing = buf.charCodeAt(end - 2) === 47; /* / */
          let nameEnd = lt + 1;
          for (let c = buf.charCodeAt(nameEnd); c !== 62 && c !== 47 && c !== 32 && c !== 10 && c !== 9 && c !== 13; ) {
            c = buf.charCodeAt(++nameEnd);
          }
          const name = buf.slice(lt + 1, nameEnd);
          if (stack.length === 0) {
            if (rootDone) throw new Fatal('LITMINE_PARSE_XML', `a second root element <${name}>`, lt + base);
            const isSet = SET_ELEMENTS.has(name);
            if (!isSet && !RECORD_ELEMENTS.has(name)) {
              throw new Fatal(
                'LITMINE_PARSE_UNSUPPORTED',
                `root element <${name}> is neither PubMed (PubmedArticleSet, MedlineCitationSet, PubmedArticle, …) nor JATS (article, pmc-articleset)`,
                lt + base,
              );
            }
            rootSeen = true;
            const at = locate(lt + base);
            yield { type: 'root', name, line: at.line, column: at.column };
            if (!isSet) rec = { name, start: lt + base, depth: 0, line: at.line, column: at.column };
          } else if (!rec && stack.length === 1) {
            // Every child of a set root is a record; an unknown one is reported by the caller.
            const at = locate(lt + base);
            rec = { name, start: lt + base, depth: 1, line: at.line, column: at.column };
          } else if (rec && name === rec.name && stack.length > rec.depth) {
            // The same record element again before the last one closed: the last one was cut short.
            yield recordEvent(
              rec,
              lt,
              rec.problem ?? { message: `<${rec.name}> not closed before the next <${name}>`, ...locate(lt + base) },
            );
            stack.length = rec.depth;
            const at = locate(lt + base);
            rec = { name, start: lt + base, depth: rec.depth, line: at.line, column: at.column };
          }
          if (rec) {
            if (!ELEMENT_NAME.test(name)) flag(rec, `a bad element name "${name}"`, lt);
            checkAttributes(rec, nameEnd, selfClosing ? end - 2 : end - 1);
          }
          if (!selfClosing) stack.push(name);
          else if (rec && stack.length <= rec.depth) {
            yield recordEvent(rec, end);
            rec = undefined;
          }
          if (stack.length === 0) rootDone = true;
        }
      } else {
        // A bare '<' in text.
        if (!rec) throw new Fatal('LITMINE_PARSE_XML', rootSeen ? 'a bare "<" in text' : 'not XML', lt + base);
        flag(rec, 'a bare "<" in text', lt);
        pos = lt + 1;
        continue;
      }

      if (end === -1) {
        // An unterminated comment, CDATA section or PI inside a record would swallow every record
        // after it: past a limit (or at the end of the file) it is reported and skipped instead.
        const skippable = rec !== undefined && (c1 === 63 /* ? */ || c1 === 33) /* ! */;
        if (!skippable || buf.length - lt <= MAX_MARKUP_CHARS) {
          if (await more()) continue;
          if (!skippable) throw new Fatal('LITMINE_PARSE_XML', 'the file ends inside markup', lt + base);
        }
        flag(rec as OpenRecord, `unterminated "${buf.slice(lt, lt + 9)}"`, lt);
        pos = lt + 1;
        continue;
      }
      pos = end;
    }
    if (!rootSeen) throw new Fatal('LITMINE_PARSE_XML', 'not XML: no root element', base + buf.length);
    if (stack.length > 0) {
      throw new Fatal('LITMINE_PARSE_XML', `the file ends inside <${stack[stack.length - 1]}> (truncated?)`, base + buf.length);
    }
  } catch (err) {
    if (!(err instanceof Fatal)) throw err;
    const at = locate(Math.max(err.at, lcAbs));
    const partial = rec
      ? { name: rec.name, xml: rec.oversized ? rec.oversized.excerpt : buf.slice(rec.start - base), line: rec.line, column: rec.column }
      : undefined;
    yield { type: 'fatal', code: err.code, message: err.message, line: at.line, column: at.column, cause: err.cause, partial };
  }
}

function hasDuplicate(attrs: string): boolean {
  const seen = new Set<string>();
  for (const m of attrs.matchAll(ATTRIBUTE_NAME)) {
    const name = m[1] as string;
    if (seen.has(name)) return true;
    seen.add(name);
  }
  return false;
}

/** Index after the '>' closing a start tag at `lt`, -1 when not in the buffer yet, -2 when broken. */
function startTagEnd(buf: string, lt: number): number {
  for (let j = lt + 1; j < buf.length; j++) {
    const c = buf.charCodeAt(j);
    if (c === 62 /* > */) return j + 1;
    if (c === 34 /* " */ || c === 39 /* ' */) {
      // Attribute values may hold '>' but never '<': a '<' first means the quote is unbalanced, and
      // the tag is reported as broken rather than swallowing the following records.
      const close = buf.indexOf(c === 34 ? '"' : "'", j + 1);
      const nextLt = buf.indexOf('<', j + 1);
      if (nextLt !== -1 && (close === -1 || nextLt < close)) return -2;
      if (close === -1) return -1;
      j = close;
    } else if (c === 60 /* < */) return -2;
  }
  return -1;
}

/** Index after a DOCTYPE declaration at `lt`, skipping quoted ids and the internal subset. */
function doctypeEnd(buf: string, lt: number): number {
  let inSubset = false;
  for (let j = lt + 9; j < buf.length; j++) {
    const c = buf.charCodeAt(j);
    if (c === 34 || c === 39) {
      const close = buf.indexOf(c === 34 ? '"' : "'", j + 1);
      if (close === -1) return -1;
      j = close;
    } else if (c === 91 /* [ */) inSubset = true;
    else if (c === 93 /* ] */) inSubset = false;
    else if (c === 62 /* > */ && !inSubset) return j + 1;
  }
  return -1;
}
