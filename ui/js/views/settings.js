// Paramètres: organisation identity and signatories, staff, deadline durations, the letters'
// content, letter templates, backups. Every form field is built with `field` (dom.js); refusals show next to
// their fields, and the message in the card's status line.

import * as api from '../api.js';
import { h, replace, field, showErrors, clearErrors, errorMessage, backupRunner } from '../dom.js';
import { renderUserPicker, currentStaffId } from '../session.js';
import { intervenantsCard } from './intervenants.js';
import { externalBackupsCard, confirmRestore, restoreBanner } from './backups.js';
import { registerCheckCard } from './register-check.js';
import { assistanceCard } from './assistance.js';
import { logoCard } from './logo.js';
import { personalDataCard } from './personal-data.js';

/** Fields keyed like the core's form: `[key, label, input]` → Map key → field. */
const fieldMap = (specs) => new Map(specs.map(([key, label, input]) => {
  input.name = key;
  return [key, field({ label, input })];
}));
const wrappers = (fields) => [...fields.values()].map((f) => f.wrapper);

const SIGNATORIES = [
  ['', '—'],
  ['general_delegate', 'Déléguée Générale'],
  ['qualification_manager', 'Responsable des Qualifications'],
  ['certification_manager', 'Responsable des Certifications'],
];

/** The signatory a member of staff is, chosen in place; a refusal shows in `status`. */
function signatoryPicker(member, status, refresh) {
  const picker = h('select', { 'aria-label': `Signataire : ${member.name}`, name: 'signatory' },
    SIGNATORIES.map(([code, label]) => h('option', { value: code, selected: code === (member.signatory ?? '') }, label)));
  picker.addEventListener('change', async () => {
    try {
      await api.setStaffSignatory(member.id, picker.value);
      await refresh();
      const s = document.querySelector('#h-staff')?.closest('section')?.querySelector('[role="status"]');
      if (s) s.textContent = picker.value ? `${member.name} : ${picker.selectedOptions[0].textContent}.` : `${member.name} n’est plus signataire.`;
    } catch (err) {
      picker.value = member.signatory ?? '';
      status.textContent = err?.fields?.signatory ?? errorMessage(err);
    }
  });
  return picker;
}

