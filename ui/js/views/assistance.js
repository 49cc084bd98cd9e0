// « Assistance » (Paramètres): the technical log, the diagnostic information to send to the
// support (copied, and shown read-only so it can be selected by hand), and the start-up
// notification of overdue deadlines.

import * as api from '../api.js';
import { h, field, errorMessage } from '../dom.js';

/** The card; the notification setting is read when the card is built. */
export async function assistanceCard() {
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'muted' });
  const say = (text, kind = 'muted') => {
    status.className = kind;
    status.textContent = text;
  };
  const text = h('textarea', { readonly: true, rows: 10, class: 'mono', name: 'diagnostics', spellcheck: 'false' });
  const shown = field({ label: 'Informations de diagnostic', input: text, className: 'field grow' });
  shown.wrapper.hidden = true;

  const openLog = h('button', { type: 'button', class: 'button' }, 'Ouvrir le journal technique');
  openLog.addEventListener('click', async () => {
    try {
      const path = await api.openLog();
      say(`Journal technique : ${path}`);
    } catch (err) {
      say(errorMessage(err), 'banner banner-error');
    }
  });

  const copy = h('button', { type: 'button', class: 'button' }, 'Copier les informations de diagnostic');
  copy.addEventListener('click', async () => {
    try {
      text.value = await api.diagnostics();
      shown.wrapper.hidden = false;
    } catch (err) {
      say(errorMessage(err), 'banner banner-error');
      return;
    }
    try {
      await navigator.clipboard.writeText(text.value);
      say('Informations copiées : collez-les dans votre message au support.', 'banner banner-success');
    } catch {
      text.select();
      say('La copie automatique n’est pas possible : sélectionnez le texte ci-dessous et copiez-le (Ctrl+C).');
    }
  });

  const notify = h('input', { type: 'checkbox', name: 'notify_on_start' });
  const notifyField = field({ label: 'Me prévenir au démarrage quand des délais sont dépassés (notification du système)', input: notify, inline: true });
  try {
    notify.checked = (await api.getAssistanceSettings()).notify_on_start;
  } catch (err) {
    say(errorMessage(err), 'banner banner-error');
  }
  notify.addEventListener('change', async () => {
    try {
      await api.saveAssistanceSettings({ notify_on_start: notify.checked });
      say(notify.checked ? 'Notification au démarrage activée.' : 'Notification au démarrage désactivée.');
    } catch (err) {
      notify.checked = !notify.checked;
      say(errorMessage(err), 'banner banner-error');
    }
  });

  return h('section', { class: 'card', 'aria-labelledby': 'h-assistance' },
    h('h2', { id: 'h-assistance' }, 'Assistance'),
    h('p', { class: 'hint' }, 'En cas de problème, le journal technique et les informations de diagnostic aident le support. Ils ne contiennent ni noms ni texte de réclamation.'),
    h('div', { class: 'inline-form' }, openLog, copy),
    shown.wrapper,
    notifyField.wrapper,
    status);
}
