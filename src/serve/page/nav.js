// Hash routes: #/view/arg?params.

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').map(decodeOrKeep);
  return { view: parts[0] || 'search', arg: parts.slice(1).join('/'), params: new URLSearchParams(query) };
}

// A hand-typed "%" that starts no escape is kept as text rather than throwing.
function decodeOrKeep(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function go(view, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  location.hash = `#/${view}${qs.size ? `?${qs}` : ''}`;
}
