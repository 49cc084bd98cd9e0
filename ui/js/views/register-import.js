// « Reprendre l'ancien registre »: the complaints kept in a spreadsheet before the application
// come in. A preview first (nothing is written): the columns and the field each fills, which
// the user may change; the firms the register does not know, each to create or to choose; the
// refused lines; every complaint with the step its dates reach. Then one import, all at once.

import * as api from '../api.js';
import { h, frDate, replace, field, showRefusal } from '../dom.js';
import { currentStaffId } from '../session.js';

const plural = (n, one, many) => `${n} ${n > 1 ? many : one}`;

/** The mapping: one row per column of the file, its field chosen in a list. */
function mappingTable(r, onChange) {
  const selects = r.columns.map((c, i) => {
    const select = h('select', { 'aria-label': `Champ de la colonne « ${c.header || `n° ${i + 1}`} »`, 'data-column': c.header },
      h('option', { value: '' }, '— ignorée —'),
      r.fields.map((f) => h('option', { value: f.code, selected: f.code === c.field }, f.label)));
    select.addEventListener('change', () => onChange(selects.map((s) => s.value)));
    return select;
  });
  return h('table', { class: 'table compact', 'aria-label': 'Colonnes du fichier' },
    h('thead', {}, h('tr', {}, ['Colonne du fichier', 'Exemple', 'Champ repris'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, r.columns.map((c, i) => h('tr', { class: c.field ? '' : 'muted' },
      h('td', {}, c.header || `(colonne ${i + 1} sans intitulé)`),
      h('td', { class: 'muted' }, c.sample || '—'),
      h('td', {}, selects[i])))));
}

/** The firms the register does not know: each created, or taken as one of the register. */
function unknownFirms(r, choices, onChange) {
  if (!r.unknown_firms.length) return null;
  return h('section', { 'aria-label': 'Qualifiés inconnus du registre' },
    h('h3', {}, `Qualifiés inconnus du registre (${r.unknown_firms.length})`),
    h('p', { class: 'hint' }, 'Ni leur n°, ni leur SIRET, ni leur nom ne sont dans le registre des qualifiés. Créez-les, ou choisissez le qualifié du registre qu’ils désignent.'),
    h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, ['Qualifié du fichier', 'Lignes', 'Reprise'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, r.unknown_firms.map((u) => {
        const select = h('select', { 'aria-label': `Qualifié pour « ${u.described} »`, 'data-firm-key': u.key },
          h('option', { value: '0', selected: !u.chosen }, u.can_create ? 'Créer ce qualifié' : '— à choisir (sans raison sociale, il ne peut être créé) —'),
          u.candidates.map((c) => h('option', { value: String(c.id), selected: u.chosen === c.id }, c.number ? `${c.name} (n° ${c.number})` : c.name)));
        select.addEventListener('change', () => {
          choices.firms[u.key] = Number(select.value);
          onChange();
        });
        return h('tr', {},
          h('td', {}, u.described),
          h('td', {}, u.lines.slice(0, 12).join(', ') + (u.lines.length > 12 ? '…' : '')),
          h('td', {}, select));
      }))));
}

function complaintsTable(r) {
  if (!r.complaints.length) return null;
  return h('table', { class: 'table', 'aria-label': 'Réclamations reprises' },
    h('thead', {}, h('tr', {}, ['Ligne', 'Ancienne réf.', 'Référence', 'Reçue le', 'Réclamant', 'Qualifié', 'Étape', 'Avertissements']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, r.complaints.map((c) => h('tr', { 'data-legacy': c.legacy_reference },
      h('td', {}, String(c.line)),
      h('td', { class: 'mono nowrap' }, c.legacy_reference),
      h('td', { class: 'mono nowrap' }, c.id ? h('a', { href: `#/reclamations/${c.id}` }, c.reference) : c.reference),
      h('td', { class: 'nowrap' }, frDate(c.received_on)),
      h('td', {}, c.complainant),
      h('td', {}, c.firm),
      h('td', {}, c.step_label),
      h('td', {}, c.warnings.length ? h('ul', { class: 'warnings' }, c.warnings.map((w) => h('li', {}, w))) : '—')))));
}

function report(r, choices, rerun, apply) {
  const title = r.applied
    ? (r.created ? 'Reprise terminée' : 'Rien à reprendre')
    : 'Aperçu (rien n’est encore enregistré)';
  const steps = r.by_step.map((s) => `${s.label} : ${s.count}`).join(' ; ');
  return [
    h('div', { role: 'status', class: r.applied ? 'banner banner-success import-summary' : 'banner import-summary' },
      h('strong', {}, title),
      ` — ${r.file_name} (${r.format}${r.encoding ? `, ${r.encoding}, séparateur ${r.delimiter}` : ''})`,
      h('ul', {},
        h('li', {}, `${plural(r.created, 'réclamation', 'réclamations')} ${r.applied ? 'reprise(s)' : 'à reprendre'}, dont ${r.open} en cours${steps ? ` (${steps})` : ''}`),
        h('li', {}, `${plural(r.already.length, 'réclamation déjà au registre', 'réclamations déjà au registre')} (laissées telles quelles) ; ${plural(r.refused.length, 'ligne refusée', 'lignes refusées')}`),
        h('li', {}, `${plural(r.warnings, 'avertissement', 'avertissements')} ; ${plural(r.firms_created, 'qualifié', 'qualifiés')} ${r.applied ? 'créé(s)' : 'à créer'}`))),
    r.missing.length ? h('div', { class: 'banner banner-error', role: 'alert' },
      h('ul', {}, r.missing.map((m) => h('li', {}, m)))) : null,
    r.applied ? null : h('details', { class: 'explain', open: r.missing.length > 0 },
      h('summary', {}, 'Colonnes du fichier et champs repris (modifiables)'),
      mappingTable(r, (mapping) => { choices.mapping = mapping; rerun(); })),
    r.applied ? null : unknownFirms(r, choices, rerun),
    r.refused.length ? h('section', { 'aria-label': 'Lignes refusées' }, h('h3', {}, 'Lignes refusées'),
      h('p', { class: 'hint' }, 'Corrigez-les dans le fichier puis reprenez-le : les réclamations déjà reprises ne le sont pas deux fois.'),
      h('ul', {}, r.refused.map((l) => h('li', { class: 'import-rejected' }, l.message)))) : null,
    !r.applied && r.created && !r.missing.length
      ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button primary', onClick: apply },
        `Reprendre ${plural(r.created, 'réclamation', 'réclamations')}`))
      : null,
    complaintsTable(r),
    r.already.length ? h('details', { class: 'explain' },
      h('summary', {}, `${plural(r.already.length, 'réclamation', 'réclamations')} déjà au registre`),
      h('ul', {}, r.already.map((a) => h('li', {}, `Ligne ${a.line} : ${a.legacy_reference} → ${a.reference}`)))) : null,
  ];
}

