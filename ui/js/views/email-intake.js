// « Courriel reçu » on « Nouvelle réclamation »: an .eml or .msg dropped on the window, chosen in
// a dialog or typed as a path, read by the core and shown for checking. The message's text is
// untrusted: it is only ever shown as text (h() makes text nodes).

import * as api from '../api.js';
import { h, replace, field, errorMessage } from '../dom.js';

const KB = 1024;
const size = (n) => (n < KB ? `${n} o` : n < KB * KB ? `${Math.ceil(n / KB)} Ko` : `${(n / KB / KB).toFixed(1).replace('.', ',')} Mo`);
const mailbox = (m) => (m.name && m.address ? `${m.name} <${m.address}>` : m.name || m.address || '—');

/** « 12 rue des Lilas, 75011 Paris » from the core's `proposed` contact. */
const proposedAddress = (c) => [...c.address_lines, [c.postcode, c.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');

/**
 * The card. `onRead(preview)` fills the form from a preview; `onClear()` forgets it (the typing
 * stays); `onPropose(contact)` takes the address and phone found in the text into the form and
 * returns the labels of the fields it left as typed. Returns { node, source(), read(path) }:
 * `source()` is { path, sha256 } or null.
 */
export function emailIntakeCard({ onRead, onClear, onPropose }) {
  let current = null;
  const status = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const shown = h('div', { class: 'email-preview', 'aria-live': 'polite' });
  const pathField = field({
    label: 'ou le fichier du courriel',
    className: 'field grow',
    input: h('input', { type: 'text', name: 'email_path', placeholder: 'Chemin d’un fichier .eml ou .msg' }),
  });
  const readTyped = () => { const v = pathField.input.value.trim(); if (v) read(v); };
  // Enter reads the file: it must not submit the complaint form around the card.
  pathField.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      readTyped();
    }
  });

  async function read(path) {
    status.hidden = true;
    pathField.setError(null);
    try {
      const preview = await api.readEmail(path);
      if (!preview) return; // dialog cancelled
      current = preview;
      render(preview);
      onRead(preview);
    } catch (err) {
      if (path) pathField.setError(errorMessage(err));
      else {
        status.hidden = false;
        status.textContent = errorMessage(err);
      }
    }
  }

  function render(p) {
    const e = p.email;
    const rows = [
      ['Fichier', `${p.file_name} (${size(p.size)}, ${e.format === 'msg' ? 'Outlook .msg' : '.eml'}) — SHA-256 ${p.sha256.slice(0, 16)}…`],
      ['De', mailbox(e.from)],
      ['Envoyé le', p.sent_label || 'date absente du message : date du jour retenue'],
      ['Objet', e.subject || '(sans objet)'],
    ];
    if (p.forward_note) rows.push(['Transfert', p.forward_note]);
    if (e.body_from_html) rows.push(['Texte', 'Extrait de la partie HTML du message (mise en forme et scripts retirés).']);
    replace(shown,
      (p.warnings ?? []).map((w) => h('p', { class: 'warning', role: 'status' }, w)),
      h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      proposals(p.proposed),
      p.attachments.length
        ? h('table', { class: 'table', 'aria-label': 'Pièces jointes du courriel' },
          h('thead', {}, h('tr', {}, ['Pièce jointe', 'Type', 'Taille', 'À l’enregistrement'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, p.attachments.map((a) => h('tr', {},
            h('td', {}, a.name),
            h('td', {}, a.content_type || '—'),
            h('td', {}, size(a.size)),
            h('td', {}, a.accepted ? 'sera jointe au dossier' : `non jointe : ${a.reason} (reste dans le courriel archivé)`)))))
        : h('p', { class: 'muted' }, 'Aucune pièce jointe.'),
      h('p', { class: 'hint' }, 'À l’enregistrement, le courriel est archivé tel quel comme premier document reçu du dossier, avec son empreinte SHA-256 dans le journal.'),
      h('button', {
        type: 'button',
        class: 'button',
        onClick: () => {
          current = null;
          shown.replaceChildren();
          onClear();
        },
      }, 'Ne pas utiliser ce courriel'));
  }

  // The address and phone found in the text: shown « à vérifier », taken into the form only
  // when the secretary asks (never written by themselves).
  function proposals(c) {
    if (!c || (!c.postcode && !c.phone)) return null;
    const rows = [];
    if (c.postcode) rows.push(['Adresse', proposedAddress(c)]);
    if (c.phone) rows.push(['Téléphone', c.phone]);
    const outcome = h('p', { class: 'hint', role: 'status' });
    const take = h('button', {
      type: 'button',
      class: 'button',
      onClick: () => {
        const kept = onPropose(c);
        take.disabled = true;
        take.textContent = 'Repris dans le formulaire';
        outcome.textContent = kept.length
          ? `Déjà saisi, laissé tel quel : ${kept.join(', ')}. Vérifiez les coordonnées reprises.`
          : 'Vérifiez les coordonnées reprises dans « Plaignant ».';
      },
    }, 'Reprendre dans le formulaire');
    return h('div', { class: 'subcard email-proposed', 'aria-label': 'Coordonnées trouvées dans le courriel' },
      h('p', { class: 'subtitle' }, 'Coordonnées trouvées dans le texte du courriel — à vérifier'),
      h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      take, outcome);
  }

  const node = h('section', { class: 'card', 'aria-labelledby': 'h-email-in' },
    h('h2', { id: 'h-email-in' }, 'Courriel reçu'),
    h('p', { class: 'hint' }, 'Déposez ici un courriel (.eml, ou .msg glissé depuis Outlook) : le formulaire est prérempli, à vérifier et compléter. Rien n’est enregistré avant « Enregistrer la réclamation ».'),
    status,
    h('div', { class: 'inline-form' },
      h('button', { type: 'button', class: 'button', onClick: () => read(null) }, 'Lire un courriel (.eml, .msg)…'),
      pathField.wrapper,
      h('button', { type: 'button', class: 'button', onClick: readTyped }, 'Lire ce fichier')),
    shown);

  return {
    node,
    source: () => (current ? { path: current.path, sha256: current.sha256 } : null),
    read,
  };
}
