// « Courriers »: the letters the step calls for, the archived documents (open, save elsewhere,
// mark sent, AR returned), and received documents joined by button or by dropping files.

import * as api from '../../api.js';
import { h, replace, frDate, field, showErrors, clearErrors } from '../../dom.js';
import { setFlash } from '../../flash.js';
import { currentStaffId } from '../../session.js';
import { pairs, label } from '../../vocabulary.js';
import { specForm } from './spec-form.js';

const SHORT = (hash) => `${hash.slice(0, 12)}…`;

function sendStatus(d) {
  if (d.direction === 'in') return label('directions', 'in');
  if (!d.sent_on) return d.registered_number ? `À envoyer (recommandé n° ${d.registered_number})` : 'À envoyer';
  const how = d.send_mode === 'registered' ? ` en recommandé n° ${d.registered_number}` : ' en courrier simple';
  const ar = d.ar_returned_on ? ` — AR signé le ${frDate(d.ar_returned_on)}` : '';
  return `Envoyé le ${frDate(d.sent_on)}${how}${ar}`;
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
  const generate = letters.offered.map((o) => h('button', {
    type: 'button',
    class: 'button',
    onClick: async (e) => {
      const button = e.currentTarget;
      button.disabled = true;
      clearErrors(fields, status);
      try {
        await api.generateLetter(c.id, currentStaffId(), o.code, number.input.value.trim() || null);
        setFlash(`Courrier généré et archivé : ${o.label}.`);
        await reload();
      } catch (err) {
        fail(err);
        button.disabled = false;
      }
    },
  }, `Générer : ${o.label}`));

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
    sent.get('mode').input.value = d.registered_number ? 'registered' : 'simple';
    replace(slot, form);
  };

  const arReturned = (d) => {
    const { form } = specForm({
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
  };

  const rows = letters.documents.map((d) => {
    const buttons = [
      h('button', { type: 'button', class: 'button small', onClick: () => api.openDocument(d.id).catch(fail) }, 'Ouvrir'),
      h('button', { type: 'button', class: 'button small', onClick: () => api.saveDocumentAs(d.id).catch(fail) }, 'Enregistrer sous…'),
    ];
    if (d.direction === 'out' && !d.sent_on) {
      buttons.push(h('button', { type: 'button', class: 'button small', onClick: () => markSent(d) }, 'Marquer envoyé'));
    } else if (d.send_mode === 'registered' && !d.ar_returned_on) {
      buttons.push(h('button', { type: 'button', class: 'button small', onClick: () => arReturned(d) }, 'Retour de l’AR'));
    }
    return h('tr', { 'data-document': d.id },
      h('td', {}, frDate(d.created_on)),
      h('td', {}, d.kind_label, d.template_version ? h('span', { class: 'muted' }, ` (modèle v${d.template_version})`) : null),
      h('td', {}, d.recipient_label),
      h('td', {}, sendStatus(d)),
      h('td', { class: 'mono', title: `SHA-256 ${d.sha256}\n${d.relative_path}` }, SHORT(d.sha256)),
      h('td', {}, h('div', { class: 'action-buttons' }, buttons)));
  });

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
