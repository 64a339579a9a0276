/**
 * `litmine export --format biocjson|biocxml|pubtator [--ids ID,…] [--query Q] [--out FILE]`: annotated
 * documents in the formats PubTator serves, with passages, offsets, and annotations carrying their
 * identifiers. Articles and annotations come from the log (the latest record per document); --query
 * picks documents by a store search, --ids by document id or PMID.
 *
 *   litmine export --format biocxml --query cisplatin --out cisplatin.xml
 */
import { LitmineError } from '../../errors.js';
import { EXPORT_FORMATS as FORMATS, writeExport } from '../../interchange/export-documents.js';
import type { Annotation, Article } from '../../records/types.js';
import type { Command } from '../command.js';
import { limitRule, TEXT } from '../flag-values.js';
import { openLog, openStore } from '../open-services.js';
import { checkOutputFile, writeOutputFile } from '../output-file.js';

function latest<T>(messages: { key: string | null; value: Buffer | null }[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const m of messages) {
    if (m.key === null) continue;
    if (m.value === null) out.delete(m.key);
    else out.set(m.key, JSON.parse(m.value.toString('utf8')) as T);
  }
  return out;
}

/** The most documents one export writes (the whole of the README's data is 1,331). */
const MAX_EXPORT_DOCUMENTS = 100_000;

export const exportCommand: Command = {
  name: 'export',
  summary: 'annotated documents as BioC JSON, BioC XML or PubTator, with identifiers',
  usage: 'litmine export --format biocjson|biocxml|pubtator [--ids ID,…] [--query Q] [--limit N] [--out FILE [--force]]',
  options: {
    format: { type: 'string', value: { kind: 'choice', choices: FORMATS } },
    // A list of ids: room for 10,000 PMIDs.
    ids: { type: 'string', value: { kind: 'text', maxChars: 200_000 } },
    query: { type: 'string', value: TEXT },
    limit: { type: 'string', value: limitRule(MAX_EXPORT_DOCUMENTS) },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  async run({ values }, { config, io }) {
    const format = values.format as (typeof FORMATS)[number] | undefined;
    if (!format || !FORMATS.includes(format))
      throw new LitmineError('LITMINE_USAGE', `--format must be one of ${FORMATS.join(', ')}\nusage: ${this.usage}`);
    const limit = (values.limit as number | undefined) ?? 1000;
    // Checked before any work, so a refused path costs nothing.
    const out = values.out ? checkOutputFile(values.out as string, { dataDir: config.dataDir, force: Boolean(values.force) }) : undefined;
    let wanted: string[] | undefined;
    if (values.ids)
      wanted = (values.ids as string)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (/^\d+$/.test(s) ? `pmid:${s}` : s));
    if (values.query) {
      const store = await openStore(config, { readOnly: true });
      try {
        await store.init();
        const hits = await store.search({ text: values.query as string, limit });
        wanted = [...(wanted ?? []), ...hits.hits.map((h) => h.documentId)];
      } finally {
        await store.close();
      }
    }
    const log = await openLog(config, { readOnly: true });
    let articles: Map<string, Article>;
    let annotations: Map<string, Annotation>;
    try {
      articles = latest<Article>(await log.readAll(config.topics.articles));
      annotations = latest<Annotation>(await log.readAll(config.topics.annotations));
    } finally {
      await log.close();
    }
    const ids = (wanted ?? [...articles.keys()]).filter((id, i, all) => all.indexOf(id) === i).slice(0, limit);
    const missing = ids.filter((id) => !articles.has(id));
    const docs = ids.filter((id) => articles.has(id)).map((id) => ({ article: articles.get(id)!, annotation: annotations.get(id) }));
    const { text, annotations: mentions } = writeExport(format, docs);
    if (out) writeOutputFile(out, text);
    else io.out(text.replace(/\n$/, ''));
    io.err(
      `export: ${docs.length} document(s), ${mentions} annotation(s) as ${format}${out ? ` → ${out.path}` : ''}${missing.length > 0 ? `; not found: ${missing.join(', ')}` : ''}`,
    );
    return 0;
  },
};
