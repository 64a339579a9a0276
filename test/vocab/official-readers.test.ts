/**
 * The official vocabulary formats, each recognised by name and content and read into one dictionary:
 * NLM MeSH descriptor and supplementary XML, NCBI gene_info, HGNC's complete set, NCBI Taxonomy
 * names.dmp. The files are small ones written here in those formats.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { exactKey } from '../../src/norm/normalize-string.js';
import { Normalizer } from '../../src/norm/normalizer.js';
import { DEFAULT_WEIGHTS } from '../../src/norm/ranker.js';
import { buildDictionary } from '../../src/vocab/build-dictionary.js';
import { Dictionary } from '../../src/vocab/dictionary.js';
import { TYPE } from '../../src/vocab/vocab-concept.js';

const DESC = `<?xml version="1.0"?>
<!DOCTYPE DescriptorRecordSet SYSTEM "desc2025.dtd">
<DescriptorRecordSet LanguageCode="eng">
<DescriptorRecord DescriptorClass="1">
  <DescriptorUI>D002945</DescriptorUI>
  <DescriptorName><String>Cisplatin</String></DescriptorName>
  <DateCreated><Year>1974</Year><Month>01</Month><Day>01</Day></DateCreated>
  <TreeNumberList><TreeNumber>D01.210.375</TreeNumber><TreeNumber>D01.625.125</TreeNumber></TreeNumberList>
  <ConceptList>
    <Concept PreferredConceptYN="Y"><ConceptUI>M0004253</ConceptUI><ConceptName><String>Cisplatin</String></ConceptName>
      <TermList>
        <Term ConceptPreferredTermYN="Y"><TermUI>T007582</TermUI><String>Cisplatin</String></Term>
        <Term ConceptPreferredTermYN="N"><TermUI>T007581</TermUI><String>cis-Platinum</String></Term>
        <Term ConceptPreferredTermYN="N"><TermUI>T007580</TermUI><String>Platinum Diamminodichloride</String></Term>
      </TermList>
    </Concept>
  </ConceptList>
</DescriptorRecord>
<DescriptorRecord DescriptorClass="1">
  <DescriptorUI>D001943</DescriptorUI>
  <DescriptorName><String>Breast Neoplasms</String></DescriptorName>
  <TreeNumberList><TreeNumber>C04.588.180</TreeNumber><TreeNumber>C17.800.090.500</TreeNumber></TreeNumberList>
  <ConceptList>
    <Concept PreferredConceptYN="Y"><ConceptUI>M0002722</ConceptUI>
      <TermList>
        <Term><TermUI>T005033</TermUI><String>Breast Neoplasms</String></Term>
        <Term><TermUI>T005034</TermUI><String>Breast Tumors</String></Term>
        <Term><TermUI>T005035</TermUI><String>Cancer of Breast</String></Term>
      </TermList>
    </Concept>
  </ConceptList>
</DescriptorRecord>
</DescriptorRecordSet>
`;

const SUPP = `<?xml version="1.0"?>
<SupplementalRecordSet LanguageCode="eng">
<SupplementalRecord SCRClass="1">
  <SupplementalRecordUI>C000123</SupplementalRecordUI>
  <SupplementalRecordName><String>platinol-AQ</String></SupplementalRecordName>
  <HeadingMappedToList><HeadingMappedTo><DescriptorReferredTo><DescriptorUI>*D002945</DescriptorUI><DescriptorName><String>Cisplatin</String></DescriptorName></DescriptorReferredTo></HeadingMappedTo></HeadingMappedToList>
  <ConceptList><Concept><TermList><Term><String>platinol-AQ</String></Term><Term><String>platinol AQ injection</String></Term></TermList></Concept></ConceptList>
</SupplementalRecord>
<SupplementalRecord SCRClass="3">
  <SupplementalRecordUI>C535000</SupplementalRecordUI>
  <SupplementalRecordName><String>Familial Breast Cancer Syndrome X</String></SupplementalRecordName>
  <HeadingMappedToList><HeadingMappedTo><DescriptorReferredTo><DescriptorUI>*D001943</DescriptorUI></DescriptorReferredTo></HeadingMappedTo></HeadingMappedToList>
  <ConceptList><Concept><TermList><Term><String>Familial Breast Cancer Syndrome X</String></Term></TermList></Concept></ConceptList>
</SupplementalRecord>
</SupplementalRecordSet>
`;

const GENE_INFO = [
  '#tax_id\tGeneID\tSymbol\tLocusTag\tSynonyms\tdbXrefs\tchromosome\tmap_location\tdescription\ttype_of_gene\tSymbol_from_nomenclature_authority\tFull_name_from_nomenclature_authority\tNomenclature_status\tOther_designations\tModification_date\tFeature_type',
  '9606\t7157\tTP53\t-\tBCC7|LFS1|P53|TRP53\tMIM:191170|HGNC:HGNC:11998\t17\t17p13.1\ttumor protein p53\tprotein-coding\tTP53\ttumor protein p53\tO\tcellular tumor antigen p53\t20250105\t-',
  '10090\t22059\tTrp53\t-\tp53|bbl\tMGI:MGI:98834\t11\t11 B3\ttransformation related protein 53\tprotein-coding\tTrp53\ttransformation related protein 53\tO\t-\t20250101\t-',
].join('\n');

const HGNC = [
  'hgnc_id\tsymbol\tname\tlocus_group\tlocus_type\tstatus\tlocation\talias_symbol\talias_name\tprev_symbol\tprev_name\tentrez_id',
  'HGNC:1100\tBRCA1\tBRCA1 DNA repair associated\tprotein-coding gene\tgene with protein product\tApproved\t17q21.31\tRNF53|BRCC1\t\t\t"breast cancer 1, early onset"\t672',
  'HGNC:9999\tOLD1\twithdrawn gene\t\t\tEntry Withdrawn\t\t\t\t\t\t9999999',
].join('\n');

const NAMES_DMP = [
  '9606\t|\tHomo sapiens\t|\t\t|\tscientific name\t|',
  '9606\t|\thuman\t|\t\t|\tgenbank common name\t|',
  '9606\t|\tLinnaeus, 1758\t|\t\t|\tauthority\t|',
  '10090\t|\tMus musculus\t|\t\t|\tscientific name\t|',
  '10090\t|\thouse mouse\t|\t\t|\tgenbank common name\t|',
].join('\n');

async function build() {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-vocab-'));
  const from = join(dir, 'downloads');
  mkdirSync(join(from, 'mesh'), { recursive: true });
  writeFileSync(join(from, 'mesh', 'desc2025.xml'), DESC);
  writeFileSync(join(from, 'mesh', 'supp2025.xml.gz'), gzipSync(SUPP));
  writeFileSync(join(from, 'Homo_sapiens.gene_info.gz'), gzipSync(GENE_INFO));
  writeFileSync(join(from, 'hgnc_complete_set.txt'), HGNC);
  writeFileSync(join(from, 'names.dmp'), NAMES_DMP);
  writeFileSync(join(from, 'README.txt'), 'not a vocabulary\n');
  const out = join(dir, 'dictionary.sqlite');
  const summary = await buildDictionary({ from: [from], out });
  return { summary, dict: Dictionary.open(out) };
}

test('each official file is recognised by name and content, and the sources record readers and versions', async (t) => {
  const { summary, dict } = await build();
  t.deepEqual(summary.files.map((f) => f.reader).sort(), ['hgnc', 'mesh-xml', 'mesh-xml', 'ncbi-gene-info', 'ncbi-taxonomy-names-dmp']);
  t.deepEqual(
    summary.skipped.map((p) => p.split('/').pop()),
    ['README.txt'],
  );
  const sources = dict.sources();
  t.true(sources.some((s) => s.reader === 'mesh-xml' && s.version === 'MeSH 2025' && /^[0-9a-f]{64}$/.test(s.sha256)));
  t.true(sources.some((s) => s.reader === 'ncbi-gene-info' && s.version === 'modified up to 20250105'));
  dict.close();
});

/** A ustar archive of the given members (what `tar czf` writes, enough for names.dmp in taxdump). */
function tarGz(members: [string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of members) {
    const data = Buffer.from(text);
    const h = Buffer.alloc(512);
    h.write(name, 0);
    h.write('0000644\0', 100);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('ustar\u000000', 257);
    h.fill(' ', 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

test('names.dmp is read straight out of taxdump.tar.gz, other members skipped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'litmine-taxdump-'));
  writeFileSync(
    join(dir, 'taxdump.tar.gz'),
    tarGz([
      ['nodes.dmp', '1\t|\t1\t|\tno rank\t|\n'.repeat(100)],
      ['names.dmp', NAMES_DMP],
      ['gc.prt', 'x'],
    ]),
  );
  const out = join(dir, 'dictionary.sqlite');
  const summary = await buildDictionary({ from: [dir], out });
  t.deepEqual(
    summary.files.map((f) => [f.reader, f.concepts]),
    [['ncbi-taxonomy-names-dmp', 2]],
  );
  const n = new Normalizer(Dictionary.open(out), DEFAULT_WEIGHTS);
  t.is(n.resolve('house mouse', 'Species')[0]?.id, 'NCBITaxon:10090');
  n.dict.close();
});

test('names from every format resolve to their identifiers, by type', async (t) => {
  const { dict } = await build();
  const n = new Normalizer(dict, DEFAULT_WEIGHTS);
  t.is(n.resolve('cis-platinum', 'Chemical')[0]?.id, 'MESH:D002945');
  t.is(n.resolve('CISPLATIN', 'Chemical')[0]?.name, 'Cisplatin');
  t.is(n.resolve('Cancer of the Breast', 'Disease')[0]?.id, 'MESH:D001943', 'word order and function words');
  t.is(n.resolve('breast tumours', 'Disease')[0]?.id, 'MESH:D001943', 'British spelling and plural');
  t.deepEqual(n.resolve('cisplatin', 'Disease'), [], 'a chemical is not a disease');
  // A supplementary concept takes the type of the descriptor it maps to.
  t.is(n.resolve('platinol AQ', 'Chemical')[0]?.id, 'MESH:C000123');
  t.is(n.resolve('familial breast cancer syndrome X', 'Disease')[0]?.id, 'MESH:C535000');
  // gene_info keeps human genes only; HGNC's complete set adds aliases and skips withdrawn entries.
  t.is(n.resolve('p53', 'Gene')[0]?.id, 'NCBIGene:7157');
  t.is(n.resolve('transformation related protein 53', 'Gene').length, 0);
  t.is(n.resolve('RNF53', 'Gene')[0]?.id, 'NCBIGene:672');
  t.is(n.resolve('OLD1', 'Gene').length, 0);
  // names.dmp: the scientific name is preferred; authorities are not names.
  t.deepEqual(n.resolve('human', 'Species')[0], {
    id: 'NCBITaxon:9606',
    name: 'Homo sapiens',
    score: n.resolve('human', 'Species')[0]!.score,
  });
  t.is(n.resolve('Linnaeus, 1758', 'Species').length, 0);
  t.is(n.resolve('house mice', 'Species')[0]?.id, 'NCBITaxon:10090');
  t.deepEqual(n.resolve('HeLa', 'CellLine'), [], 'cell lines have no vocabulary');
  t.is(dict.lookup(exactKey('Homo sapiens'), TYPE.Species).length, 1);
  dict.close();
});
