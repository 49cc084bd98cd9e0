// « Fiche réclamation »: everything that was entered, the step with what to do next and the
// allowed actions (asked of the core), the clocks, and the journal as a timeline.

import * as api from '../api.js';
import { h, replace, frDate, dash, nextId, exportPanel } from '../dom.js';
import { setFlash, takeFlash } from '../flash.js';
import { currentStaffId } from '../session.js';

const ADDRESSED_TO = { president: 'au Président', general_delegate: 'à la Déléguée Générale', secretariat: 'au secrétariat' };

/** A definition list from [term, value] pairs; values are shown as text. */
function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([term, value]) => [
    h('dt', {}, term),
    h('dd', {}, value instanceof Node ? value : dash(value)),
  ]));
}

/** Multi-line text kept as typed (CSS pre-wrap), never parsed as HTML. */
const prose = (text) => (text ? h('div', { class: 'prose' }, text) : h('p', { class: 'muted' }, 'Non renseigné.'));

const addressBlock = (a) => (a.lines.length || a.postcode || a.city
  ? h('div', { class: 'address' }, a.lines.map((l) => h('div', {}, l)), h('div', {}, [a.postcode, a.city].filter(Boolean).join(' ')))
  : null);

/**
 * A small form built from the core's field specs ({ key, label, input, options, required }).
 * `onSubmit(values)` returns a promise; a refusal shows its messages next to the fields.
 */
function specForm({ title, specs, submitLabel, onSubmit, onCancel, todayIso }) {
  const inputs = new Map();
  const errors = new Map();
  const rows = specs.map((spec) => {
    const id = nextId('a');
    const error = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
    const common = { id, name: spec.key, 'aria-describedby': error.id };
    let input;
    if (spec.input === 'select') {
      input = h('select', common, h('option', { value: '' }, '— Choisir —'),
        spec.options.map(([value, label]) => h('option', { value }, label)));
    } else if (spec.input === 'textarea') {
      input = h('textarea', { ...common, rows: 3 });
    } else {
      input = h('input', { ...common, type: 'text', value: spec.input === 'date' ? frDate(todayIso) : '' });
    }
    inputs.set(spec.key, input);
    errors.set(spec.key, error);
    return h('div', { class: 'field', 'data-key': spec.key },
      h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      input, error);
  });
  const summary = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, submitLabel);
  const form = h('form', { class: 'subform', novalidate: true, 'aria-label': title },
    h('p', { class: 'subtitle' }, title), summary, rows,
    h('div', { class: 'actions' }, submit, onCancel ? h('button', { type: 'button', class: 'button', onClick: onCancel }, 'Annuler') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    summary.hidden = true;
    for (const [key, err] of errors) {
      err.hidden = true;
      inputs.get(key).removeAttribute('aria-invalid');
    }
    try {
      await onSubmit(Object.fromEntries([...inputs].map(([k, input]) => [k, input.value])));
    } catch (err) {
      summary.hidden = false;
      summary.textContent = err?.message ?? String(err);
      for (const [key, message] of Object.entries(err?.fields ?? {})) {
        const el = errors.get(key);
        if (!el) {
          summary.append(h('br'), message);
          continue;
        }
        el.textContent = message;
        el.hidden = false;
        inputs.get(key).setAttribute('aria-invalid', 'true');
      }
      (form.querySelector('[aria-invalid="true"]') ?? summary).focus?.();
    } finally {
      submit.disabled = false;
    }
  });
  return { form, inputs };
}

function actionsCard(c, todayIso, reload) {
  const slot = h('div', { class: 'action-slot' });
  const buttons = c.workflow.actions.map((action) => h('button', {
    type: 'button',
    class: 'button',
    onClick: () => {
      const { form, inputs } = specForm({
        title: action.label,
        specs: action.fields,
        submitLabel: 'Valider',
        todayIso,
        onCancel: () => slot.replaceChildren(),
        onSubmit: async (values) => {
          await api.performAction(c.id, currentStaffId(), { action: action.code, ...values });
          setFlash(`Enregistré : ${action.label}.`);
          await reload();
        },
      });
      replace(slot, form);
      (inputs.get('choice') ?? inputs.get('text') ?? inputs.get('date'))?.focus();
    },
  }, action.label));
  return h('section', { class: 'card', 'aria-labelledby': 'h-actions' },
    h('h2', { id: 'h-actions' }, 'Suite de la procédure'),
    h('p', { class: 'next-hint' }, h('strong', {}, 'Prochaine étape : '), c.workflow.next_hint),
    buttons.length ? h('div', { class: 'action-buttons procedure-actions' }, buttons) : null,
    slot);
}

