// Backups off the data disk (Paramètres) and their line on the dashboard: the destination
// chosen and checked, tiers of retention, a snapshot now, « Vérifier les sauvegardes » (the
// restore drill) and its last result, the snapshots kept, each restorable. A restore is shown
// first (what it replaces against what it brings), then confirmed, and can be undone.

import * as api from '../api.js';
import { h, replace, appendChildren, field, frDate, showErrors, clearErrors, backupRunner, errorMessage } from '../dom.js';

const when = (stamp) => (stamp ? `${frDate(stamp.slice(0, 10))} à ${stamp.slice(11, 16)}` : '—');
const fileStamp = (iso) => (iso ? `${frDate(iso.slice(0, 10))} à ${iso.slice(11, 16)}` : '—');
const RESTORE_MESSAGE = 'reclamations.restore-message';
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

/**
 * The restore's confirmation, in `slot`: the register open now (what will be replaced) beside
 * the backup (what will be restored), then « Remplacer le registre par cette sauvegarde » or
 * « Ne pas restaurer ». `run()` restores; on success the whole window reloads on Paramètres,
 * whose banner offers « Annuler la restauration ».
 */
export function confirmRestore(slot, plan, run) {
  const { current, backup } = plan;
  const status = h('p', { role: 'status', class: 'muted' });
  const row = (label, now, then) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, now), h('td', {}, then));
  const newer = current.latest_change && current.latest_change > backup.created_at;
  const go = h('button', { type: 'button', class: 'button danger' }, 'Remplacer le registre par cette sauvegarde');
  const cancel = h('button', { type: 'button', class: 'button', onClick: () => replace(slot) }, 'Ne pas restaurer');
  go.addEventListener('click', async () => {
    go.disabled = true;
    cancel.disabled = true;
    status.className = 'muted';
    status.textContent = 'Vérification complète de la sauvegarde, copie du registre actuel, puis restauration…';
    try {
      const r = await run();
      sessionStorage.setItem(RESTORE_MESSAGE, `Registre restauré depuis ${r.restored} : ${backup.complaints} réclamation(s), ${backup.documents} document(s). Le registre remplacé est conservé dans ${r.replaced_kept_in}.`);
      history.replaceState(null, '', '#/parametres');
      location.reload();
    } catch (err) {
      status.className = 'banner banner-error';
      status.textContent = errorMessage(err);
      go.disabled = false;
      cancel.disabled = false;
    }
  });
  const panel = h('div', { class: 'restore-confirm', role: 'alertdialog', 'aria-labelledby': 'h-restore-confirm', 'aria-describedby': 'restore-confirm-text' },
    h('h3', { id: 'h-restore-confirm' }, `Restaurer la sauvegarde du ${when(backup.created_at)} ?`),
    h('p', { id: 'restore-confirm-text' }, 'Le registre actuel sera remplacé en entier par la sauvegarde. Il est d’abord copié dans le dossier des sauvegardes et conservé : « Annuler la restauration » le remettra en place.'),
    backup.other_register ? h('p', { class: 'warning' }, 'Cette sauvegarde est celle d’un autre registre (un autre poste ou une autre installation).') : null,
    newer ? h('p', { class: 'warning' }, `Le registre actuel a été modifié après cette sauvegarde (dernière modification le ${fileStamp(current.latest_change)}) : ces modifications ne seront plus dans le registre restauré.`) : null,
    h('table', { class: 'table compact', 'aria-label': 'Ce que la restauration remplace' },
      h('thead', {}, h('tr', {}, h('td', {}), h('th', { scope: 'col' }, 'Registre actuel (remplacé)'), h('th', { scope: 'col' }, 'Sauvegarde (restaurée)'))),
      h('tbody', {},
        row('Date', current.latest_change ? `dernière modification le ${fileStamp(current.latest_change)}` : 'aucune modification', `sauvegardé le ${when(backup.created_at)}`),
        row('Réclamations', String(current.complaints), String(backup.complaints)),
        row('Entrées du journal', String(current.journal_entries), String(backup.journal_entries)),
        row('Qualifiés', String(current.firms), String(backup.firms)),
        row('Documents', String(current.documents), String(backup.documents)))),
    h('div', { class: 'actions' }, go, cancel),
    status);
  replace(slot, panel);
  go.focus();
}

/** Paramètres' banner after a restore: what was restored, and « Annuler la restauration ». */
export async function restoreBanner() {
  const message = sessionStorage.getItem(RESTORE_MESSAGE);
  sessionStorage.removeItem(RESTORE_MESSAGE);
  const last = await api.restoreStatus().catch(() => null);
  if (!message && !last) return null;
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-restored' });
  const status = h('p', { role: 'status', class: message ? 'banner banner-success' : 'muted' }, message ?? '');
  const undo = last ? h('button', { type: 'button', class: 'button' }, 'Annuler la restauration') : null;
  undo?.addEventListener('click', async () => {
    undo.disabled = true;
    status.className = 'muted';
    status.textContent = 'Remise en place du registre d’avant la restauration…';
    try {
      const r = await api.undoRestore();
      const was = r.undone.replaced;
      sessionStorage.setItem(RESTORE_MESSAGE, `Restauration annulée : le registre d’avant est revenu (${was.complaints} réclamation(s), ${was.documents} document(s)). Le registre qui avait été restauré est conservé dans ${r.restored_kept_in}.`);
      location.reload();
    } catch (err) {
      status.className = 'banner banner-error';
      status.textContent = errorMessage(err);
      undo.disabled = false;
    }
  });
  replace(card,
    h('h2', { id: 'h-restored' }, last ? 'Registre restauré' : 'Restauration'),
    status,
    last ? h('p', { class: 'hint' }, `Restauré depuis ${last.restored}. Le registre remplacé (${last.replaced.complaints} réclamation(s)) est conservé dans ${last.replaced_kept_in} ; il peut être remis en place tant que l’application n’est pas fermée.`) : null,
    undo ? h('div', { class: 'actions' }, undo) : null);
  return card;
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
    // A restore's confirmation opens under the table (or the destination) it was asked from.
    const slots = { external: h('div', { class: 'restore-slot' }), local: h('div', { class: 'restore-slot' }), foreign: h('div', { class: 'restore-slot' }) };

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
      replace(slots.foreign);
      if (c.message) {
        destination.setError(c.message);
        checkLine.textContent = '';
        if (c.foreign?.can_restore) {
          // A new, empty install pointed at the real register's key: restore it rather than mix.
          const s = c.foreign.latest;
          replace(slots.foreign, h('button', { type: 'button', class: 'button primary', onClick: () => ask(slots.foreign, s.id, false, c.path) },
            `Restaurer ce registre (sauvegarde du ${when(s.created_at)})`));
        }
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
      slots.foreign,
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
    const ask = async (slot, id, local, folder) => {
      try {
        const plan = await api.inspectSnapshot(id, local, folder);
        confirmRestore(slot, plan, () => api.restoreSnapshot(id, local, folder));
      } catch (err) {
        replace(slot, h('p', { class: 'banner banner-error', role: 'alert' }, errorMessage(err)));
      }
    };
    const restore = (local) => (s) => ask(local ? slots.local : slots.external, s.id, local, null);
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
      o.external_error ? h('p', { class: 'warning' }, o.external_error) : null,
      o.external.length || !o.external_error ? snapshotTable(o.external, restore(false), 'Sauvegardes sur la destination') : null,
      slots.external,
      h('h3', {}, 'Dans le dossier des données'),
      snapshotTable(o.local, restore(true), 'Sauvegardes locales'),
      slots.local]);
  };
  await render();
  return card;
}
