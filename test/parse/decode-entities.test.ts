// Entity decoding keeps XML's rules while the named set comes from the `entities` package: numeric
// references are not remapped the HTML way, unknown names stay in the text, a name needs its `;`.
import test from 'ava';
import { decodeEntities } from '../../src/parse/decode-entities.js';

test('XML, named (HTML/ISO) and numeric references decode', (t) => {
  t.is(decodeEntities('P &lt; 0.01 &#x3b1; &minus;1 &amp; 5&thinsp;mg &apos;x&quot;'), 'P < 0.01 α −1 & 5\u2009mg \'x"');
  t.is(decodeEntities('&Afr; &#128512;'), '\u{1d504} \u{1f600}');
});

test('numeric references follow XML, not HTML: no Windows-1252 remapping, forbidden code points stay', (t) => {
  t.is(decodeEntities('a&#150;b'), 'a\u0096b');
  t.is(decodeEntities('&#0; &#xD800; &#x110000;'), '&#0; &#xD800; &#x110000;');
});

test('undeclared names and references without a semicolon stay as written', (t) => {
  t.is(decodeEntities('&foo; &amp &notit; AT&T'), '&foo; &amp &notit; AT&T');
});
