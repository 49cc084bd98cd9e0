// « Déclarations d'intérêts »: who declared, in which role, when, the answer, the comment and
// the signed document; a form to record one (an intervenant of the register, or a member of
// staff as Responsable). Someone whose latest declaration is a conflict cannot act on the file.

import * as api from '../../api.js';
import { h, replace, frDate, dash, field, choices, showErrors, clearErrors, errorMessage } from '../../dom.js';
import { setFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';

function table(declarations) {
  if (!declarations.length) return h('p', { class: 'muted' }, 'Aucune déclaration enregistrée pour ce dossier.');
  return h('table', { class: 'table', 'aria-label': 'Déclarations d’intérêts' },
    h('thead', {}, h('tr', {}, ['Date', 'Personne', 'Rôle', 'Réponse', 'Commentaire', 'Document'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, declarations.map((d) => h('tr', { class: d.conflict ? 'declaration-conflict' : 'declaration-clear' },
      h('td', {}, frDate(d.declared_on)),
      h('td', {}, d.person_name),
      h('td', {}, d.role_label),
      h('td', {}, h('strong', {}, d.answer_label)),
      h('td', {}, dash(d.comment)),
      h('td', {}, d.document_id
        ? h('button', { type: 'button', class: 'button small', onClick: () => api.openDocument(d.document_id) }, d.document_name)
        : '—')))));
}

async function declarationForm(c, documents, done, cancel, reload) {
  const [people, staff] = await Promise.all([api.listIntervenants(null, true), api.listStaff()]);
  // One list: intervenants by their role, then the staff as Responsable (`i:<id>` / `s:<id>`).
  const who = h('select', { name: 'person' },
    h('option', { value: '' }, '— Choisir —'),
    ['investigator', 'expert'].map((kind) => h('optgroup', { label: kind === 'expert' ? 'Experts' : 'Instructeurs' },
      people.filter((p) => p.kind === kind).map((p) => h('option', { value: `i:${p.id}` }, p.display)))),
    h('optgroup', { label: 'Responsables (personnel)' },
      staff.filter((s) => s.active).map((s) => h('option', { value: `s:${s.id}` }, s.signatory_label ? `${s.name} — ${s.signatory_label}` : s.name))));
  const received = documents.filter((d) => d.direction === 'in');
  const doc = h('select', { name: 'document_id' },
    h('option', { value: '' }, '— Aucun —'),
    received.map((d) => h('option', { value: String(d.id) }, `${d.relative_path.split('/').pop()} (reçu le ${frDate(d.created_on)})`)));
  const fields = new Map([
    ['person', field({ label: 'Qui déclare', input: who, required: true, hint: people.length ? null : 'Le registre des intervenants est vide : ajoutez-les dans Paramètres.' })],
    ['date', field({ label: 'Date de la déclaration', input: h('input', { type: 'text', name: 'date', value: frDate(api.today()), placeholder: 'JJ/MM/AAAA' }), required: true })],
    ['conflict', choices({
      name: 'conflict',
      legend: 'Réponse',
      type: 'radio',
      required: true,
      items: [['0', 'Absence de conflit d’intérêts', true], ['1', 'Conflit d’intérêts déclaré', false]],
    })],
    ['comment', field({ label: 'Commentaire', input: h('textarea', { name: 'comment', rows: 2 }) })],
    ['document_id', field({ label: 'Déclaration reçue (document du dossier)', input: doc, hint: received.length ? null : 'Aucun document reçu dans ce dossier : déposez le scan sur la fenêtre pour le joindre.' })],
  ]);
  const summary = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'subform', novalidate: true, 'aria-label': 'Enregistrer une déclaration d’intérêts' },
    h('p', { class: 'subtitle' }, 'Enregistrer une déclaration d’intérêts'), summary,
    [...fields.values()].map((f) => f.wrapper),
    h('p', { class: 'hint' }, 'La personne déclare n’avoir aucun lien avec le qualifié ni avec le plaignant. Celle qui déclare un conflit ne peut pas intervenir sur ce dossier.'),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer la déclaration'),
      h('button', {
        type: 'button',
        class: 'button',
        onClick: async () => {
          clearErrors(fields, summary);
          const [type, id] = who.value.split(':');
          if (type !== 'i') {
            fields.get('person').setError('Choisissez l’instructeur ou l’expert à qui adresser le formulaire.');
            return;
          }
          try {
            await api.generateDeclarationForm(c.id, currentStaffId(), Number(id));
            setFlash('Formulaire de déclaration généré et archivé : à envoyer depuis la carte « Courriers ».');
            await reload();
          } catch (err) {
            showErrors(fields, err, { summary, alias: (key) => (key === 'intervenant_id' ? 'person' : key) });
          }
        },
      }, 'Générer le formulaire à signer'),
      h('button', { type: 'button', class: 'button', onClick: cancel }, 'Annuler')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields, summary);
    const [type, id] = who.value.split(':');
    try {
      await api.recordDeclaration(c.id, currentStaffId(), {
        intervenant_id: type === 'i' ? Number(id) : null,
        staff_id: type === 's' ? Number(id) : null,
        date: fields.get('date').input.value,
        conflict: fields.get('conflict').picked()[0] === '1',
        comment: fields.get('comment').input.value,
        document_id: doc.value ? Number(doc.value) : null,
      });
      done();
    } catch (err) {
      showErrors(fields, err, { summary, alias: (key) => (key === 'role' ? 'person' : key) });
    }
  });
  return form;
}

/** The card; `documents` are the complaint's (from the letters view), `reload` re-renders the page. */
export function declarationsCard(c, documents, reload) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Chargement…'));
  const slot = h('div', {});
  const add = h('button', {
    type: 'button',
    class: 'button',
    id: 'add-declaration',
    onClick: async () => {
      try {
        const form = await declarationForm(c, documents, async () => {
          setFlash('Déclaration d’intérêts enregistrée.');
          await reload();
        }, () => { replace(slot); add.hidden = false; add.focus(); }, reload);
        replace(slot, form);
        add.hidden = true;
        form.querySelector('select')?.focus();
      } catch (err) {
        replace(slot, h('p', { class: 'banner banner-error', role: 'alert' }, errorMessage(err)));
      }
    },
  }, 'Enregistrer une déclaration');
  api.listDeclarations(c.id)
    .then((list) => replace(body, table(list)))
    .catch((err) => replace(body, h('p', { class: 'banner banner-error', role: 'alert' }, errorMessage(err))));
  return h('section', { class: 'card', 'aria-labelledby': 'h-declarations', id: 'declarations' },
    h('div', { class: 'card-head' }, h('h2', { id: 'h-declarations' }, 'Déclarations d’intérêts'), add),
    h('p', { class: 'hint' }, 'Avant de recevoir le dossier, l’instructeur et l’expert (et le Responsable si les paramètres l’exigent) déclarent l’absence de conflit d’intérêts avec le qualifié et le plaignant.'),
    body, slot);
}
