/**
 * `litmine annotate`: texts in, entities and relations out as JSON lines — a quick look at what the
 * models find. Input: --text, or --input FILE|- with plain text lines or JSONL {"id","text"}. Each
 * text is split into sentences; offsets in the output are UTF-16 offsets into the whole text.
 *
 *   litmine annotate --text "Cisplatin induced nephrotoxicity in rats."
 *   cat abstracts.jsonl | litmine annotate --input -
 */
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { LitmineError } from '../../errors.js';
import { createOnnxAnnotator } from '../../nlp/onnx-annotator.js';
import { segmentSentences } from '../../text/segment-sentences.js';
import type { Command, CommandContext, ParsedCommandArgs } from '../command.js';

const USAGE = 'litmine annotate [--text "..."] [--input FILE.jsonl|FILE.txt|-] [--ner DIR] [--re DIR|none]';

interface InputText {
  id: string;
  text: string;
}

async function* inputs(args: ParsedCommandArgs): AsyncGenerator<InputText> {
  const text = args.values.text;
  for (const t of Array.isArray(text) ? text : text === undefined ? [] : [text]) yield { id: 'text', text: String(t) };
  const input = args.values.input as string | undefined;
  if (input === undefined) return;
  if (input !== '-' && !existsSync(input)) throw new LitmineError('LITMINE_INPUT_NOT_FOUND', `${input}: no such file`);
  const lines = createInterface({ input: input === '-' ? process.stdin : createReadStream(input), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('{')) {
      let o: { id?: unknown; text?: unknown };
      try {
        o = JSON.parse(line);
      } catch (err) {
        throw new LitmineError('LITMINE_USAGE', `${input}:${n}: not valid JSON`, { cause: err });
      }
      if (typeof o.text !== 'string') throw new LitmineError('LITMINE_USAGE', `${input}:${n}: no "text" string`);
      yield { id: o.id === undefined ? String(n) : String(o.id), text: o.text };
    } else {
      yield { id: String(n), text: line };
    }
  }
}

async function run(args: ParsedCommandArgs, ctx: CommandContext): Promise<number> {
  if (args.values.text === undefined && args.values.input === undefined) throw new LitmineError('LITMINE_USAGE', `usage: ${USAGE}`);
  const { config, io } = ctx;
  const reArg = (args.values.re as string | undefined) ?? config.models.re;
  const annotator = await createOnnxAnnotator({
    nerDir: resolve(ctx.installDir, (args.values.ner as string | undefined) ?? config.models.ner),
    reDir: reArg && reArg !== 'none' ? resolve(ctx.installDir, reArg) : null,
    executionProvider: config.models.executionProvider,
    intraOpThreads: config.models.intraOpThreads,
    batchSize: config.models.batchSize,
    sessions: config.models.sessions,
    onWarning: (m) => io.err(`litmine annotate: ${m}`),
  });
  try {
    let pending: InputText[] = [];
    const flush = async () => {
      const sentences = pending.flatMap((doc, d) =>
        segmentSentences(doc.text).map((s) => ({ d, ...s, text: doc.text.slice(s.start, s.end) })),
      );
      const results = await annotator.annotate(sentences.map((s) => ({ text: s.text })));
      const docs = pending.map((doc) => ({ id: doc.id, models: annotator.models, mentions: [] as unknown[], relations: [] as unknown[] }));
      sentences.forEach((s, k) => {
        const out = docs[s.d]!;
        const base = out.mentions.length;
        for (const m of results[k]!.mentions) {
          const start = s.start + m.start;
          const end = s.start + m.end;
          out.mentions.push({ start, end, type: m.type, text: pending[s.d]!.text.slice(start, end), score: round(m.score) });
        }
        for (const r of results[k]!.relations)
          out.relations.push({ subject: base + r.subject, object: base + r.object, type: r.type, score: round(r.score) });
      });
      for (const d of docs) io.out(JSON.stringify(d));
      pending = [];
    };
    for await (const doc of inputs(args)) {
      if (ctx.signal.aborted) break;
      pending.push(doc);
      if (pending.length >= 16) await flush();
    }
    await flush();
  } finally {
    await annotator.close();
  }
  return 0;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export const annotateCommand: Command = {
  name: 'annotate',
  summary: 'tag entities and relations in texts (JSON lines out, offsets into each text)',
  usage: USAGE,
  options: {
    // Offsets are into the text as given, so it is not trimmed; the bound is Linux's longest argument.
    text: { type: 'string', multiple: true, value: { kind: 'text', maxChars: 131_072, verbatim: true } },
    input: { type: 'string' },
    ner: { type: 'string' },
    re: { type: 'string' },
  },
  run,
};
