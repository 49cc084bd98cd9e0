// Premier démarrage: a short setup offered once on an empty register — the organisation and
// its logo, the staff and who signs, the backup destination, the firms' import — each step
// skippable, each card the one of Paramètres. Also the way into the demonstration register.

import * as api from '../api.js';
import { h, appendChildren } from '../dom.js';
import { setFlash } from '../flash.js';
import { organisationCard, staffCard } from './settings.js';
import { logoCard } from './logo.js';
import { externalBackupsCard } from './backups.js';
import { importPanel } from './firms-list.js';
import { reloadOnDashboard } from './demo.js';

export const SETUP_ROUTE = '#/premier-demarrage';

const STEPS = [
  {
    title: 'Organisme et logo',
    intro: 'Le nom, l’adresse, le courriel et les titres des signataires imprimés sur chaque courrier, et le logo de l’en-tête. Vérifiez ce qui est prérempli.',
    cards: async () => [await organisationCard({ setup: true }), await logoCard()],
  },
  {
    title: 'Personnel et signataires',
    intro: 'Les personnes du secrétariat : chacune signe ce qu’elle enregistre. Ajoutez-les, puis choisissez dans la colonne « Signataire » qui est la Déléguée Générale ou un Responsable : son nom est celui qui signe les courriers.',
    cards: async () => [await staffCard()],
  },
  {
    title: 'Sauvegarde externe',
    intro: 'Un disque externe, une clé USB ou un partage réseau qui reçoit chaque jour une sauvegarde du registre. Sans destination, seule une copie locale est faite, sur le même disque.',
    cards: async () => [await externalBackupsCard({ setup: true })],
  },
  {
    title: 'Registre des qualifiés',
    intro: 'Facultatif : importez le registre des qualifiés depuis un fichier CSV. Vous pouvez aussi les créer au fil des réclamations.',
    cards: async () => [importPanel(() => {})],
  },
];

const stepHref = (n) => `${SETUP_ROUTE}?etape=${n}`;

/** Leaves the setup: recorded as done or skipped, then the dashboard and its next steps. */
async function finish(skipped, status) {
  try {
    await api.finishSetup(skipped);
  } catch (err) {
    status.textContent = err?.message ?? String(err);
    return;
  }
  setFlash(skipped
    ? 'Configuration passée : tout se règle dans Paramètres. Le tableau de bord indique les prochaines étapes.'
    : 'Configuration terminée. Le tableau de bord indique les prochaines étapes.');
  location.hash = '#/tableau-de-bord';
}

/**
 * Before leaving a step: a changed form that can save itself (`form.saveChanges`) is saved — a
 * refusal keeps the step, with the message next to the field; another changed form (a person
 * typed but not added) keeps the step with a message saying what to do. Nothing typed is lost.
 */
async function leaveStep(root, status) {
  for (const form of root.querySelectorAll('form[data-changed]')) {
    if (form.saveChanges) {
      if (!(await form.saveChanges())) {
        status.textContent = `« ${form.getAttribute('aria-label')} » n’a pas pu être enregistré : corrigez le champ indiqué, puis continuez.`;
        return false;
      }
    } else {
      status.textContent = `Ce que vous avez saisi dans « ${form.getAttribute('aria-label')} » n’est pas encore enregistré : validez-le avec son bouton, ou videz les champs.`;
      form.querySelector('input, select, textarea')?.focus();
      return false;
    }
  }
  return true;
}

/** « Essayer avec des données de démonstration »: the demonstration register, made anew. */
export function demoButton(status, className = 'button') {
  return h('button', {
    type: 'button',
    class: className,
    onClick: async (e) => {
      const button = e.currentTarget;
      button.disabled = true;
      status.textContent = 'Préparation des données de démonstration…';
      try {
        await api.openDemo();
        reloadOnDashboard();
      } catch (err) {
        status.textContent = err?.message ?? String(err);
        button.disabled = false;
      }
    },
  }, 'Essayer avec des données de démonstration');
}

function welcome() {
  const status = h('p', { role: 'status', class: 'muted' });
  return h('section', { class: 'page setup' },
    h('h1', {}, 'Bienvenue dans Réclamations'),
    h('section', { class: 'card' },
      h('p', {}, 'Quelques réglages avant la première réclamation, en quatre étapes courtes :'),
      h('ol', { class: 'first-steps' }, STEPS.map((s) => h('li', {}, s.title))),
      h('p', { class: 'hint' }, 'Chaque étape peut être passée ; tout se modifie ensuite dans Paramètres.'),
      h('div', { class: 'action-buttons' },
        h('a', { class: 'button primary', href: stepHref(1) }, 'Commencer la configuration'),
        h('button', { type: 'button', class: 'button', onClick: () => finish(true, status) }, 'Passer la configuration'))),
    h('section', { class: 'card', 'aria-labelledby': 'h-demo' },
      h('h2', { id: 'h-demo' }, 'Découvrir l’application d’abord'),
      h('p', {}, 'La démonstration ouvre un registre fictif — quatre ans de réclamations, à toutes les étapes, quelques réponses en retard — dans un dossier séparé. Rien de ce que vous y faites n’entre dans le registre réel ; « Quitter la démonstration » le supprime et revient ici.'),
      h('div', { class: 'action-buttons' }, demoButton(status))),
    status);
}

/** The setup screen: `etape` 0 (welcome) to 4. */
export async function setupPage(params) {
  const n = Math.min(Math.max(Number.parseInt(params.get('etape') ?? '0', 10) || 0, 0), STEPS.length);
  if (n === 0) return welcome();
  const step = STEPS[n - 1];
  const status = h('p', { role: 'status', class: 'setup-status' });
  const root = h('section', { class: 'page setup' });
  // Which form the user changed since it was last saved (see `leaveStep`).
  root.addEventListener('input', (e) => e.target.closest?.('form')?.setAttribute('data-changed', ''));
  // What the status line asked for is being done: it no longer applies.
  root.addEventListener('submit', () => { status.textContent = ''; }, true);
  const go = (href) => async (e) => {
    e.preventDefault();
    if (await leaveStep(root, status)) location.hash = href;
  };
  const last = n === STEPS.length;
  const next = last
    ? h('button', {
      type: 'button',
      class: 'button primary',
      onClick: async () => { if (await leaveStep(root, status)) await finish(false, status); },
    }, 'Terminer')
    : h('a', { class: 'button primary', href: stepHref(n + 1), onClick: go(stepHref(n + 1)) }, 'Suivant');
  appendChildren(root, [
    h('header', { class: 'page-head' },
      h('div', {},
        h('p', { class: 'muted' }, `Premier démarrage — étape ${n} sur ${STEPS.length}`),
        h('h1', {}, step.title))),
    h('ol', { class: 'setup-steps', 'aria-label': 'Étapes de la configuration' },
      STEPS.map((s, i) => h('li', { 'aria-current': i + 1 === n ? 'step' : null },
        i + 1 === n ? h('span', {}, s.title) : h('a', { href: stepHref(i + 1), onClick: go(stepHref(i + 1)) }, s.title)))),
    h('p', { class: 'hint' }, step.intro),
    ...(await step.cards()),
    h('nav', { class: 'setup-nav', 'aria-label': 'Étapes' },
      h('a', { class: 'button', href: stepHref(n - 1), onClick: go(stepHref(n - 1)) }, 'Précédent'),
      next,
      h('button', {
        type: 'button',
        class: 'button link',
        onClick: async () => { if (await leaveStep(root, status)) await finish(true, status); },
      }, 'Passer la configuration')),
    status]);
  return root;
}
