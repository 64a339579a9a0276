// The search view: query, filters, hits with highlights and paging.
import { api } from './api.js';
import { entityCombobox } from './combobox.js';
import { TYPES, annotated, articleHref, entityChip, entityHref, h, highlighted, render } from './dom.js';
import { go } from './nav.js';

export async function searchView(params) {
  const state = {
    q: params.get('q') ?? '',
    entity: params.get('entity') ?? '',
    type: params.get('type') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    journal: params.get('journal') ?? '',
    target: params.get('target') === 'sentences' ? 'sentences' : 'articles',
    offset: Math.max(0, Number(params.get('offset')) || 0),
  };
  const pageSize = 10;
  const submit = (patch = {}) => go('search', { ...state, offset: 0, ...patch });
  const combo = entityCombobox({
    id: 'q',
    label: 'Search words, or pick an entity',
    value: state.q,
    placeholder: 'e.g. cisplatin nephrotoxicity',
    onPick: (s) => submit({ q: '', entity: s.key }),
  });
  const field = (name, label, attrs) => {
    const input = h('input', { id: `f-${name}`, name, ...attrs });
    input.value = state[name];
    return h('label', { for: `f-${name}` }, label, input);
  };
  const typeSelect = h('select', { id: 'f-type', name: 'type' }, h('option', { value: '' }, 'any'), TYPES.map((t) => h('option', { value: t }, t)));
  typeSelect.value = state.type;
  const targetSelect = h('select', { id: 'f-target', name: 'target' }, h('option', { value: 'articles' }, 'articles'), h('option', { value: 'sentences' }, 'sentences'));
  targetSelect.value = state.target;
  const form = h(
    'form',
    {
      class: 'search',
      role: 'search',
      onsubmit: (ev) => {
        ev.preventDefault();
        const f = new FormData(form);
        submit({ q: combo.input.value, type: f.get('type'), from: f.get('from'), to: f.get('to'), journal: f.get('journal'), target: f.get('target') });
      },
    },
    h('div', { class: 'row' }, combo.wrap, h('button', { type: 'submit' }, 'Search')),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'f-type' }, 'Mentions an entity of type', typeSelect),
      field('from', 'From (YYYY[-MM[-DD]])', { size: 10, pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?' }),
      field('to', 'To', { size: 10, pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?' }),
      field('journal', 'Journal', { size: 18 }),
      h('label', { for: 'f-target' }, 'Rank', targetSelect),
    ),
    state.entity
      ? h(
          'div',
          { class: 'chip-filter' },
          'Articles mentioning ',
          h('a', { class: 'mention t-other', href: entityHref(state.entity), id: 'entity-filter' }, state.entity),
          h('button', { type: 'button', class: 'secondary', onclick: () => submit({ entity: '' }) }, 'remove'),
        )
      : null,
  );
  render(form, h('p', { class: 'muted' }, 'Searching…'));
  if (!state.q && !state.entity && !state.type && !state.journal && !state.from && !state.to) {
    render(form, h('p', { class: 'muted' }, 'Type words to search titles, abstracts and full texts; suggestions name the entities the models found.'));
    return;
  }
  const result = await api('search', {
    q: state.q,
    entity: state.entity,
    type: state.type,
    from: state.from,
    to: state.to,
    journal: state.journal,
    target: state.target,
    offset: state.offset,
    limit: pageSize,
    annotate: true,
  });
  const first = result.total ? state.offset + 1 : 0;
  const last = state.offset + result.hits.length;
  const summary = h('p', { class: 'muted', id: 'result-count' }, `${first}–${last} of ${result.total} ${state.target === 'sentences' ? 'sentences' : 'articles'}`);
  const hits = h('ol', { class: 'hits', start: first || 1 }, result.hits.map((hit) => searchHit(hit)));
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Result pages' },
    h('button', { type: 'button', class: 'secondary', disabled: state.offset === 0, onclick: () => go('search', { ...state, offset: Math.max(0, state.offset - pageSize) }) }, '← Previous'),
    h('button', { type: 'button', class: 'secondary', disabled: last >= result.total, onclick: () => go('search', { ...state, offset: state.offset + pageSize }) }, 'Next →'),
  );
  render(form, summary, hits, result.total > pageSize ? pager : null);
}

export function searchHit(hit) {
  const titleMentions = hit.sentence ? [] : hit.mentions;
  const meta = [hit.journal, hit.published, hit.pmid ? `PMID ${hit.pmid}` : hit.pmcid].filter(Boolean).join(' · ');
  return h(
    'li',
    {},
    h('a', { class: 'hit-title', href: articleHref(hit.documentId) }, annotated(hit.title, titleMentions)),
    h('div', { class: 'meta' }, meta),
    hit.sentence
      ? h('p', {}, annotated(hit.sentence.text, hit.mentions, hit.sentence.start))
      : hit.highlights.filter((f) => f.replace(/[«»]/g, '') !== hit.title).map((f) => h('p', {}, '… ', highlighted(f), ' …')),
    hit.entities?.length ? h('ul', { class: 'chips', 'aria-label': 'Entities in this article' }, hit.entities.map((e) => h('li', {}, entityChip(e, `×${e.mentions}`)))) : null,
  );
}
