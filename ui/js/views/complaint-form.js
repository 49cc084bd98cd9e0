// « Nouvelle réclamation »: the intake form. The Rust core validates; this view shows each
// refusal next to its field and never clears what was typed until the complaint is saved.

import * as api from '../api.js';
import { h, frDate, replace, field as labelled, choices as choiceGroup, showErrors } from '../dom.js';
import { setFlash } from '../flash.js';
import { currentStaffId } from '../session.js';
import { pairs } from '../vocabulary.js';
import { scopeBlock } from './complaint/details.js';
import { emailIntakeCard } from './email-intake.js';

// The form survives navigation: leaving and coming back finds the typing as it was.
let draft = null;

const NEW_FIRM = 'new';

export async function complaintForm() {
  if (!draft) draft = buildForm(await api.listFirms(), api.today());
  // An email dropped on the window while the form is shown is read into it.
  const mine = draft;
  const listening = api.onFilesDropped((paths) => {
    const email = paths.find((p) => /\.(eml|msg)$/i.test(p));
    if (email) mine.readEmail(email);
  }).catch(() => () => {});
  return { node: draft.node, leave: () => { listening.then((unlisten) => unlisten()); } };
}

function buildForm(firms, todayIso) {
  const fields = new Map(); // the core's field key → what `field`/`choices` return
  const touchedChecklist = new Set();

  /** A labelled input, textarea or select, registered under its core field key. */
  function field(key, label, { type = 'text', value = '', options, rows, hint, required, attrs = {} } = {}) {
    const common = { name: key, ...attrs };
    let input;
    if (options) {
      input = h('select', common, options.map(([v, text]) => h('option', { value: v }, text)));
      input.value = value;
    } else if (rows) {
      input = h('textarea', { ...common, rows }, value);
    } else {
      input = h('input', { ...common, type, value });
    }
    const f = labelled({ label, input, hint, required });
    fields.set(key, f);
    return f.wrapper;
  }

  /** A group of radio buttons or checkboxes with one error line. */
  function choices(key, legend, type, items, { required } = {}) {
    const f = choiceGroup({ name: key, legend, type, items, required });
    fields.set(key, f);
    return f.wrapper;
  }

  /** « Répondre par courriel »: shown for an email complaint only. */
  function replyByEmailBox() {
    const f = labelled({
      label: 'Répondre par courriel (pas d’adresse postale)',
      input: h('input', { type: 'checkbox', name: 'reply_by_email' }),
      hint: 'Le plaignant recevra les réponses à son adresse électronique, qui est alors obligatoire.',
      inline: true,
    });
    fields.set('reply_by_email', f);
    return f.wrapper;
  }

  const val = (key) => fields.get(key).input.value;
  const picked = (key) => fields.get(key).picked();

  // ── Réception ─────────────────────────────────────────────────────────────
  const reception = h('fieldset', { class: 'card' },
    h('legend', {}, 'Réception'),
    h('div', { class: 'grid' },
      field('received_on', 'Date de réception', { value: frDate(todayIso), hint: 'JJ/MM/AAAA — pas dans le futur.', required: true }),
      field('addressed_to', 'Adressée à', {
        required: true,
        value: 'general_delegate',
        options: [['', '— Choisir —'], ...pairs('addressees')],
      })),
    choices('channel', 'Canal', 'radio', pairs('channels').map(([v, t]) => [v, t, v === 'letter']), { required: true }),
    field('registered_number', 'N° de recommandé', { hint: 'Par exemple 1A 123 456 7890 1.', required: true }),
    field('email_subject', 'Objet du courriel', { required: true }),
    h('p', { class: 'warning', id: 'subject-warning', hidden: true, role: 'status' },
      'L’objet du courriel ne contient pas « réclamation » : vérifiez qu’il s’agit bien d’une réclamation (l’enregistrement reste possible).'));

  // ── Plaignant ─────────────────────────────────────────────────────────────
  const complainant = h('fieldset', { class: 'card' },
    h('legend', {}, 'Plaignant'),
    choices('complainant.role', 'Qualité', 'radio', pairs('complainant_roles'), { required: true }),
    h('div', { class: 'grid' },
      field('complainant.civility', 'Civilité', { options: [['', '—'], ...pairs('civilities')] }),
      field('complainant.name', 'Nom du plaignant', { required: true, hint: 'Prénom et nom, ou raison sociale.' }),
      field('complainant.organisation', 'Organisme')),
    field('complainant.address_lines', 'Adresse', { rows: 3, hint: 'Une ligne par ligne d’adresse (3 au plus, 38 caractères chacune).' }),
    h('div', { class: 'grid' },
      field('complainant.postcode', 'Code postal', { attrs: { inputmode: 'numeric', maxlength: 6 } }),
      field('complainant.city', 'Ville'),
      field('complainant.email', 'Courriel', { type: 'email' }),
      field('complainant.phone', 'Téléphone', { type: 'tel' })),
    replyByEmailBox());

  // ── Qualifié ──────────────────────────────────────────────────────────────
  const firmOptions = [['', '— Choisir dans le registre —'],
    ...firms.map((f) => [String(f.id), [f.name, f.number && `n° ${f.number}`, f.address.city].filter(Boolean).join(' — ')]),
    [NEW_FIRM, '+ Nouveau qualifié (le créer)']];
  // Offered once the core says the SIRET's check digit fails: kept, flagged « à vérifier ».
  const confirmSiretBox = labelled({ label: 'Garder ce SIRET (à vérifier)', input: h('input', { type: 'checkbox', name: 'firm.confirm_siret' }), inline: true });
  fields.set('firm.confirm_siret', confirmSiretBox);
  const confirmSiret = confirmSiretBox.wrapper;
  confirmSiret.hidden = true;
  const newFirm = h('div', { class: 'subcard', hidden: firms.length > 0 },
    h('p', { class: 'subtitle' }, 'Nouveau qualifié ou certifié'),
    h('div', { class: 'grid' },
      field('firm.name', 'Raison sociale', { required: true }),
      field('firm.siret', 'SIRET', { hint: '14 chiffres, facultatif — vérifié s’il est saisi.', attrs: { inputmode: 'numeric' } })),
    confirmSiret,
    field('firm.address_lines', 'Adresse du qualifié', { rows: 2 }),
    h('div', { class: 'grid' },
      field('firm.postcode', 'Code postal du qualifié', { attrs: { inputmode: 'numeric', maxlength: 6 } }),
      field('firm.city', 'Ville du qualifié'),
      field('firm.email', 'Courriel du qualifié', { type: 'email' }),
      field('firm.phone', 'Téléphone du qualifié', { type: 'tel' })),
    // Nothing ticked in advance: the status is what the secretariat checked, never assumed.
    choices('firm.flags', 'Statut auprès de l’OPQTECC', 'checkbox', pairs('firm_statuses').map(([v, t]) => [v, t, false])));
  // The firm's status on the date of receipt, asked of the core (`firm_scope`).
  const scopeStatus = h('div', { class: 'firm-scope', id: 'firm-scope', role: 'status', 'aria-live': 'polite', hidden: true });
  const firm = h('fieldset', { class: 'card' },
    h('legend', {}, 'Qualifié ou certifié concerné'),
    field('firm_id', 'Qualifié', { options: firmOptions, value: firms.length > 0 ? '' : NEW_FIRM, required: true }),
    scopeStatus,
    newFirm);

  // ── Réclamation ───────────────────────────────────────────────────────────
  const complaint = h('fieldset', { class: 'card' },
    h('legend', {}, 'Réclamation'),
    field('facts', 'Faits reprochés', { rows: 6, hint: 'L’exposé détaillé et précis des faits, tel que reçu.' }),
    field('actions_taken', 'Actions déjà menées', { rows: 3, hint: 'Les démarches du plaignant auprès du qualifié.' }),
    choices('natures', 'Nature', 'checkbox', pairs('natures'), { required: true }));

  // ── Éléments obligatoires ─────────────────────────────────────────────────
  const checklistItems = pairs('checklist');
  const checklistBoxes = new Map();
  const checklist = h('fieldset', { class: 'card' },
    h('legend', {}, 'Éléments obligatoires'),
    h('p', { class: 'hint' }, 'Cochés d’après la saisie : confirmez-les. Une réclamation incomplète sera suivie d’une demande de précisions.'),
    checklistItems.map(([key, label]) => {
      const box = h('input', { type: 'checkbox', name: `checklist.${key}`, onChange: () => touchedChecklist.add(key) });
      checklistBoxes.set(key, box);
      const f = labelled({ label, input: box, inline: true });
      fields.set(`checklist.${key}`, f);
      return f.wrapper;
    }),
    h('p', { class: 'completeness', id: 'completeness', role: 'status' }));

  // ── Courriel reçu ─────────────────────────────────────────────────────────
  /** Sets a field from the email; the typing of a name, address or facts is never replaced. */
  function prefill(key, value, { always = false } = {}) {
    const input = fields.get(key).input;
    if (value && (always || !input.value.trim())) input.value = value;
  }
  const emailCard = emailIntakeCard({
    onRead: (p) => {
      const e = p.email;
      for (const input of fields.get('channel').inputs) {
        input.checked = input.value === 'email';
      }
      prefill('received_on', p.received_on, { always: true });
      prefill('email_subject', e.subject, { always: true });
      prefill('complainant.name', e.from.name);
      prefill('complainant.email', e.from.address);
      prefill('facts', e.body);
      channelChanged();
      refreshChecklist();
      scopeChanged();
    },
    onClear: () => {},
    // The address and phone found in the email, on the secretary's say-so: empty fields only.
    onPropose: (c) => {
      const kept = [];
      const offer = (key, value, label) => {
        if (!value) return;
        if (val(key).trim() && val(key).trim() !== value) kept.push(label);
        else fields.get(key).input.value = value;
      };
      offer('complainant.address_lines', c.address_lines.join('\n'), 'adresse');
      offer('complainant.postcode', c.postcode, 'code postal');
      offer('complainant.city', c.city, 'ville');
      offer('complainant.phone', c.phone, 'téléphone');
      refreshChecklist();
      return kept;
    },
  });

  const summary = h('div', { class: 'banner banner-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'button primary' }, 'Enregistrer la réclamation');
  const form = h('form', { class: 'page form', novalidate: true, 'aria-label': 'Nouvelle réclamation' },
    h('header', { class: 'page-head' }, h('h1', {}, 'Nouvelle réclamation'),
      h('a', { class: 'button', href: '#/reclamations' }, 'Retour à la liste')),
    summary, emailCard.node, reception, complainant, firm, complaint, checklist,
    h('div', { class: 'actions sticky' }, save,
      h('button', {
        type: 'button',
        class: 'button',
        // Two steps rather than a modal: a slip of the mouse never erases the typing.
        onClick: (e) => {
          if (e.currentTarget.dataset.armed) {
            draft = null;
            location.hash = '#/reclamations';
          } else {
            e.currentTarget.dataset.armed = 'yes';
            e.currentTarget.textContent = 'Confirmer : effacer toute la saisie';
          }
        },
      }, 'Abandonner la saisie')));

  // ── Behaviour ─────────────────────────────────────────────────────────────
  function channelChanged() {
    const channel = picked('channel')[0];
    fields.get('registered_number').wrapper.hidden = channel !== 'registered_letter';
    fields.get('email_subject').wrapper.hidden = channel !== 'email';
    fields.get('reply_by_email').wrapper.hidden = channel !== 'email';
    subjectChanged();
  }
  // Shown once a firm is chosen (or being created) and the date typed; a slower answer to
  // older typing is dropped. Saving stays allowed whatever the status.
  let scopeSeq = 0;
  async function scopeChanged() {
    const mine = ++scopeSeq;
    const firmId = val('firm_id');
    const received = val('received_on').trim();
    if (!firmId || !received) {
      scopeStatus.hidden = true;
      return;
    }
    const flags = picked('firm.flags');
    const newFirmFlags = firmId === NEW_FIRM
      ? { is_qualified: flags.includes('qualified'), is_certified: flags.includes('certified'), is_rge: flags.includes('rge') }
      : null;
    let shown;
    try {
      const scope = await api.firmScope(firmId === NEW_FIRM ? null : Number(firmId), newFirmFlags, received);
      shown = scopeBlock(scope);
    } catch (err) {
      shown = h('p', { class: 'muted' }, err?.fields?.received_on
        ? 'Le statut du qualifié à la date de réception s’affichera une fois la date corrigée.'
        : (err?.message ?? String(err)));
    }
    if (mine !== scopeSeq) return;
    replace(scopeStatus, shown);
    scopeStatus.hidden = false;
  }
  // The rule (accents aside) is the core's; a slower answer to older typing is dropped.
  let subjectSeq = 0;
  async function subjectChanged() {
    const mine = ++subjectSeq;
    const subject = val('email_subject').trim();
    const warn = picked('channel')[0] === 'email' && subject !== ''
      && !(await api.subjectMentionsReclamation(subject).catch(() => true));
    if (mine === subjectSeq) form.querySelector('#subject-warning').hidden = !warn;
  }
  function firmChanged() {
    newFirm.hidden = val('firm_id') !== NEW_FIRM;
  }
  function hasCoordinates(prefix) {
    const address = val(`${prefix}.address_lines`).trim() && val(`${prefix}.postcode`).trim() && val(`${prefix}.city`).trim();
    return Boolean(address || val(`${prefix}.email`).trim() || val(`${prefix}.phone`).trim());
  }
  function present() {
    const firmId = val('firm_id');
    const chosen = firms.find((f) => String(f.id) === firmId);
    return {
      complainant_details: Boolean(val('complainant.name').trim()) && hasCoordinates('complainant'),
      firm_details: firmId === NEW_FIRM
        ? Boolean(val('firm.name').trim()) && hasCoordinates('firm')
        : Boolean(chosen && ((chosen.address.lines.length && chosen.address.city) || chosen.email || chosen.phone)),
      facts: Boolean(val('facts').trim()),
      actions_taken: Boolean(val('actions_taken').trim()),
    };
  }
  function refreshChecklist() {
    const now = present();
    for (const [key, box] of checklistBoxes) {
      if (!touchedChecklist.has(key)) box.checked = now[key];
    }
    const missing = checklistItems.filter(([key]) => !checklistBoxes.get(key).checked).length;
    form.querySelector('#completeness').textContent = missing === 0
      ? 'Réclamation complète : un accusé de réception sera adressé.'
      : `Réclamation incomplète (${missing} élément${missing > 1 ? 's' : ''} manquant${missing > 1 ? 's' : ''}) : une demande de précisions sera adressée.`;
  }

  form.addEventListener('input', (e) => {
    if (e.target.name === 'email_subject') subjectChanged();
    if (e.target.name === 'received_on') scopeChanged();
    refreshChecklist();
  });
  form.addEventListener('change', (e) => {
    if (e.target.name === 'channel') channelChanged();
    if (e.target.name === 'firm_id') firmChanged();
    if (['firm_id', 'firm.flags', 'received_on'].includes(e.target.name)) scopeChanged();
    refreshChecklist();
  });

  function collect() {
    const firmId = val('firm_id');
    const flags = picked('firm.flags');
    const checked = Object.fromEntries([...checklistBoxes].map(([k, box]) => [k, box.checked]));
    return {
      received_on: val('received_on'),
      channel: picked('channel')[0] ?? '',
      registered_number: val('registered_number'),
      email_subject: val('email_subject'),
      addressed_to: val('addressed_to'),
      complainant: {
        role: picked('complainant.role')[0] ?? '',
        civility: val('complainant.civility'),
        name: val('complainant.name'),
        organisation: val('complainant.organisation'),
        address_lines: val('complainant.address_lines'),
        postcode: val('complainant.postcode'),
        city: val('complainant.city'),
        email: val('complainant.email'),
        phone: val('complainant.phone'),
      },
      firm_id: firmId && firmId !== NEW_FIRM ? Number(firmId) : null,
      new_firm: firmId === NEW_FIRM ? {
        name: val('firm.name'),
        siret: val('firm.siret'),
        confirm_siret: fields.get('firm.confirm_siret').input.checked,
        address_lines: val('firm.address_lines'),
        postcode: val('firm.postcode'),
        city: val('firm.city'),
        email: val('firm.email'),
        phone: val('firm.phone'),
        is_qualified: flags.includes('qualified'),
        is_certified: flags.includes('certified'),
        is_rge: flags.includes('rge'),
      } : null,
      facts: val('facts'),
      actions_taken: val('actions_taken'),
      natures: picked('natures'),
      checklist: checked,
      // Only an email complaint can be answered by email; the box is hidden otherwise.
      reply_by_email: picked('channel')[0] === 'email' && fields.get('reply_by_email').input.checked,
    };
  }

  function showRefusal(err) {
    // A refusal keyed by a sub-field the form shows as one group (« firm.flags.x ») goes to it.
    showErrors(fields, err, { summary, alias: (key) => (fields.has(key) ? key : key.split('.')[0]) });
    const first = form.querySelector('[aria-invalid="true"]');
    if (first) {
      first.focus();
      first.scrollIntoView({ block: 'center' });
    } else {
      summary.scrollIntoView({ block: 'start' });
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    save.disabled = true;
    try {
      const email = emailCard.source();
      const saved = email
        ? await api.registerComplaintFromEmail(collect(), email, currentStaffId())
        : await api.registerComplaint(collect(), currentStaffId());
      draft = null;
      const note = saved.complete ? '' : ' Elle est incomplète : une demande de précisions sera à adresser.';
      setFlash(`Réclamation ${saved.reference} enregistrée.${note}${saved.warnings.length ? ` ${saved.warnings.join(' ')}` : ''}`);
      location.hash = `#/reclamations/${saved.id}`;
    } catch (err) {
      if (err?.fields?.['firm.siret']) confirmSiret.hidden = false;
      showRefusal(err ?? {});
    } finally {
      save.disabled = false;
    }
  });

  channelChanged();
  firmChanged();
  scopeChanged();
  refreshChecklist();
  return { node: form, readEmail: emailCard.read };
}
