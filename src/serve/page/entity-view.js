// The entity page: names, counts per year, relations with evidence, co-mentioned entities.
import { api } from './api.js';
import { entityChip, h, render, typeClass } from './dom.js';
import { relationGroups } from './relation-groups.js';

export async function entityView(key) {
  const { entity, relations, coMentioned } = await api(`entities/${encodeURIComponent(key)}`);
  const maxYear = Math.max(1, ...entity.years.map((y) => y.documents));
  const years = h(
    'div',
    { class: 'years', role: 'img', 'aria-label': `Articles per year: ${entity.years.map((y) => `${y.year}: ${y.documents}`).join(', ')}` },
    entity.years.map((y) => {
      const bar = h('div', { class: 'bar', title: `${y.year}: ${y.documents} article${y.documents === 1 ? '' : 's'}` }, h('span', {}, y.year));
      bar.style.height = `${Math.round((100 * y.documents) / maxYear)}%`;
      return bar;
    }),
  );
  render(
    h('h1', {}, h('span', { class: typeClass(entity.type) }, entity.text), ' ', h('span', { class: 'muted' }, entity.type)),
    h('p', { class: 'meta' }, `${entity.key} · ${entity.mentions} mentions in ${entity.documents} articles · `, h('a', { href: `#/search?entity=${encodeURIComponent(entity.key)}` }, 'articles mentioning it')),
    h(
      'div',
      { class: 'grid2' },
      h(
        'section',
        {},
        h('h2', {}, 'Top relations'),
        relations.relations.length ? relationGroups(relations.relations) : h('p', { class: 'muted' }, 'No relations.'),
      ),
      h(
        'section',
        {},
        h('h2', {}, 'Names'),
        h('ul', {}, entity.names.map((n) => h('li', {}, n.text, h('span', { class: 'muted' }, ` ×${n.mentions}`)))),
        h('h2', {}, 'Articles per year'),
        entity.years.length ? years : h('p', { class: 'muted' }, 'No dated articles.'),
        h('h2', {}, 'Mentioned with'),
        h('ul', { class: 'chips' }, coMentioned.map((c) => h('li', {}, entityChip(c, `${c.documents}`)))),
      ),
    ),
  );
  document.title = `${entity.text} — litmine`;
}
