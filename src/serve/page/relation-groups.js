// Relations grouped by partner and type, each with its evidence sentences (entity page and relation search).
import { articleHref, entityChip, h } from './dom.js';

export function relationGroups(groups) {
  return h(
    'div',
    { class: 'relation-groups' },
    groups.map((g) =>
      h(
        'details',
        {},
        h(
          'summary',
          {},
          entityChip(g.subject),
          ` —${g.type}→ `,
          entityChip(g.object),
          h('span', { class: 'muted' }, ` ${g.count} sentence${g.count === 1 ? '' : 's'}, ${g.documents} article${g.documents === 1 ? '' : 's'}`),
        ),
        h(
          'ol',
          { class: 'evidence' },
          g.evidence.map((e) =>
            h(
              'li',
              {},
              e.sentence,
              ' ',
              h('a', { href: articleHref(e.documentId) }, e.pmid ? `PMID ${e.pmid}` : e.documentId),
              h('span', { class: 'muted' }, ` score ${Number(e.score).toFixed(2)}`),
            ),
          ),
        ),
      ),
    ),
  );
}
