/**
 * Parses the XML of one record (a `<PubmedArticle>`, `<article>`, … cut out of its file by the
 * record scanner) into an XmlElement tree with fast-xml-parser, after checking it is well formed.
 * A malformed record throws a RecordXmlError carrying the line:column inside the record.
 *
 *   parseRecordXml('<PMID Version="2">123</PMID>') → { name: 'PMID', attrs: { Version: '2' }, children: ['123'] }
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LitmineError } from '../errors.js';
import { decodeEntities } from './decode-entities.js';
import type { XmlChild, XmlElement } from './xml-element.js';

/** A well-formedness problem inside one record; line and column are 1-based within the record. */
export class RecordXmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'RecordXmlError';
  }
}

// Entities are decoded by decodeEntities (XML, numeric, HTML names) rather than by the parser, so no
// DTD-declared entity can ever be expanded; values stay strings; whitespace inside text is kept.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  maxNestedTags: 1000,
  jPath: false,
});

type FxpNode = Record<string, unknown>;

/**
 * `validate: false` skips fast-xml-parser's validator (a second full pass) for records the
 * streaming scanner has already checked: it tracks tag nesting, references and attribute syntax.
 */
export function parseRecordXml(xml: string, options: { validate?: boolean } = {}): XmlElement {
  if (options.validate !== false) {
    const verdict = XMLValidator.validate(xml, { allowBooleanAttributes: false });
    if (verdict !== true) throw new RecordXmlError(verdict.err.msg, verdict.err.line, verdict.err.col);
  }
  let nodes: FxpNode[];
  try {
    nodes = parser.parse(xml) as FxpNode[];
  } catch (err) {
    throw new RecordXmlError(err instanceof Error ? err.message : String(err), 1, 1);
  }
  const roots = convert(nodes).filter((c): c is XmlElement => typeof c !== 'string');
  if (roots.length !== 1) throw new RecordXmlError(`expected one root element, found ${roots.length}`, 1, 1);
  return roots[0] as XmlElement;
}

function convert(nodes: FxpNode[]): XmlChild[] {
  const out: XmlChild[] = [];
  for (const node of nodes) {
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') {
        pushText(out, decodeEntities(String(value)));
      } else if (key === '#cdata') {
        // CDATA content is literal: no entity decoding.
        for (const part of value as FxpNode[]) pushText(out, String(part['#text'] ?? ''));
      } else if (key.charCodeAt(0) === 63 /* ? */) {
        // processing instruction inside the record (e.g. <?properties open_access?>): not text
      } else {
        const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
        // A null prototype: attribute names come from the input and must not reach Object.prototype.
        const attrs: Record<string, string> = Object.create(null);
        for (const name of Object.keys(rawAttrs)) attrs[name] = decodeEntities(String(rawAttrs[name]));
        out.push({ name: key, attrs, children: convert(value as FxpNode[]) });
      }
    }
  }
  return out;
}

// Adjacent text runs (text, CDATA, text around a dropped comment) are merged so an element with
// plain text has exactly one string child.
function pushText(out: XmlChild[], text: string): void {
  if (text === '') return;
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + text;
  else out.push(text);
}

/**
 * What the record mappers take: an element already parsed, or one record's XML, parsed here with a
 * malformed record reported as LITMINE_PARSE_XML with its line and column.
 */
export function recordElement(input: XmlElement | string): XmlElement {
  if (typeof input !== 'string') return input;
  try {
    return parseRecordXml(input);
  } catch (err) {
    if (err instanceof RecordXmlError) {
      throw new LitmineError('LITMINE_PARSE_XML', `malformed XML at ${err.line}:${err.column}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
