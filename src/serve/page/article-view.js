// The article view: annotated text, relations with their sentences, downloads.
import { api, exportButtons } from './api.js';
import { annotated, entityChip, h, render } from './dom.js';

export async function articleView(id) {
  const { article, sentences, mentions, relations } = await api(`articles/${encodeURIComponent(id)}`);
  const byPassage = new Map();
  for (const m of mentions) byPassage.set(m.passageId, [...(byPassage.get(m.passageId) ?? []), m]);
  const sentenceText = new Map(sentences.map((s) => [s.id, s]));
  const mentionById = new Map(mentions.map((m) => [m.id, m]));
  const title = article.passages.find((p) => p.kind === 'title');
  const meta = [
    article.journal?.title ?? article.journal?.isoAbbreviation,
    article.dates?.published,
    article.pmid ? `PMID ${article.pmid}` : null,
    article.pmcid,
    article.doi ? `doi:${article.doi}` : null,
  ].filter(Boolean);
  const passages = article.passages
    .filter((p) => p.kind !== 'title')
    .map((p) => [
      p.section ? h('h2', {}, p.section) : p.kind !== 'abstract' ? h('h2', {}, p.kind) : null,
      h('p', { 'data-passage': p.id }, annotated(p.text, byPassage.get(p.id) ?? [])),
    ]);
  const relationItems = relations.map((r) => {
    const s = sentenceText.get(r.sentenceId);
    const subject = mentionById.get(r.subject.mentionId);
    const object = mentionById.get(r.object.mentionId);
    const inSentence = s ? [subject, object].filter(Boolean) : [];
    return h(
      'li',
      {},
      entityChip(r.subject),
      ` —${r.type}→ `,
      entityChip(r.object),
      h('span', { class: 'muted' }, ` score ${Number(r.score).toFixed(2)}`),
      s ? h('div', { class: 'evidence-sentence' }, annotated(s.text, inSentence, s.start)) : null,
    );
  });
  const pubmed = /^\d+$/.test(article.pmid ?? '') ? h('a', { href: `https://pubmed.ncbi.nlm.nih.gov/${article.pmid}/`, rel: 'noopener noreferrer' }, 'PubMed') : null;
  render(
    h(
      'article',
      { class: 'doc' },
      h('h1', { id: 'article-title' }, annotated(title?.text ?? article.title, byPassage.get('title') ?? [])),
      h('p', { class: 'meta' }, meta.join(' · '), pubmed ? ' · ' : '', pubmed),
      h('p', { class: 'muted' }, `${mentions.length} mentions, ${relations.length} relations`),
      exportButtons(article.id),
      passages,
      h('h2', {}, 'Relations'),
      relationItems.length ? h('ol', { class: 'relations' }, relationItems) : h('p', { class: 'muted' }, 'No relations found in this article.'),
    ),
  );
  document.title = `${article.title} — litmine`;
}
