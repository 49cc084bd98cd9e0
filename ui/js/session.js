// The current user, chosen in the sidebar and remembered on this workstation (the webview's
// local storage) until another is chosen; every action is signed with it.

import * as api from './api.js';
import { h, replace } from './dom.js';

const KEY = 'reclamations.staffId';

/** The chosen staff id, or null. */
export function currentStaffId() {
  const v = localStorage.getItem(KEY);
  return v ? Number(v) : null;
}

/** Fills the « Utilisateur » select from the staff list; keeps the choice for the next start. */
export async function renderUserPicker(container) {
  const staff = (await api.listStaff()).filter((s) => s.active);
  let chosen = currentStaffId();
  if (!staff.some((s) => s.id === chosen)) {
    chosen = staff.length === 1 ? staff[0].id : null;
    if (chosen) localStorage.setItem(KEY, String(chosen));
    else localStorage.removeItem(KEY);
  }
  const select = h('select', {
    id: 'current-user',
    onChange: (e) => {
      if (e.target.value) localStorage.setItem(KEY, e.target.value);
      else localStorage.removeItem(KEY);
    },
  },
  h('option', { value: '' }, '— Qui êtes-vous ? —'),
  staff.map((s) => h('option', { value: String(s.id) }, s.role ? `${s.name} (${s.role})` : s.name)));
  select.value = chosen ? String(chosen) : '';
  replace(container, h('label', { for: 'current-user' }, 'Utilisateur'), select);
}
