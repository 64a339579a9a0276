// DOM building for the page: every piece of data becomes text or an attribute value, never HTML.

export const main = document.getElementById('main');
export const statusBox = document.getElementById('status');
export const TYPES = ['Chemical', 'Disease', 'Gene', 'Species', 'CellLine', 'CellType'];


/** Element with attributes (string values, set as attributes or properties) and children (nodes or text). */
export function h(tag, attrs = {}, ...children) {
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

export function append(el, children) {
  for (const c of children.flat(Number.POSITIVE_INFINITY)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function typeClass(type) {
  return `mention t-${TYPES.includes(type) ? type : 'other'}`;
}

export function entityHref(key) {
  return `#/entity/${encodeURIComponent(key)}`;
}

export function articleHref(id) {
  return `#/article/${encodeURIComponent(id)}`;
}

export function entityChip(e, extra) {
  return h('a', { class: typeClass(e.type), href: entityHref(e.key), title: `${e.type} · ${e.key}` }, e.text || e.key, extra ? ` ${extra}` : '');
}

/** "a «b» c" → text and <mark> nodes. */
export function highlighted(fragment) {
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
export function annotated(text, mentions, base = 0) {
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

export function showError(message) {
  statusBox.hidden = !message;
  statusBox.textContent = message || '';
}

export function render(...nodes) {
  main.replaceChildren(...nodes.flat().filter(Boolean));
}
