/**
 * BioC and PubTator interchange: the readers against the BioC examples in ../shared/data/bioc (the
 * conformance collection in XML and JSON, PubTator's BioC-JSON answers, the tmVar PubTator corpus),
 * writers round-tripped through them, and `litmine export` of normalized annotations read back with
 * the same offsets, types and identifiers in all three formats.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { defaultConfig } from '../../src/config/config-schema.js';
import { readBiocJson, writeBiocJson } from '../../src/interchange/bioc-json.js';
import { readBiocXml, writeBiocXml } from '../../src/interchange/bioc-xml.js';
import { writeExport } from '../../src/interchange/export-documents.js';
import { readPubtatorDocuments, writePubtatorDocument } from '../../src/interchange/pubtator.js';
import { openEmbeddedLog } from '../../src/log/embedded-log.js';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { recordMessage } from '../../src/records/encode.js';
import { annotateArticles } from '../../src/stages/annotate-articles.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { topicSpecs } from '../../topologies/topics.js';
import { sharedPath, sharedTest } from '../helpers/shared-data.js';
import { litmine } from '../pipeline/cli-io.js';
import { article } from '../topologies/articles.js';
import { DictionaryAnnotator } from '../topologies/dictionary-annotator.js';

sharedTest('the BioC conformance collection reads the same from XML and JSON, and both writers round-trip it', (t) => {
  const dir = sharedPath('bioc', 'bionlplab-format-examples');
  const fromXml = readBiocXml(readFileSync(join(dir, 'everything.xml'), 'utf8'));
  const fromJson = readBiocJson(readFileSync(join(dir, 'everything.json'), 'utf8'));
  t.deepEqual(fromXml, fromJson);
  t.is(fromXml.documents[1]!.passages[0]!.sentences[1]!.annotations[0]!.text, '测试');
  t.deepEqual(fromXml.documents[0]!.relations[0]!.nodes, [
    { refid: '1', role: 'role1' },
    { refid: '2', role: 'role2' },
  ]);
  t.deepEqual(readBiocXml(writeBiocXml(fromXml)), fromXml);
  t.deepEqual(readBiocJson(writeBiocJson(fromJson)), fromJson);
});

sharedTest("PubTator's BioC-JSON documents: every annotation's text is at its location, and the XML writer keeps them", (t) => {
  const dir = sharedPath('bioc', 'pubtator-biocjson-factoid');
  let annotations = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const c = readBiocJson(readFileSync(join(dir, f), 'utf8'), f);
    for (const p of c.documents[0]!.passages)
      for (const a of p.annotations) {
        const l = a.locations[0]!;
        t.is(p.text!.slice(l.offset - p.offset, l.offset - p.offset + l.length), a.text, `${f} annotation ${a.id}`);
        annotations++;
      }
    t.deepEqual(readBiocXml(writeBiocXml(c)), c);
  }
  t.is(annotations, 170);
});

sharedTest('the tmVar PubTator corpus reads and writes back line for line', (t) => {
  const text = readFileSync(sharedPath('bioc', 'tmvar-pubtator', 'tmVar.Normalization.txt'), 'utf8');
  const docs = readPubtatorDocuments(text);
  t.is(docs.length, 158);
  for (const d of docs)
    for (const a of d.annotations) t.is(`${d.title} ${d.abstract}`.slice(a.start, a.end), a.text, `${d.pmid} ${a.start}`);
  t.deepEqual(readPubtatorDocuments(docs.map(writePubtatorDocument).join('\n')), docs);
});

test('litmine export writes normalized annotations that read back identically in BioC JSON, BioC XML and PubTator', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'litmine-export-'));
  writeFileSync(
    join(dataDir, 'mesh_id_label_mappings.tsv'),
    'D002945\tCisplatin\tcis-Platinum\tD01.210.375\t\nD058186\tAcute Kidney Injury\tNephrotoxicity\tC12.050.351\t\n',
  );
  const dictFile = join(dataDir, 'vocab', 'dictionary.sqlite');
  await buildDictionary({ from: [join(dataDir, 'mesh_id_label_mappings.tsv')], out: dictFile });
  const base = new DictionaryAnnotator();
  const annotator = Object.assign(Object.create(Object.getPrototypeOf(base)), base, {
    normalizer: new Normalizer(Dictionary.open(dictFile), DEFAULT_WEIGHTS),
  });
  const articles = [
    article('9101', 'Cisplatin caused nephrotoxicity in rats.'),
    article('9102', 'No effect of aspirin on asthma; cisplatin again.'),
  ];
  const annotations = await annotateArticles(articles, annotator);
  const log = openEmbeddedLog(join(dataDir, 'log.sqlite'));
  await log.ensureTopics(topicSpecs(defaultConfig));
  await log.produce([
    ...articles.map((a) => recordMessage(defaultConfig.topics.articles, a.id, a)),
    ...annotations.map((a) => recordMessage(defaultConfig.topics.annotations, a.documentId, a)),
  ]);
  await log.close();

  const expected = annotations.map((a, i) => {
    const title = articles[i]!.passages[0]!.text;
    return a.mentions.map((m) => [m.passageId === 'title' ? m.start : title.length + 1 + m.start, m.text, m.type, m.ids?.[0]?.id ?? null]);
  });
  for (const format of ['biocjson', 'biocxml', 'pubtator']) {
    const r = await litmine('export', '--format', format, '--ids', '9101,9102', '--data-dir', dataDir);
    t.is(r.code, 0, r.err);
    t.regex(r.err, /2 document\(s\), \d+ annotation\(s\)/);
    const got =
      format === 'pubtator'
        ? readPubtatorDocuments(r.out).map((d) => d.annotations.map((a) => [a.start, a.text, a.type, a.ids[0] ?? null]))
        : (format === 'biocjson' ? readBiocJson(r.out) : readBiocXml(r.out)).documents.map((d) =>
            d.passages.flatMap((p) =>
              p.annotations.map((a) => [a.locations[0]!.offset, a.text, a.infons.type, a.infons.identifier ?? null]),
            ),
          );
    t.deepEqual(got, expected, format);
  }
  t.true(expected[0]!.some((m) => m[3] === 'MESH:D002945'));
});

test('PubTator keeps offsets over passages with runs of line breaks and tabs: each is one space', (t) => {
  const text = 'Auxin\n\n\nflux in\r\n\troots; auxin again.';
  const a = article('9201', text);
  const at = text.lastIndexOf('auxin');
  const mentions = [
    { id: 'm1', passageId: 'abstract.0', start: 0, end: 5, text: 'Auxin', type: 'Chemical', score: 1 },
    { id: 'm2', passageId: 'abstract.0', start: 0, end: 13, text: text.slice(0, 13), type: 'Chemical', score: 1 },
    { id: 'm3', passageId: 'abstract.0', start: at, end: at + 5, text: 'auxin', type: 'Chemical', score: 1 },
  ];
  const [doc] = readPubtatorDocuments(writeExport('pubtator', [{ article: a, annotation: { mentions, relations: [] } }]).text);
  const written = `${doc!.title} ${doc!.abstract}`;
  t.is(written.length, a.passages[0]!.text.length + 1 + text.length);
  t.deepEqual(
    doc!.annotations.map((m) => written.slice(m.start, m.end)),
    ['Auxin', 'Auxin   flux ', 'auxin'],
  );
  t.deepEqual(
    doc!.annotations.map((m) => m.text),
    ['Auxin', 'Auxin   flux ', 'auxin'],
  );
});
