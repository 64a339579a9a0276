// Relation search: an entity or a type on each side.
import { api } from './api.js';
import { h, render } from './dom.js';
import { relationGroups } from './relation-groups.js';
import { go } from './nav.js';

export async function relationsView(params) {
  const state = { e1: params.get('e1') ?? '', type: params.get('type') ?? '', e2: params.get('e2') ?? '' };
  const field = (name, label, placeholder) => {
    const input = h('input', { id: `r-${name}`, name, placeholder, size: 24 });
    input.value = state[name];
    return h('label', { for: `r-${name}` }, label, input);
  };
  const form = h(
    'form',
    {
      class: 'search',
      onsubmit: (ev) => {
        ev.preventDefault();
        const f = new FormData(form);
        go('relations', { e1: f.get('e1'), type: f.get('type'), e2: f.get('e2') });
      },
    },
    h(
      'div',
      { class: 'row' },
      field('e1', 'Subject: entity key, @Type or text', 'Chemical:cisplatin or @Chemical'),
      field('type', 'Relation type', 'CID (any if empty)'),
      field('e2', 'Object: entity key, @Type or text', '@Disease'),
      h('button', { type: 'submit' }, 'Find relations'),
    ),
    h('p', { class: 'muted' }, 'Each side is an entity key (Chemical:cisplatin), any entity of a type (@Disease), or a mention text (cisplatin).'),
  );
  if (!state.e1 && !state.e2 && !state.type) {
    render(h('h1', {}, 'Relations'), form);
    return;
  }
  render(h('h1', {}, 'Relations'), form, h('p', { class: 'muted' }, 'Searching…'));
  const result = await api('relations', { ...state, limit: 25, evidence: 3 });
  render(
    h('h1', {}, 'Relations'),
    form,
    h('p', { class: 'muted', id: 'relation-count' }, `${result.total} relation${result.total === 1 ? '' : 's'}`),
    relationGroups(result.relations),
  );
}
