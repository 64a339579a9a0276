// litmine's analysts' page: hash-routed views over the read-only API (search with entity
// autocomplete, article, entity, relations). Every piece of data reaches the DOM as text
// (textContent / createTextNode) or as an attribute value, never as HTML.

const main = document.getElementById('main');
const statusBox = document.getElementById('status');
const TYPES = ['Chemical', 'Disease', 'Gene', 'Species', 'CellLine', 'CellType'];

// ---- DOM building ---------------------------------------------------------------------------

/** Element with attributes (string values, set as attributes or properties) and children (nodes or text). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Number.POSITIVE_INFINITY)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function typeClass(type) {
  return `mention t-${TYPES.includes(type) ? type : 'other'}`;
}

function entityHref(key) {
  return `#/entity/${encodeURIComponent(key)}`;
}

function articleHref(id) {
  return `#/article/${encodeURIComponent(id)}`;
}

function entityChip(e, extra) {
  return h('a', { class: typeClass(e.type), href: entityHref(e.key), title: `${e.type} · ${e.key}` }, e.text || e.key, extra ? ` ${extra}` : '');
}

/** "a «b» c" → text and <mark> nodes. */
function highlighted(fragment) {
  const out = [];
  const re = /«([^»]*)»/g;
  let at = 0;
  for (let m = re.exec(fragment); m; m = re.exec(fragment)) {
    out.push(fragment.slice(at, m.index), h('mark', {}, m[1]));
    at = m.index + m[0].length;
  }
  out.push(fragment.slice(at));
  return out;
}

/** Text with its mentions as coloured links; offsets are relative to `base` (the text's start in its passage). */
function annotated(text, mentions, base = 0) {
  const out = [];
  let at = 0;
  const sorted = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const m of sorted) {
    const start = m.start - base;
    const end = m.end - base;
    if (start < at || end > text.length || start >= end) continue; // overlapping or outside
    out.push(text.slice(at, start));
    const ids = Array.isArray(m.ids) && m.ids.length ? ` · ${m.ids.join(', ')}` : '';
    out.push(
      h(
        'a',
        {
          class: typeClass(m.type),
          href: entityHref(m.key),
          title: `${m.type} · ${m.key}${ids} · score ${Number(m.score).toFixed(2)}`,
          'data-type': m.type,
        },
        text.slice(start, end),
      ),
    );
    at = end;
  }
  out.push(text.slice(at));
  return out;
}

function showError(message) {
  statusBox.hidden = !message;
  statusBox.textContent = message || '';
}

function render(...nodes) {
  main.replaceChildren(...nodes.flat().filter(Boolean));
}

// ---- API ------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const url = `api/${path}${qs.size ? `?${qs}` : ''}`;
  const headers = { accept: 'application/json' };
  const key = sessionStorage.getItem('litmine-api-key');
  if (key) headers['x-api-key'] = key;
  const res = await fetch(url, { headers });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** Downloads an article's export (through fetch, so the API key goes in its header). */
async function downloadExport(id, format) {
  const headers = {};
  const key = sessionStorage.getItem('litmine-api-key');
  if (key) headers['x-api-key'] = key;
  const res = await fetch(`api/export?${new URLSearchParams({ format, ids: id })}`, { headers });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    showError(`${body?.error?.code ?? 'HTTP'}: ${body?.error?.message ?? `HTTP ${res.status}`}`);
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: `${id.replace(/[^A-Za-z0-9.-]+/g, '_')}.${format === 'pubtator' ? 'txt' : format === 'biocxml' ? 'xml' : 'json'}` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function exportButtons(id) {
  const labels = { biocjson: 'BioC JSON', biocxml: 'BioC XML', pubtator: 'PubTator' };
  return h(
    'p',
    { class: 'muted', id: 'export' },
    'Download: ',
    Object.entries(labels).flatMap(([format, label], i) => {
      const button = h('button', { type: 'button', class: 'secondary', 'data-format': format, onclick: () => downloadExport(id, format) }, label);
      return i ? [' ', button] : [button];
    }),
  );
}

function apiKeyForm(retry) {
  const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', required: true });
  return h(
    'form',
    {
      class: 'search',
      onsubmit: (ev) => {
        ev.preventDefault();
        sessionStorage.setItem('litmine-api-key', input.value);
        retry();
      },
    },
    h('label', { for: 'api-key' }, 'This server needs an API key', input),
    h('div', {}, h('button', { type: 'submit' }, 'Use key')),
  );
}

// ---- Routing --------------------------------------------------------------------------------

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').map(decodeURIComponent);
  return { view: parts[0] || 'search', arg: parts.slice(1).join('/'), params: new URLSearchParams(query) };
}

function go(view, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  location.hash = `#/${view}${qs.size ? `?${qs}` : ''}`;
}

async function route() {
  showError('');
  const { view, arg, params } = parseHash();
  try {
    if (view === 'article') await articleView(arg);
    else if (view === 'entity') await entityView(arg);
    else if (view === 'relations') await relationsView(params);
    else await searchView(params);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      render(apiKeyForm(route));
      showError(err.message);
    } else {
      showError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err?.message ?? err));
    }
  }
}

window.addEventListener('hashchange', route);
route();

// ---- Entity autocomplete (ARIA 1.2 combobox with a listbox popup) ----------------------------

function entityCombobox({ id, label, value, placeholder, onPick }) {
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

// ---- Search ---------------------------------------------------------------------------------

async function searchView(params) {
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

function searchHit(hit) {
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

// ---- Article --------------------------------------------------------------------------------

async function articleView(id) {
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

// ---- Entity ---------------------------------------------------------------------------------

async function entityView(key) {
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

function relationGroups(groups) {
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

// ---- Relation search ------------------------------------------------------------------------

async function relationsView(params) {
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
