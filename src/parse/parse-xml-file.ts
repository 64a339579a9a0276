/**
 * Streams a PubMed or PMC XML file (plain or gzipped; efetch answer, baseline or update file, .nxml)
 * as ParsedRecords with bounded memory: bytes → text (decodeXmlText) → one record's XML at a time
 * (scanRecords) → Article / ArticleDelete (pubmedArticle, pubmedDeletes, jatsArticle). Never throws:
 * bad records and file errors come out as `{ kind: 'error' }`, a file error always last.
 *
 *   for await (const r of parseXmlFile('pubmed26n1335.xml.gz')) if (r.kind === 'article') send(r.article);
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { asLitmineError, type ErrorCode, LitmineError } from '../errors.js';
import { type DecodeCounts, decodeXmlText } from './decode-xml-text.js';
import { jatsArticle } from './jats-article.js';
import type { ParsedRecord } from './parsed-record.js';
import { dropControlCharacters } from './control-characters.js';
import { parseRecordXml, RecordXmlError } from './parse-record-xml.js';
import { pubmedArticle } from './pubmed-article.js';
import { pubmedDeletes } from './pubmed-deletes.js';
import { MAX_RECORD_CHARS, type ScanEvent, scanRecords } from './scan-records.js';

/** Raw XML kept on an error record is cut to this many characters. */
const MAX_RAW_CHARS = 1024 * 1024;

export function parseXmlFile(path: string): AsyncIterable<ParsedRecord> {
  return parseXmlStream(fileBytes(path), path);
}

