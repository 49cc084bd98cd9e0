// The demonstration register, when it is the one open: a banner over every screen, a different
// colour and title, and the way back to the real register.

import * as api from '../api.js';
import { h, replace, errorMessage } from '../dom.js';

/** After the register in use changed (the demonstration opened or left): the whole window
 * again, on the dashboard, with nobody chosen (the staff ids belong to the other register). */
export function reloadOnDashboard() {
  localStorage.removeItem('reclamations.staffId');
  location.hash = '#/tableau-de-bord';
  location.reload();
}

export function showDemoBanner() {
  document.body.classList.add('demo');
  document.title = 'Réclamations — DÉMONSTRATION';
  const org = document.querySelector('.brand-org');
  if (org) org.textContent = 'DÉMONSTRATION';
  const banner = document.getElementById('demo-banner');
  const status = h('span', { role: 'status', class: 'demo-status' });
  const leave = h('button', {
    type: 'button',
    class: 'button',
    onClick: async () => {
      leave.disabled = true;
      try {
        await api.closeDemo();
        reloadOnDashboard();
      } catch (err) {
        status.textContent = errorMessage(err);
        leave.disabled = false;
      }
    },
  }, 'Quitter la démonstration');
  replace(banner,
    h('p', {},
      h('strong', {}, 'Données de démonstration'),
      ' — fictives, dans un dossier séparé du registre réel, qui n’est pas touché. Elles sont supprimées en quittant la démonstration.'),
    leave, status);
  banner.hidden = false;
}
