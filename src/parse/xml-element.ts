/**
 * A small element tree for one parsed record, and the accessors the PubMed and JATS mappers use.
 * Text is already entity-decoded (CDATA kept verbatim), comments and processing instructions are
 * gone, and mixed content keeps its order, so textContent() is the XML text content exactly.
 *
 *   const title = firstChild(citation, 'Article', 'ArticleTitle'); textContent(title) → 'α-Synuclein …'
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlChild[];
}

export type XmlChild = XmlElement | string;

export function isElement(node: XmlChild | undefined): node is XmlElement {
  return typeof node === 'object' && node !== null;
}

/** Child elements, optionally only those with the given name. */
export function childElements(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  const out: XmlElement[] = [];
  for (const c of el.children) if (isElement(c) && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** Follows a path of child names; the first match at each step. */
export function firstChild(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) {
    if (!cur) return undefined;
    let next: XmlElement | undefined;
    for (const c of cur.children) {
      if (isElement(c) && c.name === name) {
        next = c;
        break;
      }
    }
    cur = next;
  }
  return cur;
}

/** All descendants with the given name, in document order (not descending into matches). */
export function descendants(el: XmlElement | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  for (const c of el.children) {
    if (!isElement(c)) continue;
    if (c.name === name) out.push(c);
    else descendants(c, name, out);
  }
  return out;
}

/** The concatenation of every descendant text node: the XML "text content" of the element. */
export function textContent(el: XmlChild | undefined): string {
  if (el === undefined) return '';
  if (!isElement(el)) return el;
  if (el.children.length === 1 && !isElement(el.children[0])) return el.children[0] as string;
  const parts: string[] = [];
  collectText(el, parts);
  return parts.join('');
}

function collectText(el: XmlElement, parts: string[]): void {
  for (const c of el.children) {
    if (isElement(c)) collectText(c, parts);
    else parts.push(c);
  }
}

/**
 * The whitespace policy of every metadata field (title, journal, names, affiliations, keywords,
 * MeSH, ids, labels): runs of whitespace, pretty-printing included, become one space, ends trimmed.
 * Passage texts never go through it: mention offsets index into them as parsed.
 */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Text content under the metadata whitespace policy (normaliseSpace): for names, ids and labels. */
export function cleanText(el: XmlChild | undefined): string {
  return normaliseSpace(textContent(el));
}

/** Trimmed text of the first child on the path, or undefined when absent or blank. */
export function childText(el: XmlElement | undefined, ...path: string[]): string | undefined {
  const found = firstChild(el, ...path);
  if (!found) return undefined;
  const text = cleanText(found);
  return text === '' ? undefined : text;
}

export function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs[name];
}