export async function staffCard() {
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-staff' });
  const refresh = async () => {
    const staff = await api.listStaff();
    const fields = fieldMap([['name', 'Nom', h('input', { type: 'text' })], ['role', 'Fonction', h('input', { type: 'text' })]]);
    const status = h('p', { role: 'status', class: 'muted' });
    const form = h('form', { class: 'inline-form', novalidate: true, 'aria-label': 'Ajouter une personne' },
      wrappers(fields),
      h('button', { type: 'submit', class: 'button primary' }, 'Ajouter'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(fields);
      status.textContent = '';
      try {
        await api.addStaff({ name: fields.get('name').input.value, role: fields.get('role').input.value });
        await refresh();
        await renderUserPicker(document.getElementById('user-picker'));
      } catch (err) {
        const rest = showErrors(fields, err);
        status.textContent = err?.fields && !rest.length ? '' : [errorMessage(err), ...rest].join(' ');
      }
    });
    replace(card,
      h('h2', { id: 'h-staff' }, 'Personnel'),
      h('p', { class: 'hint' }, 'Chaque action est signée par la personne choisie dans « Utilisateur ». Une personne n’est jamais supprimée : le journal la nomme.'),
      h('p', { class: 'hint' }, 'Signataire : la personne qui est la Déléguée Générale ou un Responsable ; une seule personne par signataire. La choisir inscrit son nom dans « Organisme et signataires » : les courriers sont signés de ce nom.'),
      h('table', { class: 'table', 'aria-label': 'Personnel' },
        h('thead', {}, h('tr', {}, ['Nom', 'Fonction', 'Signataire', 'État', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, staff.map((s) => h('tr', {},
          h('td', {}, s.name), h('td', {}, s.role), h('td', {}, signatoryPicker(s, status, refresh)), h('td', {}, s.active ? 'Active' : 'Inactive'),
          h('td', {}, h('button', {
            type: 'button',
            class: 'button',
            onClick: async () => {
              await api.setStaffActive(s.id, !s.active);
              await refresh();
              await renderUserPicker(document.getElementById('user-picker'));
            },
          }, s.active ? `Désactiver ${s.name}` : `Réactiver ${s.name}`)))))),
      form, status);
  };
  await refresh();
  return card;
}

const DURATIONS = [
  ['firm_months', 'Réponse du qualifié (mois)'],
  ['investigator_months', 'Réponse de l’instructeur (mois)'],
  ['expert_months', 'Rapport de l’expert (mois)'],
  ['complainant_months', 'Réponse du plaignant, indicatif (mois)'],
  ['overall_months', 'Délai global de traitement (mois)'],
  ['flag_months', 'Signalement à partir de (mois)'],
  ['soon_days', '« Bientôt » avant l’échéance (jours)'],
  ['retention_years', 'Conservation après clôture (ans)'],
];

async function deadlinesCard() {
  const current = await api.getDeadlineSettings();
  const fields = fieldMap(DURATIONS.map(([key, label]) => [key, label,
    h('input', { type: 'text', inputmode: 'numeric', class: 'number', value: String(current[key]) })]));
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { novalidate: true, 'aria-label': 'Délais' },
    h('div', { class: 'grid' }, wrappers(fields)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer les délais')),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const [key, { input }] of fields) {
      const n = Number(input.value.trim());
      values[key] = Number.isInteger(n) && n >= 0 ? n : -1;
    }
    clearErrors(fields);
    // The settings are numbers: what is not a whole number cannot even be sent.
    const invalid = Object.entries(values).filter(([, v]) => v < 0);
    if (invalid.length) {
      for (const [key] of invalid) fields.get(key).setError('Indiquez un nombre entier.');
      return;
    }
    try {
      await api.saveDeadlineSettings(values);
      status.textContent = 'Délais enregistrés. Les échéances déjà calculées ne changent pas.';
    } catch (err) {
      status.textContent = errorMessage(err);
      showErrors(fields, err);
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'h-deadlines' },
    h('h2', { id: 'h-deadlines' }, 'Délais de la procédure'),
    h('p', { class: 'hint' }, '« Sous un mois » se compte de date à date ; une échéance tombant un samedi, un dimanche ou un jour férié est reportée au premier jour ouvré suivant.'),
    form);
}

async function letterContentCard() {
  const current = await api.getLetterSettings();
  const content = h('select', {}, current.firm_letter_contents.map((c) =>
    h('option', { value: c.code, selected: c.code === current.firm_letter_content }, c.label)));
  const start = h('select', {}, current.firm_clock_starts.map((c) =>
    h('option', { value: c.code, selected: c.code === current.firm_clock_start }, c.label)));
  const fields = fieldMap([
    ['firm_letter_content', 'Le courrier d’information du qualifié contient', content],
    ['firm_clock_start', 'Par courrier, le délai de réponse du qualifié court à compter de', start],
    ['reminder_days', 'Nouvelle échéance donnée par les relances (qualifié, instructeur, expert, plaignant), en jours',
      h('input', { type: 'text', inputmode: 'numeric', class: 'number', value: String(current.reminder_days) })],
  ]);
  const inform = h('input', { type: 'checkbox', name: 'expert_inform_parties', checked: current.expert_inform_parties !== false });
  const contest = h('textarea', { rows: 4, name: 'committee_contest_text' }, current.committee_contest_text || '');
  const more = fieldMap([
    ['committee_contest_text', 'Voies de recours contre la décision de la commission (imprimées à la fin des deux courriers de décision ; laissez vide s’il n’y en a pas)', contest],
  ]);
  for (const [k, f] of more) fields.set(k, f);
  const informLabel = h('label', { class: 'checkbox' }, inform,
    ' Informer par courrier le plaignant et le qualifié de la désignation d’un expert');
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { novalidate: true, 'aria-label': 'Contenu des courriers' },
    h('div', { class: 'grid' }, wrappers(fields)),
    informLabel,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer le contenu des courriers')),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(fields);
    status.textContent = '';
    const days = Number(fields.get('reminder_days').input.value.trim());
    if (!Number.isInteger(days) || days < 0) {
      fields.get('reminder_days').setError('Indiquez un nombre entier.');
      return;
    }
    try {
      await api.saveLetterSettings({
        firm_letter_content: content.value,
        firm_clock_start: start.value,
        reminder_days: days,
        committee_contest_text: contest.value,
        expert_inform_parties: inform.checked,
      });
      status.textContent = 'Contenu des courriers enregistré. Les courriers déjà produits ne changent pas.';
    } catch (err) {
      status.textContent = errorMessage(err);
      showErrors(fields, err);
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'h-letter-content' },
    h('h2', { id: 'h-letter-content' }, 'Contenu des courriers'),
    h('p', { class: 'hint' }, 'Le qualifié doit répondre aux faits : le courrier qui l’informe les cite tels qu’enregistrés, ou annonce la copie de la réclamation en pièce jointe (elle doit alors être jointe au dossier ; le courrier du jour rappelle de l’imprimer avec lui). Dans les deux cas, il indique la date de réponse attendue, que le délai du qualifié conserve : ce délai court à compter de l’envoi du courrier (ou, si vous le choisissez, de la date de l’avis de réception d’un recommandé). La relance donne une nouvelle date, reportée au premier jour ouvré.'),
    form);
}

