// Keyboard first: the app's shortcuts, their hints next to the actions (`aria-keyshortcuts`
// and a small key label drawn by CSS, so that a button's text stays its own), and the help
// panel listing them, opened by « ? » (outside a field) or F1.

import { h } from './dom.js';

/** What the help panel lists, in French: [keys shown, what they do]. */
export const SHORTCUTS = [
  ['Ctrl+N', 'Nouvelle réclamation'],
  ['Ctrl+K ou Ctrl+F', 'Rechercher dans la liste des réclamations'],
  ['Alt+1', 'Tableau de bord'],
  ['Alt+2', 'Réclamations'],
  ['Alt+3', 'Qualifiés'],
  ['Alt+4', 'Statistiques'],
  ['Alt+5', 'Paramètres'],
  ['Ctrl+S', 'Enregistrer ou valider le formulaire en cours'],
  ['Échap', 'Fermer le panneau ouvert, ou quitter le formulaire en gardant la saisie'],
  ['Tab, Maj+Tab', 'Passer au champ ou au bouton suivant, précédent'],
  ['Entrée, Espace', 'Activer le bouton ou le lien ; cocher la case'],
  ['? ou F1', 'Afficher cette aide'],
];

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const main = () => document.getElementById('main');

/** Whether `el` takes typed characters (a « ? » typed there is text, not the help). */
function isTyping(el) {
  if (!el || !(el instanceof Element)) return false;
  if (el.isContentEditable) return true;
  if (el.matches('textarea, select')) return true;
  if (el.matches('input')) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(el.type);
  return false;
}

// ── The help panel ──────────────────────────────────────────────────────────

let help = null;
let returnTo = null;

function buildHelp() {
  const close = h('button', { type: 'button', class: 'button', onClick: () => closeHelp() }, 'Fermer');
  const dialog = h('div', {
    class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'help-title', id: 'keyboard-help', tabindex: '-1',
  },
  h('h2', { id: 'help-title' }, 'Raccourcis clavier'),
  h('table', { class: 'table shortcuts' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Touches'), h('th', { scope: 'col' }, 'Action'))),
    h('tbody', {}, SHORTCUTS.map(([keys, what]) => h('tr', {},
      h('td', {}, keys.split(/(, | ou )/).map((part) => (/^(, | ou )$/.test(part) ? part : h('kbd', {}, part)))),
      h('td', {}, what))))),
  h('p', { class: 'hint' }, 'Les raccourcis sont aussi indiqués à côté des liens et des boutons.'),
  h('div', { class: 'actions' }, close));
  const backdrop = h('div', { class: 'modal-backdrop', hidden: true }, dialog);
  // Focus stays inside the panel: Tab from the last control goes back to the first.
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      closeHelp();
    } else if (e.key === 'Tab') {
      const items = [...dialog.querySelectorAll(FOCUSABLE)];
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });
  // A click beside the panel closes it too.
  backdrop.addEventListener('click', (e) => { if (e.target === backdrop) closeHelp(); });
  document.body.append(backdrop);
  return { backdrop, dialog, close };
}

export const helpOpen = () => Boolean(help && !help.backdrop.hidden);

export function openHelp() {
  help ??= buildHelp();
  if (helpOpen()) return;
  returnTo = document.activeElement;
  help.backdrop.hidden = false;
  document.querySelector('.shell')?.setAttribute('inert', '');
  help.close.focus();
}

export function closeHelp() {
  if (!helpOpen()) return;
  help.backdrop.hidden = true;
  document.querySelector('.shell')?.removeAttribute('inert');
  const back = returnTo;
  returnTo = null;
  if (back && back.isConnected && back !== document.body) back.focus();
  else (main()?.querySelector('h1') ?? main())?.focus();
}

// ── Actions ─────────────────────────────────────────────────────────────────

/** Focus the complaints list's search field, going to the list first if needed. */
let wantSearch = false;
function focusSearch() {
  const search = main()?.querySelector('input[type="search"]');
  const onList = /^#\/reclamations(\?|$)/.test(location.hash);
  if (onList && search) {
    search.focus();
    search.select();
    return;
  }
  wantSearch = true;
  location.hash = '#/reclamations';
}

/** The last button pressed: where focus goes back when Échap closes the panel it opened. */
let lastButton = null;

/** The « Annuler » of a form (the button that closes the panel without saving). */
const cancelOf = (form) => [...form.querySelectorAll('button[type="button"]')]
  .find((b) => b.dataset.cancel !== undefined || b.textContent.trim() === 'Annuler');

