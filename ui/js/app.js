// The shell: routes the hash to a view and keeps the navigation in step. A view resolves to
// its node, or to { node, leave } when it registered listeners: `leave()` runs when the user
// navigates away.

import * as api from './api.js';
import { h, replace, frDate, errorMessage } from './dom.js';
import { complaintsList } from './views/complaints-list.js';
import { complaintForm } from './views/complaint-form.js';
import { registerImportPage } from './views/register-import.js';
import { complaintPage } from './views/complaint/page.js';
import { firmsList, firmFile } from './views/firms-list.js';
import { dashboard } from './views/dashboard.js';
import { statisticsPage } from './views/statistics.js';
import { settingsPage } from './views/settings.js';
import { setupPage, SETUP_ROUTE } from './views/setup.js';
import { showDemoBanner } from './views/demo.js';
import { renderUserPicker } from './session.js';
import { installKeyboard, viewShown } from './keyboard.js';

const main = document.getElementById('main');
// Where the start goes (RECLAMATIONS_STARTUP_PROBE=1 prints it): every module is evaluated now.
const startMarks = { pageStartEpochMs: performance.timeOrigin, modulesMs: performance.now() };

const routes = [
  [/^\/tableau-de-bord$/, 'tableau-de-bord', () => dashboard()],
  [/^\/reclamations$/, 'reclamations', (m, params) => complaintsList(params)],
  [/^\/reclamations\/nouvelle$/, 'reclamations', () => complaintForm()],
  [/^\/reclamations\/reprise$/, 'reclamations', () => registerImportPage()],
  [/^\/reclamations\/(\d+)$/, 'reclamations', (m) => complaintPage(Number(m[1]))],
  [/^\/qualifies$/, 'qualifies', () => firmsList()],
  [/^\/qualifies\/(\d+)$/, 'qualifies', (m) => firmFile(Number(m[1]))],
  [/^\/statistiques$/, 'statistiques', () => statisticsPage()],
  [/^\/parametres$/, 'parametres', () => settingsPage()],
  [/^\/premier-demarrage$/, 'premier-demarrage', (m, params) => setupPage(params)],
];

// Each navigation renders its view; a slower earlier one must not replace a newer one.
let renderSeq = 0;
// What the view on screen registered, to undo when the user navigates away.
let leaveCurrent = null;

/** Leaves the current view at once: nothing of it can be used while the next one loads. */
function leave() {
  leaveCurrent?.();
  leaveCurrent = null;
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
}

function show(node, onLeave = null) {
  leaveCurrent = onLeave;
  replace(main, node);
  main.removeAttribute('aria-busy');
}

async function render() {
  const mine = ++renderSeq;
  const [path, search = ''] = (location.hash.replace(/^#/, '') || '/tableau-de-bord').split('?');
  const params = new URLSearchParams(search);
  const route = routes.find(([re]) => re.test(path));
  if (!route) {
    location.hash = '#/tableau-de-bord';
    return;
  }
  const [re, section, view] = route;
  for (const link of document.querySelectorAll('nav a[data-route]')) {
    if (link.dataset.route === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  leave();
  try {
    const shown = await view(re.exec(path), params);
    const { node, leave: onLeave } = shown instanceof Node ? { node: shown, leave: null } : shown;
    if (mine !== renderSeq) {
      onLeave?.();
      return;
    }
    show(node, onLeave);
  } catch (err) {
    if (mine !== renderSeq) return;
    show(h('section', { class: 'page' },
      h('h1', {}, 'Erreur'),
      h('p', { class: 'banner banner-error', role: 'alert' }, errorMessage(err))));
  }
  // Focus on the page's heading: a screen reader announces where the user is, and Tab goes on
  // from the top of the page.
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  } else {
    main.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
  viewShown();
}

/** Re-reads the staff list into the sidebar (after Paramètres changes it). */
export const refreshUserPicker = () => renderUserPicker(document.getElementById('user-picker')).catch(() => {});

installKeyboard();

/** Once the first view is painted (the frame after the one that drew it), the app may start
 * its background work: the daily backup never slows the first screen. */
const firstScreenShown = () => {
  startMarks.renderedMs = performance.now();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    startMarks.shownMs = performance.now();
    api.firstScreenShown(startMarks).catch(() => {});
  }));
};

// Views read « today » and the vocabulary synchronously: load them before the first one.
api.loadContext().then(({ info }) => {
  startMarks.contextMs = performance.now();
  document.getElementById('today-line').textContent = `Aujourd'hui : ${frDate(info.today)}`;
  document.body.dataset.today = info.today;
  if (info.demo) showDemoBanner();
  // A first start opens on the setup (once: finishing or skipping it is recorded).
  const path = location.hash.replace(/^#/, '').split('?')[0];
  if (info.setup_needed && (path === '' || path === '/tableau-de-bord')) history.replaceState(null, '', SETUP_ROUTE);
  window.addEventListener('hashchange', render);
  refreshUserPicker();
  render().finally(firstScreenShown);
}).catch((err) => {
  replace(main, h('section', { class: 'page' },
    h('h1', {}, 'Erreur'),
    h('p', { class: 'banner banner-error', role: 'alert' }, errorMessage(err))));
  firstScreenShown();
});