function clocksCard(c) {
  if (c.workflow.clocks.length === 0) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'h-clocks' },
    h('h2', { id: 'h-clocks' }, 'Échéances'),
    h('table', { class: 'table clocks', 'aria-label': 'Échéances' },
      h('thead', {}, h('tr', {}, ['Délai', 'Échéance', 'État', 'Calcul'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, c.workflow.clocks.map((k) => h('tr', { class: `clock-${k.state}`, 'data-clock': k.clock },
        h('td', {}, k.label),
        h('td', { title: k.explanation }, k.due_label),
        h('td', {}, h('span', { class: `badge badge-${k.state}` }, k.state_label)),
        h('td', { class: 'explain' }, k.explanation))))));
}

const JOURNAL_KINDS = [
  ['call', 'Appel téléphonique'],
  ['meeting', 'Entretien'],
  ['note', 'Note interne'],
  ['letter_in', 'Courrier reçu'],
  ['letter_out', 'Courrier envoyé'],
  ['email_in', 'Courriel reçu'],
  ['email_out', 'Courriel envoyé'],
  ['correction', 'Correction'],
];

function journalCard(c, todayIso, reload) {
  const result = h('p', { class: 'integrity', role: 'status', hidden: true });
  const verify = h('button', {
    type: 'button',
    class: 'button',
    onClick: async () => {
      const r = await api.verifyJournal(c.id);
      result.hidden = false;
      result.className = `integrity ${r.intact ? 'banner banner-success' : 'banner banner-error'}`;
      result.textContent = r.message;
    },
  }, 'Vérifier l’intégrité');

  const slot = h('div', {});
  const add = h('button', {
    type: 'button',
    class: 'button',
    onClick: () => {
      const { form, inputs } = specForm({
        title: 'Ajouter au journal',
        todayIso,
        submitLabel: 'Ajouter au journal',
        specs: [
          { key: 'kind', label: 'Type', input: 'select', options: JOURNAL_KINDS, required: true },
          { key: 'date', label: 'Date', input: 'date', options: [], required: true },
          { key: 'participants', label: 'Participants', input: 'text', options: [], required: false },
          { key: 'corrects_seq', label: 'N° de l’entrée corrigée', input: 'text', options: [], required: false },
          { key: 'summary', label: 'Résumé', input: 'textarea', options: [], required: true },
        ],
        onCancel: () => slot.replaceChildren(),
        onSubmit: async (v) => {
          const seq = v.corrects_seq.trim();
          await api.addJournalEntry(c.id, currentStaffId(), {
            ...v,
            corrects_seq: seq ? Number(seq.replace(/^n°\s*/i, '')) || -1 : null,
          });
          setFlash('Entrée ajoutée au journal.');
          await reload();
        },
      });
      const kind = inputs.get('kind');
      const show = () => {
        inputs.get('participants').closest('.field').hidden = !['call', 'meeting'].includes(kind.value);
        inputs.get('corrects_seq').closest('.field').hidden = kind.value !== 'correction';
      };
      kind.addEventListener('change', show);
      show();
      replace(slot, form);
      kind.focus();
    },
  }, 'Ajouter au journal');

  return h('section', { class: 'card', 'aria-labelledby': 'h-journal' },
    h('div', { class: 'card-head' }, h('h2', { id: 'h-journal' }, 'Journal'), h('div', { class: 'action-buttons' }, add, verify)),
    result, slot,
    h('ol', { class: 'timeline', 'aria-label': 'Journal' }, c.journal.map((e) => h('li', { 'data-seq': e.seq },
      h('div', { class: 'timeline-head' },
        h('strong', {}, frDate(e.occurred_on)), ` — n° ${e.seq} — ${e.kind_label} — ${e.author}`,
        e.corrects_seq ? ` — corrige l’entrée n° ${e.corrects_seq}` : ''),
      h('div', {}, e.summary),
      e.participants ? h('div', { class: 'muted' }, `Participants : ${e.participants}`) : null,
      e.details ? h('div', { class: 'prose detail' }, e.details) : null))));
}

const SHORT = (hash) => `${hash.slice(0, 12)}…`;

