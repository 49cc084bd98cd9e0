// « Vérifier le registre » (Paramètres): today's register digest, and the check of a digest
// typed from a letter or a report, with its date.

import * as api from '../api.js';
import { h, replace, field, showErrors, clearErrors, errorMessage, frDate } from '../dom.js';

/** The card; its digest is fetched when the card is built. */
export async function registerCheckCard() {
  const shown = h('div', { class: 'register-digest' });
  try {
    const d = await api.registerDigest();
    replace(shown,
      h('p', {}, `Empreinte du registre au ${frDate(d.on)} (${d.complaints} réclamation(s)) :`),
      h('p', { class: 'mono prose', 'data-digest': 'full' }, d.full),
      h('p', { class: 'hint' }, 'Forme courte, imprimée en pied de chaque courrier : ',
        h('span', { class: 'mono', 'data-digest': 'short' }, d.short), '.'));
  } catch (err) {
    replace(shown, h('p', { class: 'banner banner-error' }, errorMessage(err)));
  }

  const digest = field({
    label: 'Empreinte',
    hint: 'Telle qu’imprimée : forme courte (16 caractères) ou complète ; espaces, tirets et majuscules sont ignorés.',
    className: 'field grow',
    input: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', class: 'mono', name: 'digest' }),
  });
  const date = field({
    label: 'Date',
    hint: 'La date imprimée avec l’empreinte (JJ/MM/AAAA).',
    input: h('input', { type: 'text', inputmode: 'numeric', placeholder: 'JJ/MM/AAAA', name: 'date' }),
  });
  const fields = new Map([['digest', digest], ['date', date]]);
  const verdict = h('div', { role: 'status', 'aria-live': 'polite', class: 'register-verdict' });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Vérifier le registre');
  const form = h('form', { novalidate: true, 'aria-label': 'Vérifier le registre' },
    h('div', { class: 'inline-form' }, digest.wrapper, date.wrapper, button),
    verdict);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields);
    replace(verdict);
    button.disabled = true;
    verdict.className = 'register-verdict muted';
    // Every complaint's journal is recomputed (a few seconds at 100 000): a bar follows it.
    const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Vérification du registre', 'data-progress': 'registre' });
    const counted = h('span', {}, 'Vérification de chaque journal…');
    replace(verdict, h('p', { class: 'register-progress' }, counted, ' ', bar));
    const stop = await api.onProgress((p) => {
      if (p.what !== 'registre' || !p.total) return;
      bar.max = p.total;
      bar.value = p.done;
      counted.textContent = `Vérification de chaque journal… ${p.done} / ${p.total}`;
    }).catch(() => () => {});
    try {
      const r = await api.verifyRegister(digest.input.value, date.input.value);
      verdict.className = `register-verdict banner ${r.matches ? 'banner-success' : 'banner-error'}`;
      replace(verdict,
        h('p', { 'data-verdict': r.matches ? 'unchanged' : 'changed' }, r.message),
        r.differing.length
          ? h('ul', { class: 'differing', 'aria-label': 'Dossiers qui diffèrent' }, r.differing.map((ref) => h('li', { class: 'mono' }, ref)))
          : null);
    } catch (err) {
      verdict.className = 'register-verdict';
      replace(verdict);
      const rest = showErrors(fields, err);
      if (!err?.fields || rest.length) {
        verdict.className = 'register-verdict banner banner-error';
        verdict.textContent = [errorMessage(err), ...rest].join(' ');
      }
    } finally {
      stop();
      button.disabled = false;
    }
  });

  return h('section', { class: 'card', 'aria-labelledby': 'h-register-check' },
    h('h2', { id: 'h-register-check' }, 'Vérifier le registre'),
    h('p', { class: 'hint' }, 'L’empreinte résume le journal de chaque réclamation et les traces des purges. Saisissez celle d’un courrier ou d’un rapport avec sa date : l’application dit si l’historique du registre jusqu’à cette date est inchangé, et sinon quels dossiers diffèrent.'),
    shown,
    form);
}
