// « Intervenants » (a card of Paramètres): the register of instructeurs and experts, with the
// postal address their letters go to; add, edit, deactivate (never delete: files name them);
// filter by kind. Also the impartiality option « Exiger la déclaration du Responsable ».

import * as api from '../api.js';
import { h, replace, field, dash, showErrors, clearErrors, errorMessage } from '../dom.js';

const KINDS = [['investigator', 'Instructeur'], ['expert', 'Expert']];
const CIVILITIES = [['', '—'], ['madame', 'Madame'], ['monsieur', 'Monsieur']];

const select = (items, current) => h('select', {}, items.map(([value, label]) =>
  h('option', { value, selected: value === current }, label)));

/** The add / edit form; `person` null to add. `done(message)` after a save, `cancel()`. */
function intervenantForm(person, done, cancel) {
  const a = person?.address ?? { lines: [], postcode: '', city: '' };
  const specs = [
    ['kind', 'Rôle', select(KINDS, person?.kind ?? 'investigator'), true],
    ['civility', 'Civilité', select(CIVILITIES, person?.civility ?? ''), false],
    ['name', 'Nom de l’intervenant', h('input', { type: 'text', value: person?.name ?? '' }), true],
    ['speciality', 'Spécialité', h('input', { type: 'text', value: person?.speciality ?? '', placeholder: 'métreur, thermicien…' }), false],
    ['address_lines', 'Adresse (numéro et voie)', h('textarea', { rows: 2 }, a.lines.join('\n')), true],
    ['postcode', 'Code postal', h('input', { type: 'text', inputmode: 'numeric', value: a.postcode }), true],
    ['city', 'Ville', h('input', { type: 'text', value: a.city }), true],
    ['email', 'Courriel', h('input', { type: 'email', value: person?.email ?? '' }), false],
    ['phone', 'Téléphone', h('input', { type: 'tel', value: person?.phone ?? '' }), false],
  ];
  const fields = new Map(specs.map(([key, label, input, required]) => {
    input.name = key;
    return [key, field({ label, input, required })];
  }));
  const summary = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const title = person ? `Modifier ${person.display}` : 'Nouvel intervenant';
  const form = h('form', { class: 'subform', novalidate: true, 'aria-label': title },
    h('p', { class: 'subtitle' }, title), summary,
    h('div', { class: 'grid' }, [...fields.values()].map((f) => f.wrapper)),
    h('p', { class: 'hint' }, 'Les courriers lui sont adressés : l’adresse postale complète est obligatoire.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer l’intervenant'),
      h('button', { type: 'button', class: 'button', onClick: cancel }, 'Annuler')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields, summary);
    try {
      await api.saveIntervenant(person?.id ?? null, Object.fromEntries([...fields].map(([k, f]) => [k, f.input.value])));
      done(person ? 'Intervenant modifié.' : 'Intervenant ajouté.');
    } catch (err) {
      showErrors(fields, err, { summary });
    }
  });
  return form;
}

async function impartialityOption() {
  const box = h('input', { type: 'checkbox', checked: await api.getManagerDeclarationRequired() });
  const status = h('p', { role: 'status', class: 'muted' });
  const f = field({
    label: 'Exiger la déclaration du Responsable',
    input: box,
    inline: true,
    hint: 'Le Responsable qui décide déclare alors lui aussi l’absence de conflit d’intérêts, sur la fiche de la réclamation.',
  });
  box.addEventListener('change', async () => {
    try {
      await api.setManagerDeclarationRequired(box.checked);
      status.textContent = box.checked ? 'La déclaration du Responsable est exigée.' : 'La déclaration du Responsable n’est plus exigée.';
    } catch (err) {
      status.textContent = errorMessage(err);
      box.checked = !box.checked;
    }
  });
  return h('div', {}, f.wrapper, status);
}

/** The card « Intervenants (instructeurs et experts) ». */
export async function intervenantsCard() {
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-intervenants' });
  const filter = select([['', 'Tous'], ...KINDS.map(([v]) => [v, v === 'expert' ? 'Experts' : 'Instructeurs'])], '');
  const inactive = h('input', { type: 'checkbox', checked: true });
  const list = h('div', {});
  const slot = h('div', {});
  const status = h('p', { role: 'status', class: 'muted' });
  const refresh = async (message) => {
    replace(slot);
    if (message !== undefined) status.textContent = message;
    const people = await api.listIntervenants(filter.value || null, !inactive.checked);
    const edit = (p) => () => {
      replace(slot, intervenantForm(p, (m) => refresh(m), () => refresh()));
      slot.querySelector('select, input')?.focus();
    };
    replace(list, people.length
      ? h('table', { class: 'table', 'aria-label': 'Intervenants' },
        h('thead', {}, h('tr', {}, ['Nom', 'Rôle', 'Adresse', 'Courriel / téléphone', 'État', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, people.map((p) => h('tr', { 'data-id': String(p.id) },
          h('td', {}, p.display),
          h('td', {}, p.kind_label),
          h('td', {}, [...p.address.lines, `${p.address.postcode} ${p.address.city}`].join(', ')),
          h('td', {}, dash([p.email, p.phone].filter(Boolean).join(' — '))),
          h('td', {}, p.active ? 'Actif' : 'Inactif'),
          h('td', {},
            h('button', { type: 'button', class: 'button small', onClick: edit(p) }, `Modifier ${p.name}`), ' ',
            h('button', {
              type: 'button',
              class: 'button small',
              onClick: async () => {
                try {
                  await api.setIntervenantActive(p.id, !p.active);
                  await refresh(p.active ? `${p.name} est désactivé(e) : il (elle) n’est plus proposé(e) pour les nouveaux dossiers.` : `${p.name} est réactivé(e).`);
                } catch (err) { status.textContent = errorMessage(err); }
              },
            }, p.active ? `Désactiver ${p.name}` : `Réactiver ${p.name}`))))))
      : h('p', { class: 'muted' }, 'Aucun intervenant enregistré.'));
    card.querySelector('#add-intervenant').onclick = edit(null);
  };
  filter.addEventListener('change', () => refresh());
  inactive.addEventListener('change', () => refresh());
  replace(card,
    h('div', { class: 'card-head' },
      h('h2', { id: 'h-intervenants' }, 'Intervenants (instructeurs et experts)'),
      h('button', { type: 'button', class: 'button primary', id: 'add-intervenant' }, 'Ajouter un intervenant')),
    h('p', { class: 'hint' }, 'Un intervenant n’est jamais supprimé : les dossiers le nomment. Désactivé, il n’est plus proposé.'),
    h('div', { class: 'filter-row' },
      field({ label: 'Afficher', input: filter }).wrapper,
      field({ label: 'Inclure les inactifs', input: inactive, inline: true }).wrapper),
    list, slot, status,
    await impartialityOption());
  await refresh();
  return card;
}
