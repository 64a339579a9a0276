/**
 * The text of a JATS element with its block structure kept: XML text content, except that a "\n"
 * goes where a block-level element (paragraph, caption title, list item, display formula, label, …)
 * starts or ends between two non-whitespace characters, so words of adjacent blocks never glue.
 * Inline markup (italic, sup, sub, xref, …) adds nothing. Used by jatsArticle for every passage.
 *
 *   blockText(<caption><title>Model.</title><p>(A) Runs</p></caption>) → 'Model.\n(A) Runs'
 */
import { isElement, type XmlElement } from './xml-element.js';

/** Elements that are blocks of their own in JATS 1.3 (tag library "block" and structural elements). */
export const JATS_BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  'abstract',
  'address',
  'answer',
  'array',
  'attrib',
  'boxed-text',
  'break',
  'caption',
  'chem-struct-wrap',
  'def',
  'def-item',
  'def-list',
  'disp-formula',
  'disp-formula-group',
  'disp-quote',
  'explanation',
  'fig',
  'fig-group',
  'fn',
  'graphic',
  'label',
  'list',
  'list-item',
  'media',
  'p',
  'preformat',
  'question',
  'sec',
  'speaker',
  'speech',
  'statement',
  'supplementary-material',
  'table-wrap',
  'table-wrap-group',
  'term',
  'title',
  'verse-group',
  'verse-line',
]);

/** The separator put between two blocks whose texts would otherwise touch. */
export const BLOCK_SEPARATOR = '\n';

/**
 * `drop` names elements left out entirely (floats inside a paragraph); a dropped element still
 * counts as a block boundary, since the text on either side of it belongs to different sentences.
 */
export function blockText(el: XmlElement, drop?: ReadonlySet<string>): string {
  const parts: string[] = [];
  let boundary = false;
  let lastChar = '';
  const visit = (node: XmlElement): void => {
    for (const c of node.children) {
      if (!isElement(c)) {
        if (c === '') continue;
        if (boundary && lastChar !== '' && !/\s/.test(lastChar) && !/\s/.test(c[0] as string)) parts.push(BLOCK_SEPARATOR);
        boundary = false;
        parts.push(c);
        lastChar = c[c.length - 1] as string;
      } else if (drop?.has(c.name)) {
        boundary = true;
      } else if (JATS_BLOCK_ELEMENTS.has(c.name)) {
        boundary = true;
        visit(c);
        boundary = true;
      } else {
        visit(c);
      }
    }
  };
  visit(el);
  return parts.join('');
}
