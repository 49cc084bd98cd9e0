// « Courriers »: the letters the step calls for, the archived documents (open, save elsewhere,
// mark sent, AR returned), and received documents joined by button or by dropping files.

import * as api from '../../api.js';
import { h, replace, frDate, field, showErrors, clearErrors } from '../../dom.js';
import { setFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { pairs, label } from '../../vocabulary.js';
import { specForm } from './spec-form.js';

const SHORT = (hash) => `${hash.slice(0, 12)}…`;

function sendStatus(d, drafts) {
  if (d.direction === 'in') {
    return d.attached_to ? `${label('directions', 'in')} (pièce jointe d’un courriel)` : label('directions', 'in');
  }
  if (d.kind === 'email_draft') {
    return d.sent_on ? `Envoyé le ${frDate(d.sent_on)} à ${d.email_to}` : `À envoyer depuis la messagerie, à ${d.email_to}`;
  }
  if (!d.sent_on && d.superseded) return `Non envoyé — ${d.superseded}`;
  if (!d.sent_on) {
    const draft = drafts.get(d.id);
    if (draft) return `Courriel préparé le ${frDate(draft.created_on)} pour ${draft.email_to} : à envoyer, puis marquer envoyé`;
    return d.registered_number ? `À envoyer (recommandé n° ${d.registered_number})` : 'À envoyer';
  }
  const ar = d.ar_returned_on ? ` — AR signé le ${frDate(d.ar_returned_on)}` : '';
  // Sent before a correction that took away its effect (wrong firm, mistyped address).
  const superseded = d.superseded ? ` — ${d.superseded} : ne compte plus` : '';
  // « Envoyé le 12/03/2026 en recommandé n° … », as the core words a sending.
  return `${d.sent_label}${ar}${superseded}`;
}

// A letter to preview as soon as its complaint's page opens (the dashboard's « Générer »).
let pending = null;

/** Opens the preview of letter `kind` when the page of complaint `complaintId` shows next. */
export function previewOnOpen(complaintId, kind) {
  pending = { complaintId, kind };
}

export function lettersCard(c, letters, reload) {
  const slot = h('div', {});
  const status = h('p', { role: 'status', class: 'banner banner-error', hidden: true });
  const number = field({
    label: 'N° de recommandé (si envoi recommandé)',
    className: 'field narrow',
    input: h('input', { type: 'text', name: 'registered_number', placeholder: '1A 123 456 7890 1' }),
  });
  const fields = new Map([['registered_number', number]]);
  const fail = (err) => showErrors(fields, err, { summary: status });
  // « Générer » opens the preview: the letter as it will print, nothing archived until
  // « Valider et archiver ». A letter already made and not sent is « Régénérer ».
  const generate = letters.offered.map((o) => h('button', {
    type: 'button',
    class: 'button',
    onClick: () => (o.chooses === 'investigator' ? chooseInvestigator(o) : showPreview(o, null)),
  }, `${o.existing ? 'Régénérer' : 'Générer'} : ${o.label}`));

  // The transmission letter before the file has an instructeur: addressed to the one chosen
  // here (he must have declared no conflict); marked sent, it passes him the file.
  async function chooseInvestigator(o) {
    clearErrors(fields, status);
    let people;
    try {
      people = await api.listIntervenants('investigator', true);
    } catch (err) {
      fail(err);
      return;
    }
    const who = field({
      label: 'Instructeur destinataire',
      input: h('select', { name: 'intervenant' },
        h('option', { value: '' }, '— Choisir —'),
        people.map((p) => h('option', { value: String(p.id) }, p.display))),
      hint: people.length ? 'Une fois ce courrier marqué envoyé, le dossier lui est transmis et son délai de réponse court.' : 'Le registre des intervenants n’a aucun instructeur : ajoutez-le dans Paramètres.',
    });
    const chooser = new Map([['intervenant', who]]);
    replace(slot, h('section', { class: 'card-inset', 'aria-label': `Destinataire : ${o.label}` },
      h('h3', {}, o.label),
      who.wrapper,
      h('div', { class: 'action-buttons' },
        h('button', {
          type: 'button',
          class: 'button primary',
          onClick: async () => {
            clearErrors(chooser, status);
            if (!who.input.value) {
              who.setError('Choisissez l’instructeur à qui transmettre le dossier.');
              who.input.focus();
              return;
            }
            await showPreview(o, null, Number(who.input.value), (err) => showErrors(chooser, err, { summary: status }));
          },
        }, 'Aperçu du courrier'),
        h('button', { type: 'button', class: 'button', onClick: () => slot.replaceChildren() }, 'Annuler'))));
    who.input.focus();
  }

  const letterPaper = (doc) => h('article', { class: 'letter-paper', 'aria-label': 'Aperçu du courrier' },
    h('p', { class: 'letter-recipient' }, doc.recipient.join('\n')),
    h('p', { class: 'letter-place' }, doc.place_date),
    doc.registered_number ? h('p', {}, `Lettre recommandée avec accusé de réception n° ${doc.registered_number}`) : null,
    h('p', { class: 'letter-reference' }, `Réf. : ${doc.reference}`),
    h('p', { class: 'letter-subject' }, `Objet : ${doc.subject}`),
    doc.salutation ? h('p', {}, doc.salutation) : null,
    doc.paragraphs.map((p) => h('p', { class: 'letter-paragraph' }, p)),
    doc.closing ? h('p', {}, doc.closing) : null,
    h('p', { class: 'letter-signatory' }, doc.signatory_name, h('br'), doc.signatory_title));

  // The preview of letter `o`: the template's text, or `adapted` ({ subject, body }) for this file.
  // `person`: the instructeur a transmission letter goes to; `refused`: where its refusal shows.
  async function showPreview(o, adapted, person = null, refused = fail) {
    clearErrors(fields, status);
    const registered = number.input.value.trim() || null;
    let r;
    try {
      r = await api.previewLetter(c.id, o.code, registered, adapted, person, false);
    } catch (err) {
      refused(err);
      return;
    }
    const replaces = r.replaces ?? o.existing;
    const validate = h('button', {
      type: 'button',
      class: 'button primary',
      onClick: async (e) => {
        const button = e.currentTarget;
        button.disabled = true;
        clearErrors(fields, status);
        try {
          await api.generateLetter(c.id, currentStaffId(), o.code, registered, adapted, person);
          setFlash(`Courrier généré et archivé : ${o.label}${adapted ? ' (adapté pour ce dossier)' : ''}.`);
          await reload();
        } catch (err) {
          fail(err);
          button.disabled = false;
        }
      },
    }, 'Valider et archiver');
    replace(slot, h('section', { class: 'letter-preview card-inset', 'aria-label': `Aperçu : ${o.label}` },
      h('h3', {}, `Aperçu : ${o.label}`),
      h('p', { class: 'muted' }, 'Le courrier tel qu’il sera imprimé. Rien n’est archivé tant qu’il n’est pas validé.'),
      replaces ? h('p', { class: 'warning', role: 'note' },
        `Un courrier « ${o.label} » généré le ${frDate(replaces.created_on)} n’a pas été envoyé : en validant celui-ci, l’ancien reste archivé, marqué « remplacé », et ne compte plus.`) : null,
      adapted ? h('p', { class: 'warning', role: 'note' }, 'Courrier adapté pour ce dossier : le modèle n’est pas modifié, le journal le signalera.') : null,
      letterPaper(r.doc),
      h('div', { class: 'action-buttons' },
        validate,
        h('button', { type: 'button', class: 'button', onClick: () => showAdapt(o, adapted, person) }, adapted ? 'Modifier le texte adapté' : 'Adapter ce courrier'),
        h('button', {
          type: 'button',
          class: 'button',
          onClick: async () => {
            try {
              const pdf = await api.previewLetter(c.id, o.code, registered, adapted, person, true);
              setNote(pdf.opened ? `Aperçu PDF ouvert : ${pdf.path}` : `Aperçu PDF enregistré (non archivé) : ${pdf.path}`);
            } catch (err) { fail(err); }
          },
        }, 'Ouvrir l’aperçu PDF'),
        h('button', { type: 'button', class: 'button', onClick: () => slot.replaceChildren() }, 'Fermer l’aperçu')),
      note));
    validate.focus();
  }

  const note = h('p', { role: 'status', class: 'muted' });
  const setNote = (text) => { note.textContent = text; };

  // « Adapter ce courrier »: its subject and text, the template applied to this file, to edit.
  async function showAdapt(o, adapted, person) {
    clearErrors(fields, status);
    let text = adapted;
    if (!text) {
      try {
        text = await api.mergedLetter(c.id, o.code, person);
      } catch (err) {
        fail(err);
        return;
      }
    }
    const subject = field({ label: 'Objet', input: h('input', { type: 'text', name: 'adapted_subject', value: text.subject }) });
    const body = field({
      label: 'Texte du courrier',
      hint: 'Paragraphes séparés par une ligne vide. Ce texte ne vaut que pour ce courrier : le modèle n’est pas modifié.',
      input: h('textarea', { name: 'adapted_body', rows: 16 }, text.body),
    });
    const editor = new Map([['registered_number', number], ['adapted_subject', subject], ['adapted_body', body]]);
    const current = () => ({ subject: subject.input.value, body: body.input.value });
    replace(slot, h('section', { class: 'letter-adapt card-inset', 'aria-label': `Adapter : ${o.label}` },
      h('h3', {}, `Adapter ce courrier : ${o.label}`),
      subject.wrapper,
      body.wrapper,
      h('div', { class: 'action-buttons' },
        h('button', {
          type: 'button',
          class: 'button primary',
          onClick: async () => {
            clearErrors(editor, status);
            try {
              // Checked by the core before anything is shown; the typing stays on a refusal.
              await api.previewLetter(c.id, o.code, number.input.value.trim() || null, current(), person, false);
              await showPreview(o, current(), person);
            } catch (err) {
              showErrors(editor, err, { summary: status });
            }
          },
        }, 'Aperçu du courrier adapté'),
        h('button', { type: 'button', class: 'button', onClick: () => showPreview(o, null, person) }, 'Revenir au texte du modèle'))));
    body.input.focus();
  }

  const markSent = (d) => {
    const { form, fields: sent } = specForm({
      title: `Marquer envoyé : ${d.kind_label}`,
      submitLabel: 'Marquer envoyé',
      specs: [
        { key: 'date', label: 'Date d’envoi', input: 'date', options: [], required: true },
        { key: 'mode', label: 'Mode d’envoi', input: 'select', options: pairs('send_modes'), required: true },
        { key: 'registered_number', label: 'N° du recommandé', input: 'text', options: [], required: false },
      ],
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        await api.markLetterSent(d.id, currentStaffId(), { ...v, registered_number: v.registered_number || d.registered_number });
        setFlash(`Courrier marqué envoyé : ${d.kind_label}.`);
        await reload();
      },
    });
    sent.get('mode').input.value = drafts.has(d.id) ? 'email' : d.registered_number ? 'registered' : 'simple';
    replace(slot, form);
    // The panel opens above the table: the keyboard goes to it.
    sent.get('date').input.focus();
  };

  const arReturned = (d) => {
    const { form, fields: ar } = specForm({
      title: 'Retour de l’avis de réception',
      submitLabel: 'Enregistrer le retour',
      specs: [{ key: 'ar_date', label: 'Date de signature de l’AR', input: 'date', options: [], required: true }],
      onCancel: () => slot.replaceChildren(),
      onSubmit: async (v) => {
        await api.recordArReturned(d.id, currentStaffId(), v.ar_date);
        setFlash('Retour de l’avis de réception enregistré.');
        await reload();
      },
    });
    replace(slot, form);
    ar.get('ar_date').input.focus();
  };

  // The latest draft email of each letter (documents come newest first).
  const drafts = new Map();
  for (const d of letters.documents) {
    if (d.kind === 'email_draft' && !drafts.has(d.carries)) drafts.set(d.carries, d);
  }
  const prepareEmail = async (d, button) => {
    button.disabled = true;
    clearErrors(fields, status);
    try {
      const r = await api.prepareEmail(d.id, currentStaffId());
      setFlash(r.opened
        ? `Courriel préparé pour ${r.to} et ouvert dans la messagerie : envoyez-le, puis marquez le courrier envoyé.`
        : `Courriel préparé pour ${r.to} (${r.path}) : ouvrez-le dans la messagerie, envoyez-le, puis marquez le courrier envoyé.`);
      await reload();
    } catch (err) {
      fail(err);
      button.disabled = false;
    }
  };

  const rows = letters.documents.map((d) => {
    const buttons = [
      h('button', { type: 'button', class: 'button small', onClick: () => api.openDocument(d.id).catch(fail) }, 'Ouvrir'),
      h('button', { type: 'button', class: 'button small', onClick: () => api.saveDocumentAs(d.id).catch(fail) }, 'Enregistrer sous…'),
    ];
    const emailTo = letters.email_recipients[d.id];
    if (d.direction === 'out' && d.kind !== 'email_draft' && !d.sent_on && emailTo && !d.superseded) {
      buttons.push(h('button', {
        type: 'button',
        class: 'button small',
        title: `Un brouillon .eml pour ${emailTo}, le courrier en pièce jointe`,
        onClick: (e) => prepareEmail(d, e.currentTarget),
      }, drafts.has(d.id) ? 'Préparer de nouveau par courriel' : 'Préparer par courriel'));
    }
    if (d.direction === 'out' && d.kind !== 'email_draft' && !d.sent_on && !d.superseded) {
      buttons.push(h('button', { type: 'button', class: 'button small', onClick: () => markSent(d) }, 'Marquer envoyé'));
    } else if (d.send_mode === 'registered' && !d.ar_returned_on) {
      buttons.push(h('button', { type: 'button', class: 'button small', onClick: () => arReturned(d) }, 'Retour de l’AR'));
    }
    return h('tr', { 'data-document': d.id },
      h('td', {}, frDate(d.created_on)),
      h('td', {}, d.kind_label, d.original_name && d.direction === 'in' ? h('span', { class: 'muted' }, ` « ${d.original_name} »`) : null, d.template_version ? h('span', { class: 'muted' }, ` (modèle v${d.template_version}${d.adapted ? ', adapté pour ce dossier' : ''})`) : null),
      h('td', {}, d.recipient_label),
      h('td', {}, sendStatus(d, drafts)),
      h('td', { class: 'mono', title: `SHA-256 ${d.sha256}\n${d.relative_path}` }, SHORT(d.sha256)),
      h('td', {}, h('div', { class: 'action-buttons' }, buttons)));
  });

  if (pending?.complaintId === c.id) {
    const asked = letters.offered.find((o) => o.code === pending.kind);
    pending = null;
    if (asked) {
      // Once the card is on the page: the preview, in view, its « Valider et archiver » focused.
      setTimeout(() => showPreview(asked, null).then(() => slot.scrollIntoView({ block: 'start' })), 0);
    }
  }

  return h('section', { class: 'card', 'aria-labelledby': 'h-letters' },
    h('h2', { id: 'h-letters' }, 'Courriers'),
    status,
    letters.offered.length ? [
      number.wrapper,
      h('div', { class: 'action-buttons letter-buttons' }, generate),
    ] : h('p', { class: 'muted' }, 'Aucun courrier n’est attendu à cette étape.'),
    slot,
    rows.length ? h('table', { class: 'table documents', 'aria-label': 'Documents du dossier' },
      h('thead', {}, h('tr', {}, ['Date', 'Document', 'Destinataire', 'Envoi', 'SHA-256', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)) : null,
    h('div', { class: 'action-buttons' },
      h('button', {
        type: 'button',
        class: 'button',
        onClick: async () => {
          try {
            const n = await api.attachDocuments(c.id, currentStaffId(), []);
            if (n > 0) {
              setFlash('Document reçu joint au dossier.');
              await reload();
            }
          } catch (err) { fail(err); }
        },
      }, 'Joindre un document reçu…')),
    h('p', { class: 'drop-hint' }, 'Ou déposez ici des scans, PDF ou courriels (.pdf, .jpg, .png, .eml, .msg).'),
    h('p', { class: 'hint' }, 'Imprimez à 100 % (« taille réelle ») : l’option « ajuster à la page » déplace l’adresse hors de la fenêtre de l’enveloppe.'));
}