/** A card whose fields map to an object's keys, saved in one call; errors next to fields. */
function objectForm({ title, id, fields, value, save, savedMessage }) {
  const inputs = fieldMap(fields.map(([key, label, rows]) => [key, label,
    rows ? h('textarea', { rows }, value[key] ?? '') : h('input', { type: 'text', value: value[key] ?? '' })]));
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { novalidate: true, 'aria-label': title },
    h('div', { class: 'grid' }, wrappers(inputs)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button primary' }, `Enregistrer : ${title.toLowerCase()}`)),
    status);
  // Resolves to whether it was saved; the setup's « Suivant » calls it too (`saveChanges`).
  form.saveChanges = async () => {
    clearErrors(inputs);
    try {
      await save({ ...value, ...Object.fromEntries([...inputs].map(([k, f]) => [k, f.input.value])) });
      status.textContent = savedMessage;
      form.removeAttribute('data-changed');
      return true;
    } catch (err) {
      status.textContent = errorMessage(err);
      showErrors(inputs, err);
      return false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    form.saveChanges();
  });
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), form);
}

/** With `setup` (the first start), the signatories' names are left out: they are picked from
 * the staff at the next step, which writes them here. */
export async function organisationCard({ setup = false } = {}) {
  const org = await api.getOrganisation();
  const card = objectForm({
    title: 'Organisme et signataires',
    id: 'h-org',
    value: org,
    save: api.saveOrganisation,
    savedMessage: 'Enregistré. Les courriers déjà archivés restent tels qu’ils ont été envoyés.',
    fields: [
      ['name', 'Nom de l’organisme'],
      ['address_lines', 'Adresse de l’organisme', 2],
      ['postcode', 'Code postal de l’organisme'],
      ['city', 'Ville de l’organisme'],
      ['phone', 'Téléphone de l’organisme'],
      ['email', 'Courriel de l’organisme'],
      ['website', 'Site internet'],
      ['letter_place', 'Lieu des courriers (« Paris, le … »)'],
      ['general_delegate_name', 'Nom de la Déléguée Générale'],
      ['general_delegate_title', 'Titre de la Déléguée Générale'],
      ['qualification_manager_name', 'Nom du Responsable des Qualifications'],
      ['qualification_manager_title', 'Titre du Responsable des Qualifications'],
      ['certification_manager_name', 'Nom du Responsable des Certifications'],
      ['certification_manager_title', 'Titre du Responsable des Certifications'],
    ].filter(([key]) => !(setup && key.endsWith('_manager_name')) && !(setup && key === 'general_delegate_name')),
  });
  card.querySelector('form').before(h('p', { class: 'hint' }, setup
    ? 'Les noms des signataires se choisissent parmi le personnel, à l’étape suivante.'
    : 'Choisir une personne comme signataire dans « Personnel » inscrit son nom ici ; il peut être modifié.'));
  return card;
}