export function registerImportPage() {
  const pathField = field({ label: 'Chemin du fichier', className: 'field grow', input: h('input', { type: 'text', placeholder: '/chemin/vers/registre.xlsx' }) });
  const path = pathField.input;
  const out = h('div', {});
  const error = h('p', { class: 'banner banner-error', role: 'alert', hidden: true });
  let choices = { mapping: [], firms: {} };
  let busy = false;
  const run = async (apply) => {
    if (busy) return;
    busy = true;
    error.hidden = true;
    out.setAttribute('aria-busy', 'true');
    // Nothing of the previous report can be used while the next one is computed.
    for (const control of out.querySelectorAll('button, select')) control.disabled = true;
    try {
      const r = await api.importRegister(path.value, choices, apply, currentStaffId());
      replace(out, report(r, choices, () => run(false), () => run(true)));
    } catch (err) {
      showRefusal(error, err);
      for (const control of out.querySelectorAll('button, select')) control.disabled = false;
    } finally {
      busy = false;
      out.removeAttribute('aria-busy');
    }
  };
  const fresh = () => { choices = { mapping: [], firms: {} }; run(false); };
  return h('section', { class: 'page' },
    h('header', { class: 'page-head' },
      h('h1', {}, 'Reprendre l’ancien registre'),
      h('div', { class: 'action-buttons' }, h('a', { class: 'button', href: '#/reclamations' }, 'Retour aux réclamations'))),
    h('section', { class: 'card', 'aria-label': 'Fichier de l’ancien registre' },
      h('p', { class: 'hint' }, 'Le tableau des réclamations tenu avant l’application : CSV, Excel (.xlsx) ou OpenDocument (.ods), une ligne par réclamation. '
        + 'Chaque réclamation est créée à l’étape que ses dates indiquent, avec ses délais ; son journal commence par « Repris de l’ancien registre » et ne dit que ce que le fichier dit. '
        + 'Les courriers des étapes déjà passées ne sont pas dans l’application : ils sont marqués « antérieur à l’application ». Rien n’est enregistré avant « Reprendre ».'),
      h('details', { class: 'explain' }, h('summary', {}, 'Colonnes reconnues'),
        h('ul', {},
          h('li', {}, 'Obligatoires : ancienne référence (N° réclamation, Référence, N° dossier), date de réception (Reçue le), réclamant (Plaignant), qualifié (Entreprise, Raison sociale, N° qualifié ou SIRET), nature (Nature : prestations, déontologie, usage de la marque ; ou une colonne oui/non par nature).'),
          h('li', {}, 'Facultatives : canal (courrier, recommandé, courriel), n° de recommandé, adressée à, qualité (client ou tiers), adresse, code postal, ville, courriel, téléphone du réclamant, faits, actions déjà menées, responsable (qualification ou certification).'),
          h('li', {}, 'Étapes, par leurs dates : AR le, qualifié informé le, réponse du qualifié le, décision (classement sans suite, avertissement, appel à un expert, commission de recours, suspension, retrait, aucune sanction, irrecevable) et date de décision, clôturée le. Une colonne « Étape » ou « Statut » est comparée aux dates.'),
          h('li', {}, 'Une date illisible ou dans le futur, des dates dans le désordre, une nature absente : la ligne est refusée, avec sa raison. Un canal ou une qualité absents : la ligne est reprise avec la valeur par défaut, dite dans l’avertissement et le journal.'))),
      error,
      h('div', { class: 'inline-form' },
        h('button', { type: 'button', class: 'button', onClick: async () => { const p = await api.chooseRegisterFile(); if (p) { path.value = p; fresh(); } } }, 'Choisir un fichier…'),
        pathField.wrapper,
        h('button', { type: 'button', class: 'button', onClick: fresh }, 'Aperçu de la reprise'))),
    out);
}
