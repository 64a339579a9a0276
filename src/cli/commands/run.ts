/**
 * `litmine run`: the daily job once — ingest → annotate → index on the configured log and store.
 * With `--from DIR|FILE` (repeatable) its source is local PubMed/PMC XML (plain or gzipped); with
 * `--source S --since D [--until D]` one window of one NCBI source; with neither, NCBI's sources
 * (schedule.sources) since the last successful run.
 *
 *   litmine run --from ../shared/data/pubmed-xml-more --from ../shared/data/pmc-jats-more
 */
import type { Command, CommandContext } from '../command.js';
import { dataPath, openAnnotator, openLog, openStore } from '../open-services.js';
import { Progress } from '../progress.js';
import { ANNOTATE_GROUP } from '../../../topologies/annotate.js';
import { INDEX_GROUP } from '../../../topologies/index-topology.js';
import type { IngestConnector } from '../../../topologies/ingest.js';
import { runPipeline, type PipelineResult } from '../../../topologies/pipeline.js';
import { openSourceConnectors } from '../open-connectors.js';
import { recordRun } from '../record-run.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the daily job once: ingest → annotate → index (--from for local XML files)',
  usage: 'litmine run [--from DIR|FILE ...] [--source pubmed|pmc|updatefiles|files --since YYYY-MM-DD [--until YYYY-MM-DD]] [--json]',
  options: {
    from: { type: 'string', multiple: true },
    source: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, context) {
    const { config, io, signal } = context;
    const from = (values.from as string[] | undefined) ?? [];
    const { connectors, since, until, cursors, description } = await openSourceConnectors(context, {
      from,
      source: values.source as string | undefined,
      since: values.since as string | undefined,
      until: values.until as string | undefined,
    });
    const started = new Date();
    const log = await openLog(config);
    const store = await openStore(config);
    let annotator: Awaited<ReturnType<typeof openAnnotator>> | undefined;
    try {
      annotator = await openAnnotator(config, context.installDir);
      io.err(`run: ${description} → ${config.log.kind} log → models ${annotator.models.ner.name}@${annotator.models.ner.version}${annotator.models.re ? ` + ${annotator.models.re.name}@${annotator.models.re.version}` : ''} → ${config.store.kind} store (${dataPath(config)})`);
      const result = await runWithProgress(context, { log, store, annotator, connectors, cursors, since, until });
      await recordRun(config, { started, finished: new Date(), since, until, description, result, error: null });
      printSummary(context, result, Boolean(values.json));
      return signal.aborted ? 130 : 0;
    } catch (err) {
      await recordRun(config, { started, finished: new Date(), since, until, description, result: null, error: err }).catch(() => {});
      throw err;
    } finally {
      await annotator?.close();
      await store.close();
      await log.close();
    }
  },
};

async function runWithProgress(
  { config, io, signal }: CommandContext,
  parts: Omit<Parameters<typeof runPipeline>[0], 'config' | 'onProgress' | 'onStage'> & { connectors: IngestConnector[] },
): Promise<PipelineResult> {
  let progress: Progress | undefined;
  let stage = '';
  return runPipeline({
    ...parts,
    config,
    signal,
    onStage: async (next) => {
      progress?.done();
      stage = next;
      const unit = next === 'ingest' ? 'records' : next === 'annotate' ? 'articles' : 'records';
      progress = new Progress(io, next, { unit });
      if (next === 'annotate' || next === 'index') {
        const group = next === 'annotate' ? ANNOTATE_GROUP : INDEX_GROUP;
        const topics = next === 'annotate' ? [config.topics.articles] : [config.topics.articles, config.topics.annotations];
        const lag = await parts.log.lag(group, topics);
        progress.setTotal(lag.reduce((sum, p) => sum + p.lag, 0));
      }
    },
    onProgress: (p) => {
      if (p.stage === stage && progress) progress.tick(p.count - progress.value);
    },
  }).finally(() => progress?.done());
}

function printSummary({ io }: CommandContext, r: PipelineResult, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(r, null, 2));
    return;
  }
  const skipped = Object.entries(r.ingest.skipped).map(([k, v]) => `${v} ${k}`).join(', ');
  io.out(
    [
      `ingested ${r.ingest.articles} articles and ${r.ingest.deletes} deletes in ${r.seconds.ingest.toFixed(1)} s` +
        `${r.ingest.errors ? `, ${r.ingest.errors} bad records dead-lettered` : ''}${skipped ? `, skipped ${skipped}` : ''}`,
      `annotated ${r.annotate.articles} articles: ${r.annotate.mentions} mentions, ${r.annotate.relations} relations in ${r.seconds.annotate.toFixed(1)} s` +
        `${r.annotate.deadLetters ? `, ${r.annotate.deadLetters} dead-lettered` : ''}`,
      `indexed ${r.index.upserts} articles, ${r.index.annotations} annotations, ${r.index.deletes} deletes in ${r.seconds.index.toFixed(1)} s` +
        `${r.index.deadLetters ? `, ${r.index.deadLetters} dead-lettered` : ''}`,
      `store now holds ${r.counts.articles} articles, ${r.counts.sentences} sentences, ${r.counts.mentions} mentions, ${r.counts.relations} relations`,
    ].join('\n'),
  );
}