async function* fileBytes(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${path}: ${(err as Error).message}`, { cause: err });
    }
    throw err;
  } finally {
    stream.destroy();
  }
}

export async function* parseXmlStream(input: Readable | AsyncIterable<Buffer | string>, name: string): AsyncGenerator<ParsedRecord> {
  let index = 0;
  let last: { line: number; column: number; label: string } | undefined;
  const counts: DecodeCounts = { invalidUtf8: 0 };
  try {
    for await (const ev of scanRecords(decodeXmlText(input as AsyncIterable<Buffer | string>, name, counts))) {
      if (ev.type === 'root') continue;
      if (ev.type === 'fatal') {
        yield { kind: 'error', index, file: name, error: fatalError(ev, name, index, last), ...rawOf(ev.partial?.xml) };
        return;
      }
      if (ev.type === 'oversized') {
        const label = recordLabel(ev.name, ev.excerpt);
        const message =
          `${name}: record ${index} (${label}) at ${ev.line}:${ev.column}: ${ev.chars} characters, over the limit of ${MAX_RECORD_CHARS}; ` +
          `skipped (the dead letter holds its first ${ev.excerpt.length} characters)`;
        yield { kind: 'error', index, error: new LitmineError('LITMINE_RECORD_TOO_LARGE', message), raw: ev.excerpt };
        index++;
        last = { line: ev.line, column: ev.column, label };
        continue;
      }
      const label = recordLabel(ev.name, ev.xml);
      // Only once the decoder has replaced bad bytes are records searched for U+FFFD (clean files pay nothing).
      const replaced = counts.invalidUtf8 > 0 ? replacementChars(ev.xml) : 0;
      for (const record of recordsOf(ev, name, index, label)) {
        if (replaced > 0 && record.kind === 'article') record.replacementChars = replaced;
        const dropped = record.kind === 'article' ? dropControlCharacters(record.article) : 0;
        if (dropped > 0 && record.kind === 'article') record.controlChars = dropped;
        yield record.kind === 'error' ? { ...record, file: name } : record;
        index++;
      }
      last = { line: ev.line, column: ev.column, label };
    }
  } catch (err) {
    // Nothing should get here; if something does, the consumer still gets a last error, not a throw.
    yield {
      kind: 'error',
      index,
      file: name,
      error: asLitmineError(err, 'LITMINE_INTERNAL'),
    };
  }
}

function recordsOf(ev: Extract<ScanEvent, { type: 'record' }>, file: string, index: number, label: string): ParsedRecord[] {
  const where = (line: number, column: number) => `${file}: record ${index} (${label}) at ${line}:${column}`;
  let el: ReturnType<typeof parseRecordXml>;
  try {
    // The scanner checked the record; only a broken one goes through the validator, for its message.
    el = parseRecordXml(ev.xml, { validate: ev.problem !== undefined });
  } catch (err) {
    if (!(err instanceof RecordXmlError)) throw err;
    // Positions inside the record → positions in the file.
    const toFile = (l: number, c: number) => ({ line: ev.line + l - 1, column: l === 1 ? ev.column + c - 1 : c });
    const at = toFile(err.line, err.column);
    // The validator's messages quote record-relative positions too ("opened in line 3, col 109").
    const message = err.message.replace(/line (\d+), col (\d+)/g, (_, l: string, c: string) => {
      const p = toFile(Number(l), Number(c));
      return `line ${p.line}, col ${p.column}`;
    });
    return [errorRecord('LITMINE_PARSE_XML', `${where(at.line, at.column)}: malformed XML: ${message}`, index, ev.xml, err)];
  }
  if (ev.problem) {
    // The scanner saw the record broken where the validator did not (a record cut short by the next one).
    const p = ev.problem;
    return [errorRecord('LITMINE_PARSE_XML', `${where(p.line, p.column)}: malformed XML: ${p.message}`, index, ev.xml)];
  }
  try {
    const origin = { file, index };
    switch (el.name) {
      case 'PubmedArticle':
      case 'PubmedBookArticle':
      case 'MedlineCitation':
        return [{ kind: 'article', article: pubmedArticle(el, origin), index }];
      case 'article':
        return [{ kind: 'article', article: jatsArticle(el, origin), index }];
      case 'DeleteCitation':
        return pubmedDeletes(el, origin).map((d, i) => ({ kind: 'delete', delete: d, index: index + i }));
      default:
        return [
          errorRecord(
            'LITMINE_PARSE_UNSUPPORTED',
            `${where(ev.line, ev.column)}: <${el.name}> is not a PubMed or JATS record`,
            index,
            ev.xml,
          ),
        ];
    }
  } catch (err) {
    const e = asLitmineError(err, 'LITMINE_PARSE_XML');
    return [errorRecord(e.code, `${where(ev.line, ev.column)}: ${e.message}`, index, ev.xml, err)];
  }
}

function replacementChars(xml: string): number {
  let n = 0;
  for (let i = xml.indexOf('\uFFFD'); i >= 0; i = xml.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

function errorRecord(code: ErrorCode, message: string, index: number, raw: string | undefined, cause?: unknown): ParsedRecord {
  return { kind: 'error', index, error: new LitmineError(code, message, { cause }), ...rawOf(raw) };
}

function rawOf(raw: string | undefined): { raw?: string } {
  if (raw === undefined) return {};
  return { raw: raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw };
}

function fatalError(
  ev: Extract<ScanEvent, { type: 'fatal' }>,
  file: string,
  index: number,
  last: { line: number; column: number; label: string } | undefined,
): LitmineError {
  const context = ev.partial
    ? ` inside record ${index} (${recordLabel(ev.partial.name, ev.partial.xml)}) that starts at ${ev.partial.line}:${ev.partial.column}`
    : last
      ? ` after record ${index - 1} (${last.label})`
      : '';
  // A gzip error already names the file and the byte offset.
  const message = ev.message.startsWith(`${file}:`) ? ev.message.slice(file.length + 1).trim() : ev.message;
  return new LitmineError(ev.code, `${file}: at ${ev.line}:${ev.column}${context}: ${message}`, { cause: ev.cause });
}

/** "PMID 123", "PMCID PMC45", "DOI …" or the element name: for error messages, from the raw XML. */
function recordLabel(name: string, xml: string): string {
  const head = xml.slice(0, 20000);
  const pmid = /<PMID\b[^>]*>\s*(\d+)/.exec(head)?.[1] ?? /<article-id\s+pub-id-type="pmid"\s*>\s*(\d+)/.exec(head)?.[1];
  if (pmid) return `<${name}> PMID ${pmid}`;
  const pmcid = /<article-id\s+pub-id-type="pmcid?"\s*>\s*(?:PMC)?(\d+)/.exec(head)?.[1];
  if (pmcid) return `<${name}> PMCID PMC${pmcid}`;
  const doi = /<article-id\s+pub-id-type="doi"\s*>\s*([^<\s]+)/.exec(head)?.[1];
  if (doi) return `<${name}> DOI ${doi}`;
  return `<${name}>`;
}
