// Paramètres: the staff list and the deadline durations. (Organisation identity, signatories,
// letter templates and backups come with their features.)

import * as api from '../api.js';
import { h, replace, nextId } from '../dom.js';
import { renderUserPicker } from '../session.js';

function labelled(label, input, error) {
  const id = nextId('s');
  input.id = id;
  if (error) input.setAttribute('aria-describedby', error.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, error);
}

async function staffCard() {
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-staff' });
  const refresh = async () => {
    const staff = await api.listStaff();
    const nameErr = h('p', { class: 'field-error', id: nextId('e'), hidden: true });
    const roleErr = h('p', { class: 'field-error', id: nextId('e'), hidden: true });
    const name = h('input', { type: 'text', name: 'name' });
    const role = h('input', { type: 'text', name: 'role' });
    const form = h('form', { class: 'inline-form', novalidate: true, 'aria-label': 'Ajouter une personne' },
      labelled('Nom', name, nameErr), labelled('Fonction', role, roleErr),
      h('button', { type: 'submit', class: 'button primary' }, 'Ajouter'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api.addStaff({ name: name.value, role: role.value });
        await refresh();
        await renderUserPicker(document.getElementById('user-picker'));
      } catch (err) {
        for (const [key, el] of [['name', nameErr], ['role', roleErr]]) {
          el.hidden = !err?.fields?.[key];
          el.textContent = err?.fields?.[key] ?? '';
        }
      }
    });
    replace(card,
      h('h2', { id: 'h-staff' }, 'Personnel'),
      h('p', { class: 'hint' }, 'Chaque action est signée par la personne choisie dans « Utilisateur ». Une personne n’est jamais supprimée : le journal la nomme.'),
      h('table', { class: 'table', 'aria-label': 'Personnel' },
        h('thead', {}, h('tr', {}, ['Nom', 'Fonction', 'État', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, staff.map((s) => h('tr', {},
          h('td', {}, s.name), h('td', {}, s.role), h('td', {}, s.active ? 'Active' : 'Inactive'),
          h('td', {}, h('button', {
            type: 'button',
            class: 'button',
            onClick: async () => {
              await api.setStaffActive(s.id, !s.active);
              await refresh();
              await renderUserPicker(document.getElementById('user-picker'));
            },
          }, s.active ? `Désactiver ${s.name}` : `Réactiver ${s.name}`)))))),
      form);
  };
  await refresh();
  return card;
}

const DURATIONS = [
  ['firm_months', 'Réponse du qualifié (mois)'],
  ['investigator_months', 'Réponse de l’instructeur (mois)'],
  ['complainant_months', 'Réponse du plaignant, indicatif (mois)'],
  ['overall_months', 'Délai global de traitement (mois)'],
  ['flag_months', 'Signalement à partir de (mois)'],
  ['soon_days', '« Bientôt » avant l’échéance (jours)'],
  ['retention_years', 'Conservation après clôture (ans)'],
];

async function deadlinesCard() {
  const current = await api.getDeadlineSettings();
  const inputs = new Map();
  const errors = new Map();
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { novalidate: true, 'aria-label': 'Délais' },
    h('div', { class: 'grid' }, DURATIONS.map(([key, label]) => {
      const input = h('input', { type: 'text', inputmode: 'numeric', class: 'number', name: key, value: String(current[key]) });
      const error = h('p', { class: 'field-error', id: nextId('e'), hidden: true });
      inputs.set(key, input);
      errors.set(key, error);
      return labelled(label, input, error);
    })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer les délais')),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const [key, input] of inputs) {
      const n = Number(input.value.trim());
      values[key] = Number.isInteger(n) && n >= 0 ? n : -1;
    }
    for (const el of errors.values()) el.hidden = true;
    const invalid = Object.entries(values).filter(([, v]) => v < 0);
    if (invalid.length) {
      for (const [key] of invalid) {
        errors.get(key).textContent = 'Indiquez un nombre entier.';
        errors.get(key).hidden = false;
      }
      return;
    }
    try {
      await api.saveDeadlineSettings(values);
      status.textContent = 'Délais enregistrés. Les échéances déjà calculées ne changent pas.';
    } catch (err) {
      status.textContent = err?.message ?? String(err);
      for (const [key, message] of Object.entries(err?.fields ?? {})) {
        errors.get(key).textContent = message;
        errors.get(key).hidden = false;
      }
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'h-deadlines' },
    h('h2', { id: 'h-deadlines' }, 'Délais de la procédure'),
    h('p', { class: 'hint' }, '« Sous un mois » se compte de date à date ; une échéance tombant un samedi, un dimanche ou un jour férié est reportée au premier jour ouvré suivant.'),
    form);
}

export async function settingsPage() {
  return h('section', { class: 'page' }, h('h1', {}, 'Paramètres'), await staffCard(), await deadlinesCard());
}
