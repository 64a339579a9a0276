// litmine's analysts' page: hash-routed views over the read-only API (search with entity
// autocomplete, article, entity, relations). Every piece of data reaches the DOM as text
// (textContent / createTextNode) or as an attribute value, never as HTML.

import { ApiError, apiKeyForm } from './api.js';
import { articleView } from './article-view.js';
import { h, render, showError } from './dom.js';
import { entityView } from './entity-view.js';
import { parseHash } from './nav.js';
import { relationsView } from './relations-view.js';
import { searchView } from './search-view.js';

async function route() {
  showError('');
  try {
    const { view, arg, params } = parseHash();
    if (view === 'article') await articleView(arg);
    else if (view === 'entity') await entityView(arg);
    else if (view === 'relations') await relationsView(params);
    else await searchView(params);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      render(apiKeyForm(route));
      showError(err.message);
    } else {
      // Never left at "Loading…": the view says it could not be shown, the status line says why.
      render(h('p', { class: 'muted', id: 'view-failed' }, 'This view could not be shown.'));
      showError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err?.message ?? err));
    }
  }
}

window.addEventListener('hashchange', route);
route();
