// Backups off the data disk (Paramètres) and their line on the dashboard: the destination
// chosen and checked, tiers of retention, a snapshot now, « Vérifier les sauvegardes » (the
// restore drill) and its last result, the snapshots kept, each restorable.

import * as api from '../api.js';
import { h, replace, appendChildren, field, frDate, showErrors, clearErrors, backupRunner } from '../dom.js';

const when = (stamp) => (stamp ? `${frDate(stamp.slice(0, 10))} à ${stamp.slice(11, 16)}` : '—');
const size = (n) => (n >= 1073741824 ? `${(n / 1073741824).toFixed(1)} Go` : `${Math.max(1, Math.round(n / 1048576))} Mo`).replace('.', ',');

/** The last drill, in one sentence. */
export function drillText(d) {
  if (!d) return 'Les sauvegardes n’ont pas encore été vérifiées (« Vérifier les sauvegardes », ou automatiquement chaque mois).';
  if (d.ok) {
    const n = (count, one, many) => `${count} ${count > 1 ? many : one}`;
    return `Dernière vérification le ${frDate(d.checked_on)} : réussie — base intègre, ${n(d.chains_checked, 'journal', 'journaux')} et ${n(d.documents_checked, 'document', 'documents')} contrôlés.`;
  }
  return `Dernière vérification le ${frDate(d.checked_on)} : en échec — ${d.problems.join(' ')}`;
}

/** The dashboard's line about backups: a warning when the external copy is missing or old. */
export async function backupBanner() {
  const o = await api.backupOverview().catch(() => null);
  if (!o) return null;
  const lines = [];
  if (o.status.warning) {
    lines.push(h('p', { class: 'warning', 'data-backup-warning': '' },
      `${o.status.warning}. `, h('a', { href: '#/parametres' }, 'Configurer ou lancer une sauvegarde externe (Paramètres)')));
  }
  if (o.status.last_external_error) {
    const [stamp, ...rest] = o.status.last_external_error.split(' ');
    lines.push(h('p', { class: 'warning' }, `Dernière tentative, le ${when(stamp)} : ${rest.join(' ')}`));
  }
  const drill = o.status.last_drill;
  if (drill && !drill.ok) lines.push(h('p', { class: 'banner banner-error' }, drillText(drill)));
  return h('section', { class: 'card', 'aria-labelledby': 'h-backup-state' },
    h('h2', { id: 'h-backup-state' }, 'Sauvegardes'),
    lines,
    h('p', { class: 'muted' },
      o.status.last_external ? `Dernière sauvegarde externe : ${when(o.status.last_external)}. ` : '',
      drillText(drill)));
}