function sendStatus(d) {
  if (d.direction === 'in') return 'Reçu';
  if (!d.sent_on) return d.registered_number ? `À envoyer (recommandé n° ${d.registered_number})` : 'À envoyer';
  const how = d.send_mode === 'registered' ? ` en recommandé n° ${d.registered_number}` : ' en courrier simple';
  const ar = d.ar_returned_on ? ` — AR signé le ${frDate(d.ar_returned_on)}` : '';
  return `Envoyé le ${frDate(d.sent_on)}${how}${ar}`;
}

function lettersCard(c, letters, todayIso, reload) {
  const slot = h('div', {});
  const status = h('p', { role: 'status', class: 'banner banner-error', hidden: true });
  const fail = (err) => {
    status.hidden = false;
    status.textContent = Object.values(err?.fields ?? {})[0] ?? err?.message ?? String(err);
  };
  const numberId = nextId('r');
  const number = h('input', { type: 'text', id: numberId, name: 'registered_number', placeholder: '1A 123 456 7890 1' });
  const generate = letters.offered.map((o) => h('button', {
    type: 'button',
    class: 'button',
    onClick: async (e) => {
      e.currentTarget.disabled = true;
      try {
        await api.generateLetter(c.id, currentStaffId(), o.code, number.value.trim() || null);
        setFlash(`Courrier généré et archivé : ${o.label}.`);
        await reload();
      } catch (err) {
        fail(err);
        e.currentTarget.disabled = false;
      }
    },
  }, `Générer : ${o.label}`));

  const rows = letters.documents.map((d) => {
    const buttons = [
      h('button', { type: 'button', class: 'button small', onClick: () => api.openDocument(d.id).catch(fail) }, 'Ouvrir'),
      h('button', { type: 'button', class: 'button small', onClick: () => api.saveDocumentAs(d.id).catch(fail) }, 'Enregistrer sous…'),
    ];
    if (d.direction === 'out' && !d.sent_on) {
      buttons.push(h('button', {
        type: 'button',
        class: 'button small',
        onClick: () => {
          const { form } = specForm({
            title: `Marquer envoyé : ${d.kind_label}`,
            submitLabel: 'Marquer envoyé',
            todayIso,
            specs: [
              { key: 'date', label: 'Date d’envoi', input: 'date', options: [], required: true },
              { key: 'mode', label: 'Mode d’envoi', input: 'select', options: [['simple', 'Courrier simple'], ['registered', 'Recommandé avec AR']], required: true },
              { key: 'registered_number', label: 'N° du recommandé', input: 'text', options: [], required: false },
            ],
            onCancel: () => slot.replaceChildren(),
            onSubmit: async (v) => {
              await api.markLetterSent(d.id, currentStaffId(), { ...v, registered_number: v.registered_number || d.registered_number });
              setFlash(`Courrier marqué envoyé : ${d.kind_label}.`);
              await reload();
            },
          });
          const mode = form.querySelector('select[name="mode"]');
          mode.value = d.registered_number ? 'registered' : 'simple';
          replace(slot, form);
        },
      }, 'Marquer envoyé'));
    } else if (d.send_mode === 'registered' && !d.ar_returned_on) {
      buttons.push(h('button', {
        type: 'button',
        class: 'button small',
        onClick: () => {
          const { form } = specForm({
            title: 'Retour de l’avis de réception',
            submitLabel: 'Enregistrer le retour',
            todayIso,
            specs: [{ key: 'ar_date', label: 'Date de signature de l’AR', input: 'date', options: [], required: true }],
            onCancel: () => slot.replaceChildren(),
            onSubmit: async (v) => {
              await api.recordArReturned(d.id, currentStaffId(), v.ar_date);
              setFlash('Retour de l’avis de réception enregistré.');
              await reload();
            },
          });
          replace(slot, form);
        },
      }, 'Retour de l’AR'));
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
      h('div', { class: 'field narrow' },
        h('label', { for: numberId }, 'N° de recommandé (si envoi recommandé)'), number),
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

// Files dropped on the window while a complaint is open are attached to it.
let dropTarget = null;
api.onFilesDropped(async (paths) => {
  if (!dropTarget || !paths.length || !location.hash.startsWith(`#/reclamations/${dropTarget.id}`)) return;
  try {
    const n = await api.attachDocuments(dropTarget.id, currentStaffId(), paths);
    setFlash(`${n} document(s) reçu(s) joint(s) au dossier.`);
  } catch (err) {
    setFlash(Object.values(err?.fields ?? {})[0] ?? err?.message ?? String(err), 'error');
  }
  await dropTarget.reload();
}).catch(() => {});

async function build(root, id) {
  const [c, info, letters] = await Promise.all([api.getComplaint(id), api.appInfo(), api.complaintLetters(id)]);
  const reload = () => build(root, id);
  dropTarget = { id, reload };
  const p = c.complainant;
  const f = c.firm;
  const civility = { madame: 'Madame', monsieur: 'Monsieur' }[p.civility] ?? '';
  const channel = c.channel === 'registered_letter'
    ? `${c.channel_label} n° ${c.registered_number}`
    : c.channel === 'email' ? `${c.channel_label} — objet : « ${c.email_subject} »` : c.channel_label;
  const status = [f.is_qualified && 'Qualifié', f.is_certified && 'Certifié', f.is_rge && 'RGE'].filter(Boolean).join(', ');
  const checklist = [
    ['complainant_details', 'Coordonnées précises du plaignant'],
    ['firm_details', 'Nom et coordonnées précises du qualifié ou certifié'],
    ['facts', 'Exposé détaillé et précis des faits'],
    ['actions_taken', 'Mention des actions déjà menées'],
  ];

  replace(root,
    h('header', { class: 'page-head' },
      h('div', {},
        h('h1', { class: 'mono' }, c.reference),
        h('p', { class: 'muted' }, `Reçue le ${frDate(c.received_on)} — ${channel} — adressée ${ADDRESSED_TO[c.addressed_to] ?? ''}`)),
      h('span', { class: `step step-${c.step}`, id: 'current-step', 'aria-label': `Étape : ${c.step_label}` }, c.step_label)),
    takeFlash(h),
    actionsCard(c, info.today, reload),
    clocksCard(c),
    lettersCard(c, letters, info.today, reload),
    c.decision_label ? h('section', { class: 'card' }, h('h2', {}, 'Décision'),
      facts([['Décision', c.decision_label], ['Instructeur', c.investigator], ['Clôture', c.closed_on ? frDate(c.closed_on) : '']]),
      h('h3', {}, 'Motifs'), prose(c.decision_reasons)) : null,
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'h-plaignant' },
        h('h2', { id: 'h-plaignant' }, 'Plaignant'),
        facts([
          ['Qualité', c.complainant_role_label],
          ['Nom', [civility, p.name].filter(Boolean).join(' ')],
          ['Organisme', p.organisation],
          ['Adresse', addressBlock(p.address)],
          ['Courriel', p.email],
          ['Téléphone', p.phone],
        ])),
      h('section', { class: 'card', 'aria-labelledby': 'h-qualifie' },
        h('h2', { id: 'h-qualifie' }, 'Qualifié ou certifié'),
        facts([
          ['Raison sociale', f.name],
          ['SIRET', f.siret],
          ['Adresse', addressBlock(f.address)],
          ['Courriel', f.email],
          ['Téléphone', f.phone],
          ['Statut', status],
        ]))),
    h('section', { class: 'card', 'aria-labelledby': 'h-reclamation' },
      h('h2', { id: 'h-reclamation' }, 'Réclamation'),
      facts([['Nature', c.nature_labels.join(', ')]]),
      h('h3', {}, 'Faits reprochés'), prose(c.facts),
      h('h3', {}, 'Actions déjà menées'), prose(c.actions_taken)),
    h('section', { class: 'card', 'aria-labelledby': 'h-elements' },
      h('h2', { id: 'h-elements' }, 'Éléments obligatoires'),
      h('ul', { class: 'checklist' }, checklist.map(([key, label]) => h('li', { class: c.checklist[key] ? 'ok' : 'missing' },
        h('span', { 'aria-hidden': 'true' }, c.checklist[key] ? '✓ ' : '✗ '),
        label, c.checklist[key] ? '' : ' — manquant'))),
      c.missing_elements.length === 0
        ? h('p', {}, 'La réclamation est complète.')
        : h('p', { class: 'warning' }, 'Réclamation incomplète : des précisions sont à demander au plaignant.')),
    journalCard(c, info.today, reload),
    h('section', { class: 'card', 'aria-labelledby': 'h-export' },
      h('h2', { id: 'h-export' }, 'Export pour audit'),
      h('p', { class: 'hint' }, 'Un dossier avec la synthèse PDF, le journal complet et son contrôle d’intégrité, chaque document tel qu’archivé, un manifeste SHA-256 et un JSON.'),
      exportPanel((folder) => api.exportDossier(c.id, null, folder))));
}

export async function complaintPage(id) {
  const root = h('article', { class: 'page' });
  await build(root, id);
  return root;
}
