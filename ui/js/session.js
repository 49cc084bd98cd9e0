// The current user, chosen once per session in the sidebar; every action is signed with it.

import * as api from './api.js';
import { h, replace } from './dom.js';

const KEY = 'reclamations.staffId';

/** The chosen staff id, or null. */
export function currentStaffId() {
  const v = sessionStorage.getItem(KEY);
  return v ? Number(v) : null;
}

/** Fills the « Utilisateur » select from the staff list; keeps the choice in the session. */
export async function renderUserPicker(container) {
  const staff = (await api.listStaff()).filter((s) => s.active);
  let chosen = currentStaffId();
  if (!staff.some((s) => s.id === chosen)) {
    chosen = staff.length === 1 ? staff[0].id : null;
    if (chosen) sessionStorage.setItem(KEY, String(chosen));
    else sessionStorage.removeItem(KEY);
  }
  const select = h('select', {
    id: 'current-user',
    onChange: (e) => {
      if (e.target.value) sessionStorage.setItem(KEY, e.target.value);
      else sessionStorage.removeItem(KEY);
    },
  },
  h('option', { value: '' }, '— Qui êtes-vous ? —'),
  staff.map((s) => h('option', { value: String(s.id) }, s.role ? `${s.name} (${s.role})` : s.name)));
  select.value = chosen ? String(chosen) : '';
  replace(container, h('label', { for: 'current-user' }, 'Utilisateur'), select);
}