function snapshotTable(list, onRestore, label) {
  if (!list.length) return h('p', { class: 'muted' }, 'Aucune sauvegarde.');
  return h('table', { class: 'table', 'aria-label': label },
    h('thead', {}, h('tr', {}, ['Date', 'Réclamations', 'Documents', 'Taille', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, list.map((s) => h('tr', {},
      h('td', {}, when(s.created_at)),
      h('td', {}, String(s.complaints)),
      h('td', {}, String(s.files)),
      h('td', {}, size(s.bytes)),
      h('td', {}, h('button', { type: 'button', class: 'button small', onClick: (e) => onRestore(s, e.currentTarget) },
        `Restaurer la sauvegarde du ${when(s.created_at)}`))))));
}

/** Paramètres: « Sauvegardes externes ». With `setup` (the first start), only the destination
 * and the tiers: nothing has been backed up yet. */
export async function externalBackupsCard({ setup = false } = {}) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-external-backups' });
  const render = async (message) => {
    const o = await api.backupOverview();
    const status = h('p', { role: 'status', class: 'muted' }, message ?? '');
    const busy = backupRunner(status);
    const destination = field({
      label: 'Destination des sauvegardes automatiques',
      className: 'field grow',
      hint: 'Un disque externe, une clé USB ou un partage réseau : pas le disque des données.',
      input: h('input', { type: 'text', name: 'destination', value: o.settings.destination ?? '', placeholder: 'Dossier de destination' }),
    });
    const numbers = [
      ['tiers.daily', 'Quotidiennes gardées', o.settings.tiers.daily],
      ['tiers.monthly', 'Mensuelles gardées', o.settings.tiers.monthly],
      ['tiers.yearly', 'Annuelles gardées', o.settings.tiers.yearly],
      ['warn_days', 'Alerte sans sauvegarde externe depuis (jours)', o.settings.warn_days],
    ].map(([key, label, value]) => [key, field({ label, className: 'field narrow', input: h('input', { type: 'text', inputmode: 'numeric', name: key, value: String(value) }) })]);
    const fields = new Map([['destination', destination], ...numbers]);
    const checkLine = h('p', { role: 'status', class: 'muted', id: 'destination-check' });
    const showCheck = (c) => {
      if (!c) return;
      destination.input.value = c.path;
      if (c.message) {
        destination.setError(c.message);
        checkLine.textContent = '';
      } else {
        destination.setError(null);
        checkLine.className = c.warning ? 'warning' : 'muted';
        checkLine.textContent = `Dossier utilisable${c.free_bytes !== null ? ` : ${size(c.free_bytes)} libres` : ''}, environ ${size(c.needed_bytes)} à écrire pour la première sauvegarde.${c.warning ? ` ${c.warning}` : ''}`;
      }
    };
    const form = h('form', { novalidate: true, 'aria-label': 'Sauvegardes externes' },
      h('div', { class: 'inline-form' },
        h('button', { type: 'button', class: 'button', onClick: async () => showCheck(await api.checkBackupDestination(null).catch((err) => { destination.setError(err.message); return null; })) }, 'Parcourir…'),
        destination.wrapper,
        h('button', { type: 'button', class: 'button', onClick: async () => showCheck(await api.checkBackupDestination(destination.input.value.trim() || null).catch((err) => { destination.setError(err.message); return null; })) }, 'Vérifier ce dossier')),
      checkLine,
      h('div', { class: 'grid' }, numbers.map(([, f]) => f.wrapper)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer : sauvegardes externes')));
    // Resolves to whether it was saved; the setup's « Suivant » calls it too.
    form.saveChanges = async () => {
      clearErrors(fields);
      const num = (key) => Number.parseInt(fields.get(key).input.value, 10);
      try {
        await api.saveBackupSettings({
          destination: destination.input.value.trim() || null,
          tiers: { daily: num('tiers.daily'), monthly: num('tiers.monthly'), yearly: num('tiers.yearly') },
          warn_days: num('warn_days'),
        });
        await render(setup
          ? 'Enregistré. La première sauvegarde vers cette destination sera faite au prochain démarrage.'
          : 'Enregistré. La sauvegarde automatique du jour est faite au prochain démarrage, ou maintenant avec le bouton ci-dessous.');
        return true;
      } catch (err) {
        showErrors(fields, err, { summary: status });
        return false;
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      form.saveChanges();
    });
    const restore = (local) => (s, button) => busy(button, 'Vérification puis restauration…', async () => {
      const r = await api.restoreSnapshot(s.id, local, null);
      await render(`Sauvegarde du ${when(s.created_at)} restaurée. Les données remplacées sont conservées dans ${r.replaced_kept_in}.`);
    });
    replace(card,
      h('h2', { id: 'h-external-backups' }, 'Sauvegardes externes'),
      h('p', { class: 'hint' }, 'Chaque jour, au premier démarrage, une sauvegarde est faite dans le dossier des données et une autre sur la destination ci-dessous. Les documents n’y sont écrits qu’une fois ; seules les modifications du jour sont ajoutées. Sont gardées les dernières sauvegardes de chaque jour, de chaque mois et de chaque année, selon les nombres ci-dessous.'),
      o.status.warning && !setup ? h('p', { class: 'warning' }, `${o.status.warning}.`) : null,
      form,
      setup ? status : null);
    if (setup) return;
    appendChildren(card, [
      h('h3', {}, 'Sauvegarder et vérifier maintenant'),
      h('div', { class: 'action-buttons' },
        h('button', {
          type: 'button',
          class: 'button primary',
          disabled: !o.settings.destination,
          onClick: (e) => busy(e.currentTarget, 'Sauvegarde vers la destination en cours…', async () => {
            const r = await api.backupToDestination();
            await render(`Sauvegarde faite : ${r.new_objects} fichier(s) nouveaux écrits (${size(r.bytes_written)}), ${r.reused_objects} déjà présents.`);
          }),
        }, 'Sauvegarder maintenant vers la destination'),
        h('button', {
          type: 'button',
          class: 'button',
          onClick: (e) => busy(e.currentTarget, 'Vérification : restauration d’essai dans un dossier temporaire…', async () => {
            const d = await api.runBackupDrill();
            await render(d.ok ? 'Vérification terminée.' : 'La vérification a trouvé des problèmes : voir ci-dessous.');
          }),
        }, 'Vérifier les sauvegardes')),
      status,
      h('p', { class: 'muted', 'data-drill': '' }, drillText(o.status.last_drill)),
      h('h3', {}, 'Sur la destination'),
      o.external_error ? h('p', { class: 'warning' }, o.external_error) : snapshotTable(o.external, restore(false), 'Sauvegardes sur la destination'),
      h('h3', {}, 'Dans le dossier des données'),
      snapshotTable(o.local, restore(true), 'Sauvegardes locales')]);
  };
  await render();
  return card;
}
