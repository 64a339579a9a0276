// The read-only API as the page calls it (the API key, when one is set, goes in a header), and downloads.
import { h, showError } from './dom.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(path, params = {}) {
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
export async function downloadExport(id, format) {
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

export function exportButtons(id) {
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

export function apiKeyForm(retry) {
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