async function emailCoverCard() {
  const cover = await api.getEmailCover();
  const card = objectForm({
    title: 'Courriel d’accompagnement',
    id: 'h-email-cover',
    value: cover,
    save: api.saveEmailCover,
    savedMessage: 'Enregistré. Les courriels déjà préparés restent tels qu’ils ont été écrits.',
    fields: [
      ['subject', 'Objet du courriel d’accompagnement'],
      ['body', 'Texte du courriel d’accompagnement', 9],
    ],
  });
  card.querySelector('form').before(h('p', { class: 'hint' },
    'Le texte du courriel qui porte un courrier en pièce jointe (« Préparer par courriel »). Champs possibles : ',
    '{{ reference }}, {{ objet }}, {{ courrier }}, {{ appel }}, {{ destinataire }}, {{ piece_jointe }}, {{ organisation }}, {{ signataire }}, {{ titre_signataire }}. ',
    'L’expéditeur est le courriel de l’organisme ; la décision finale reste adressée par courrier postal.'));
  return card;
}

async function templatesCard() {
  const [templates, fields] = await Promise.all([api.listTemplates(), api.mergeFields()]);
  const card = h('section', { class: 'card', 'aria-labelledby': 'h-templates' });
  const optionLabel = (t) => (t.review ? `${t.kind_label} — à revoir` : t.kind_label);
  const picker = h('select', {}, templates.map((t) => h('option', { value: t.kind }, optionLabel(t))));
  const editor = h('div', {});
  const show = (kind) => {
    const t = templates.find((x) => x.kind === kind) ?? templates[0];
    const fields = fieldMap([
      ['subject', 'Objet', h('input', { type: 'text', value: t.subject })],
      ['body', 'Texte du courrier', h('textarea', { rows: 16, class: 'template-body' }, t.body)],
      ['preview', 'Dossier de l’aperçu (référence, vide pour un exemple)', h('input', { type: 'text', name: 'preview_reference', placeholder: 'REC-2026-0001' })],
    ]);
    const onFile = fields.get('preview').input;
    const subject = fields.get('subject').input;
    const body = fields.get('body').input;
    const status = h('p', { role: 'status', class: 'muted' },
      `Version ${t.version}${t.is_default ? ' (texte d’origine)' : ''} — destinataire : ${t.recipient_label}.`);
    // A version saved before the template engine changed, which no longer checks: its letters
    // are refused until it is corrected (or the default restored).
    const review = t.review
      ? h('p', { class: 'banner banner-error', role: 'alert' }, `Modèle à revoir : ${t.review} Tant qu’il n’est pas corrigé, ce courrier ne peut pas être produit.`)
      : null;
    const refused = (err) => {
      // A template merge refusal keyed `letter` is about the wording: it shows under the body.
      const rest = showErrors(fields, err, { alias: (key) => (key === 'letter' ? 'body' : key) });
      // What is wrong, not « un champ est à corriger »: the field's own message.
      status.textContent = err?.fields ? Object.values(err.fields).join(' ') : [errorMessage(err), ...rest].join(' ');
    };
    const after = async (message) => {
      const fresh = await api.listTemplates();
      templates.splice(0, templates.length, ...fresh);
      for (const option of picker.options) {
        const f = templates.find((x) => x.kind === option.value);
        if (f) option.textContent = optionLabel(f);
      }
      show(kind);
      editor.querySelector('[role="status"]').textContent = message;
    };
    replace(editor,
      review,
      wrappers(fields),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button',
          class: 'button primary',
          onClick: async () => {
            try {
              const v = await api.saveTemplate(kind, subject.value, body.value, currentStaffId());
              await after(`Modèle enregistré (version ${v}).`);
            } catch (err) { refused(err); }
          },
        }, 'Enregistrer le modèle'),
        h('button', {
          type: 'button',
          class: 'button',
          onClick: async () => {
            try {
              const r = await api.previewTemplate(kind, subject.value, body.value, onFile.value.trim() || null);
              status.textContent = r.opened ? `Aperçu ouvert : ${r.path}` : `Aperçu enregistré : ${r.path}`;
              clearErrors(fields);
            } catch (err) { refused(err); }
          },
        }, 'Prévisualiser'),
        h('button', {
          type: 'button',
          class: 'button',
          onClick: async () => {
            try {
              const v = await api.restoreTemplate(kind, currentStaffId());
              await after(`Texte d’origine rétabli (version ${v}).`);
            } catch (err) { refused(err); }
          },
        }, 'Restaurer le texte d’origine')),
      status);
  };
  picker.addEventListener('change', () => show(picker.value));
  show(templates[0]?.kind);
  replace(card,
    h('h2', { id: 'h-templates' }, 'Modèles de courriers'),
    h('p', { class: 'hint' }, 'Chaque enregistrement crée une nouvelle version : les courriers déjà produits gardent la leur. Les paragraphes sont séparés par une ligne vide ; une ligne commençant par « - » est un élément de liste.'),
    h('p', { class: 'hint' }, 'Conditions : {% if champ %}texte{% endif %} n’imprime le texte que si le champ a une valeur pour ce dossier, {% if champ %}…{% else %}…{% endif %} choisit entre deux textes (par exemple « après analyse de votre réponse » seulement si {{reponse_qualifie}} est renseigné). Une balise seule sur sa ligne ne laisse pas de ligne vide. Un champ vide ne peut être imprimé qu’à l’intérieur d’une telle condition.'),
    h('div', { class: 'template-layout' },
      h('div', {}, field({ label: 'Courrier', input: picker }).wrapper, editor),
      h('aside', { class: 'merge-fields', 'aria-label': 'Champs de fusion', tabindex: '0' },
        h('p', { class: 'subtitle' }, 'Champs de fusion'),
        h('dl', {}, fields.flatMap((f) => [h('dt', { class: 'mono' }, `{{${f.name}}}`), h('dd', {}, f.description)])))));
  return card;
}

