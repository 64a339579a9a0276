// The entity autocomplete.
import { api } from './api.js';
import { h, typeClass } from './dom.js';

export function entityCombobox({ id, label, value, placeholder, onPick }) {
  const listId = `${id}-list`;
  const input = h('input', {
    id,
    type: 'search',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder,
  });
  input.value = value || '';
  const list = h('ul', { id: listId, role: 'listbox', 'aria-label': `${label} suggestions`, hidden: true });
  let options = [];
  let active = -1;
  let pending = 0;

  const close = () => {
    pending++; // an answer still on its way must not reopen the list
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const setActive = (i) => {
    active = i;
    options.forEach((o, j) => o.el.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', options[i].el.id);
      options[i].el.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i) => {
    const s = options[i]?.suggestion;
    close();
    if (s) onPick(s);
  };
  const suggest = async () => {
    const prefix = input.value.trim();
    const mine = ++pending;
    if (prefix.length < 2) return close();
    let suggestions = [];
    try {
      suggestions = (await api('entities', { prefix: prefix.slice(0, 100), limit: 8 })).suggestions;
    } catch {
      return close();
    }
    if (mine !== pending) return; // a newer keystroke won
    // A later answer must not undo the user's arrow-key choice when it still offers that entity.
    const kept = options[active]?.suggestion.key;
    options = suggestions.map((s, i) => ({
      suggestion: s,
      el: h(
        'li',
        { id: `${id}-opt-${i}`, role: 'option', 'aria-selected': 'false', onmousedown: (ev) => ev.preventDefault(), onclick: () => pick(i) },
        h('span', { class: typeClass(s.type) }, s.name ?? s.text),
        s.matched && s.matched !== s.name ? h('span', { class: 'muted' }, ` (${s.matched})`) : null,
        h('span', { class: 'muted' }, `${s.type} · ${s.documents} article${s.documents === 1 ? '' : 's'}`),
      ),
    }));
    list.replaceChildren(...options.map((o) => o.el));
    list.hidden = options.length === 0;
    input.setAttribute('aria-expanded', String(options.length > 0));
    setActive(kept === undefined ? -1 : options.findIndex((o) => o.suggestion.key === kept));
  };
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden && options.length > 0;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (!open) suggest();
      else setActive((active + 1) % options.length);
    } else if (ev.key === 'ArrowUp' && open) {
      ev.preventDefault();
      setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (ev.key === 'Enter' && open && active >= 0) {
      ev.preventDefault();
      pick(active);
    } else if (ev.key === 'Escape' && open) {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  const wrap = h('div', { class: 'combo' }, h('label', { for: id }, label), input, list);
  return { wrap, input };
}
