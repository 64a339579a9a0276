/**
 * `litmine ask "<question>"`: evidence retrieval for a natural-language question — the NER model
 * finds the question's entities, and the store ranks sentences by BM25 boosted by those entities.
 *
 *   litmine ask "Where is the protein Pannexin1 located?" --json
 */
import type { Command } from '../command.js';
import { limitRule, queryText } from '../flag-values.js';
import { openAnnotator, openStore } from '../open-services.js';

export const askCommand: Command = {
  name: 'ask',
  summary: 'rank evidence sentences for a natural-language question (BM25 boosted by its entities)',
  usage: 'litmine ask "<question>" [--limit N] [--no-ner] [--json]',
  options: { limit: { type: 'string', value: limitRule() }, 'no-ner': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }, context) {
    const { config, io } = context;
    const question = queryText(positionals, 'question');
    if (!question) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    const limit = (values.limit as number | undefined) ?? 10;
    let entities: { text: string; type: string }[] = [];
    if (!values['no-ner']) {
      const annotator = await openAnnotator(config, context.installDir, io.err);
      try {
        const [result] = await annotator.annotate([{ text: question }]);
        entities = (result?.mentions ?? []).map((m) => ({ text: question.slice(m.start, m.end), type: m.type }));
      } finally {
        await annotator.close();
      }
    }
    const store = await openStore(config, { readOnly: true });
    try {
      await store.init();
      const answer = await store.ask({ question, entities, limit });
      if (values.json) {
        io.out(JSON.stringify({ question, entities, ...answer }, null, 2));
      } else {
        if (entities.length > 0) io.out(`entities: ${entities.map((e) => `${e.text} (${e.type})`).join(', ')}`);
        answer.sentences.forEach((s, i) => io.out(`${i + 1}. [${s.pmid ? `PMID ${s.pmid}` : s.documentId}] ${s.text}`));
      }
      io.err(`ask: ${answer.sentences.length} evidence sentence(s)`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
