/**
 * Decodes character and entity references in XML text: the five XML entities, numeric references
 * and the HTML/ISO named set (no DTD is ever read, so nothing else can be declared). Used on every
 * text node and attribute value the record parsers read. Named references come from the `entities`
 * package (the WHATWG list, which JATS's ISO sets are part of); numeric ones are decoded here because
 * HTML's rules remap some (`&#150;` → en dash, the Windows-1252 C1 table) where XML's do not.
 *
 *   decodeEntities('P &lt; 0.01 &#x3b1; &minus;1') → 'P < 0.01 α −1'
 */
import { decodeHTMLStrict } from 'entities';

const REFERENCE = /&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9._-]*);/g;

export function decodeEntities(text: string): string {
  // Most text nodes carry no reference; skipping the regex keeps the hot path cheap.
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, ref: string) => {
    if (ref.charCodeAt(0) === 35 /* # */) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      // A reference to a code point XML forbids is left as written rather than guessed at.
      if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) return whole;
      return String.fromCodePoint(code);
    }
    // Strict: only a whole `&name;` is decoded; an undeclared name stays literally in the text
    // (dropping it would lose characters).
    return decodeHTMLStrict(whole);
  });
}
