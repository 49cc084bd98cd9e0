// Paramètres, « Logo des courriers »: the organisation's logo on every PDF, with a preview. An
// image chosen in a dialog, or typed as a path (the twin the e2e tests drive), is checked by the
// core before it is kept; a refusal shows under the path field. The file name is the user's:
// only ever shown as text (h() makes text nodes).

import * as api from '../api.js';
import { h, replace, field, showErrors, clearErrors, errorMessage, frDate } from '../dom.js';

/** The card (also used by the first-start setup). */
export async function logoCard() {
  const preview = h('img', { class: 'logo-preview', alt: 'Logo actuel des courriers' });
  const caption = h('p', { class: 'logo-caption' });
  const status = h('p', { role: 'status', class: 'muted' });
  const pathField = field({
    label: 'ou le fichier du logo',
    className: 'field grow',
    input: h('input', { type: 'text', name: 'logo_path', placeholder: 'Chemin d’une image .png ou .jpg' }),
  });
  const fields = new Map([['logo', pathField]]);
  const resetButton = h('button', { type: 'button', class: 'button', onClick: () => run(api.resetLogo, 'Logo par défaut rétabli pour les prochains courriers.') },
    'Revenir au logo par défaut');
  const resetRow = h('div', { class: 'actions' }, resetButton);

  function show(info) {
    preview.src = info.data_url;
    replace(caption, info.custom
      ? [h('strong', {}, info.file_name), ` — ${info.width} × ${info.height} pixels, choisi le ${frDate(info.set_on)}`]
      : `Logo par défaut (${info.width} × ${info.height} pixels)`);
    resetRow.hidden = !info.custom;
  }

  /** Runs `work` (which returns the logo in force, or null when a dialog was cancelled). */
  async function run(work, done) {
    clearErrors(fields);
    status.className = 'muted';
    status.textContent = '';
    try {
      const info = await work();
      if (!info) return;
      show(info);
      status.textContent = done;
    } catch (err) {
      const rest = showErrors(fields, err);
      if (!err?.fields || rest.length) {
        status.className = 'banner banner-error';
        status.textContent = [errorMessage(err), ...rest].join(' ');
      }
    }
  }

  const use = (path) => run(async () => {
    if (!path) return null;
    pathField.input.value = path;
    return api.setLogo(path);
  }, 'Logo enregistré : il figure sur les prochains courriers, rapports et exports. Les courriers déjà archivés restent tels qu’ils ont été produits.');
  const useTyped = () => use(pathField.input.value.trim());
  pathField.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      useTyped();
    }
  });

  show(await api.getLogo());
  return h('section', { class: 'card', 'aria-labelledby': 'h-logo' },
    h('h2', { id: 'h-logo' }, 'Logo des courriers'),
    h('p', { class: 'hint' }, 'Imprimé en haut à gauche des courriers, du courrier du jour, du rapport statistique et de la page de garde des exports d’audit. Une image PNG ou JPEG de 2 Mo au plus, de 32 à 4000 pixels de côté ; un fond blanc ou transparent s’imprime le mieux.'),
    h('div', { class: 'logo-current' }, preview, caption),
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button primary', onClick: async () => use(await api.chooseLogo().catch(() => null)) }, 'Choisir un logo…'),
      pathField.wrapper,
      h('button', { type: 'button', class: 'button', onClick: useTyped }, 'Utiliser ce fichier')),
    resetRow,
    status);
}