/** Échap: closes the panel holding the focus, else the page's last open panel, else leaves a form page. */
function escape() {
  const active = document.activeElement;
  const here = active?.closest?.('form');
  const root = main();
  const panels = root ? [...root.querySelectorAll('form')].filter((f) => cancelOf(f)) : [];
  const panel = (here && cancelOf(here) ? here : null) ?? panels[panels.length - 1];
  if (panel) {
    const card = panel.closest('section');
    const opener = lastButton && !panel.contains(lastButton) && card?.contains(lastButton) ? lastButton : null;
    cancelOf(panel).click();
    if (opener && opener.isConnected) opener.focus();
    else {
      const heading = card?.querySelector('h2') ?? root.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
    return true;
  }
  // A form that is the page itself (the intake form): back to where it came from; the form
  // keeps its draft.
  const page = root?.querySelector(':scope > form.page');
  const back = page?.querySelector('.page-head a[href^="#/"]');
  if (back) {
    location.hash = back.getAttribute('href');
    return true;
  }
  return false;
}

/** Ctrl+S: submits the form holding the focus, else the page's main form. */
function save() {
  const active = document.activeElement;
  const root = main();
  const form = active?.closest?.('form') ?? root?.querySelector(':scope > form') ?? root?.querySelector('form');
  if (!form) return;
  const submit = form.querySelector('button[type="submit"], input[type="submit"]');
  if (submit?.disabled) return;
  if (typeof form.requestSubmit === 'function') form.requestSubmit(submit ?? undefined);
  else submit?.click();
}

function section(n) {
  const links = document.querySelectorAll('nav a[data-route]');
  const link = links[n - 1];
  if (link) location.hash = link.getAttribute('href');
}

function onKeydown(e) {
  if (e.defaultPrevented || e.isComposing) return;
  if (helpOpen()) {
    if (e.key === 'F1') e.preventDefault();
    return; // the panel handles its own keys
  }
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (ctrl && !e.altKey && !e.shiftKey && key === 'n') {
    e.preventDefault();
    location.hash = '#/reclamations/nouvelle';
  } else if (ctrl && !e.altKey && !e.shiftKey && (key === 'k' || key === 'f')) {
    e.preventDefault();
    focusSearch();
  } else if (ctrl && !e.altKey && !e.shiftKey && key === 's') {
    e.preventDefault();
    save();
  } else if (e.altKey && !ctrl && (/^(Digit|Numpad)[1-5]$/.test(e.code) || /^[1-5]$/.test(e.key))) {
    // The key's place (AZERTY's « & é " ' ( » row) or, failing that, the digit typed.
    e.preventDefault();
    section(Number(/[1-5]$/.test(e.code) ? e.code.slice(-1) : e.key));
  } else if (e.key === 'F1' || (e.key === '?' && !ctrl && !e.altKey && !isTyping(e.target))) {
    e.preventDefault();
    openHelp();
  } else if (e.key === 'Escape' && !ctrl && !e.altKey) {
    if (escape()) e.preventDefault();
  }
}

// ── Hints next to the actions ───────────────────────────────────────────────

function hint(el, aria, shown) {
  if (el.getAttribute('aria-keyshortcuts') === aria) return;
  el.setAttribute('aria-keyshortcuts', aria);
  if (shown) el.dataset.keyHint = shown;
}

/** Marks the actions of what the view shows with their shortcuts. */
function decorate(root) {
  for (const a of root.querySelectorAll('a[href="#/reclamations/nouvelle"]')) hint(a, 'Control+N', 'Ctrl+N');
  for (const input of root.querySelectorAll('input[type="search"]')) hint(input, 'Control+K Control+F');
  for (const form of root.querySelectorAll('form')) {
    const submit = form.querySelector('button[type="submit"]');
    if (submit) hint(submit, 'Control+S', 'Ctrl+S');
    const cancel = cancelOf(form);
    if (cancel) hint(cancel, 'Escape', 'Échap');
  }
  for (const a of root.querySelectorAll(':scope > form.page .page-head a[href^="#/"]')) hint(a, 'Escape', 'Échap');
}

/** The element that last took the focus, and its card (the card heading's id). */
let lastFocused = null;
let lastCard = null;

/**
 * A page that re-renders after an action (a letter generated, a panel validated) drops the
 * focused button: the focus goes to the same card's heading, so that Tab goes on from there.
 */
function keepFocus(root) {
  const active = document.activeElement;
  // Only when the focused element itself was removed (a click elsewhere leaves the body
  // focused in WebKit, which must not move the page).
  if (helpOpen() || (active && active !== document.body) || !lastCard || !lastFocused || lastFocused.isConnected) return;
  lastFocused = null;
  const heading = document.getElementById(lastCard);
  if (!heading || !root.contains(heading)) return;
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** Called by the shell after each view is shown. */
export function viewShown() {
  const root = main();
  if (!root) return;
  decorate(root);
  if (wantSearch) {
    wantSearch = false;
    const search = root.querySelector('input[type="search"]');
    if (search) setTimeout(() => search.focus(), 0);
  }
}

/** Installs the shortcuts (once, at start). */
export function installKeyboard() {
  document.addEventListener('keydown', onKeydown);
  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('button') : null;
    if (button && main()?.contains(button)) lastButton = button;
  }, true);
  const root = main();
  if (root) {
    // Panels open and cards re-render inside a view: mark what appears.
    let queued = false;
    new MutationObserver(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(() => { queued = false; decorate(root); keepFocus(root); });
    }).observe(root, { childList: true, subtree: true });
    document.addEventListener('focusin', (e) => {
      const card = e.target instanceof Element ? e.target.closest('#main section[aria-labelledby]') : null;
      lastFocused = e.target instanceof Element ? e.target : null;
      lastCard = card ? card.getAttribute('aria-labelledby') : null;
    });
    window.addEventListener('hashchange', () => { lastCard = null; lastFocused = null; });
  }
  document.getElementById('keyboard-help-button')?.addEventListener('click', openHelp);
}