function backupsCard() {
  const folder = field({ label: 'ou dans le dossier', className: 'field grow', input: h('input', { type: 'text', placeholder: 'Dossier (clé USB, partage réseau…)' }) });
  const file = field({ label: 'ou la sauvegarde', className: 'field grow', input: h('input', { type: 'text', placeholder: 'Fichier reclamations-sauvegarde-….tar' }) });
  const status = h('p', { role: 'status', class: 'muted' });
  const busy = backupRunner(status, ' fichiers');
  const backup = (useDialog) => (e) => busy(e.currentTarget, 'Sauvegarde en cours… (copie cohérente de la base, puis des documents)', async () => {
    const r = await api.backupNow(useDialog ? null : folder.input.value);
    if (r) status.textContent = `Sauvegarde écrite : ${r.path} (${(r.size_bytes / 1048576).toFixed(1)} Mo).`;
    else status.textContent = '';
  });
  // The confirmation (what is replaced, against what the backup holds) opens below.
  const slot = h('div', { class: 'restore-slot' });
  const restore = (useDialog) => (e) => busy(e.currentTarget, 'Lecture de la sauvegarde…', async () => {
    replace(slot);
    const plan = await api.inspectBackup(useDialog ? null : file.input.value);
    status.textContent = '';
    if (plan) confirmRestore(slot, plan, () => api.restoreBackup(plan.source));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'h-backups' },
    h('h2', { id: 'h-backups' }, 'Copie complète en un fichier'),
    h('p', { class: 'hint' }, 'Un seul fichier .tar (la base et tous les documents), pour remettre une copie du registre ou l’emporter ; il se restaure ici.'),
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button primary', onClick: backup(true) }, 'Sauvegarder maintenant…'),
      folder.wrapper,
      h('button', { type: 'button', class: 'button', onClick: backup(false) }, 'Sauvegarder dans ce dossier')),
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: restore(true) }, 'Restaurer…'),
      file.wrapper,
      h('button', { type: 'button', class: 'button', onClick: restore(false) }, 'Restaurer cette sauvegarde')),
    h('p', { class: 'hint' }, 'La restauration montre d’abord ce qu’elle remplace et demande confirmation. Avant de restaurer, l’application vérifie chaque fichier et l’intégrité de la base, et sauvegarde les données actuelles : une sauvegarde abîmée est refusée sans rien changer, et une restauration peut être annulée.'),
    status,
    slot);
}

export async function settingsPage() {
  return h('section', { class: 'page' }, h('h1', {}, 'Paramètres'),
    await restoreBanner(),
    await organisationCard(), await logoCard(), await staffCard(), await intervenantsCard(), await deadlinesCard(), await letterContentCard(), await templatesCard(), await emailCoverCard(),
    await externalBackupsCard(), backupsCard(), await registerCheckCard(), personalDataCard(), await assistanceCard());
}
