// The only module that talks to the Rust side: one documented function per command.
// Every function returns a Promise; a refusal rejects with { kind, message, fields? }.

const { invoke } = window.__TAURI__.core;

/** Version, data folder and « today » (ISO date) of the running app. */
export const appInfo = () => invoke('app_info');

/** All firms of the register, by name. */
export const listFirms = () => invoke('list_firms');

/**
 * Registers a written complaint from the « Nouvelle réclamation » form.
 * Resolves to { id, reference, complete, warnings }; rejects with field messages.
 */
export const registerComplaint = (form, staffId) => invoke('register_complaint', { form, staffId });

/** A page of the complaints list, newest first. */
export const listComplaints = (offset = 0, limit = 100) => invoke('list_complaints', { offset, limit });

/** Everything about one complaint, with its journal. */
export const getComplaint = (id) => invoke('get_complaint', { id });

/** Performs a procedure action on a complaint; resolves to the new step code. */
export const performAction = (id, staffId, form) => invoke('perform_action', { id, staffId, form });

/** Adds a call/meeting summary, a note, a correction… to the complaint's journal. */
export const addJournalEntry = (id, staffId, form) => invoke('add_journal_entry', { id, staffId, form });

/** Recomputes the journal's hash chain: { intact, entries, first_broken, message }. */
export const verifyJournal = (id) => invoke('verify_journal', { id });

/** The staff list (active first). */
export const listStaff = () => invoke('list_staff');

/** Adds a member of staff: { name, role }. */
export const addStaff = (form) => invoke('add_staff', { form });

/** Sets a member active or not (members are never deleted: the journal names them). */
export const setStaffActive = (id, active) => invoke('set_staff_active', { id, active });

/** The deadline durations in force. */
export const getDeadlineSettings = () => invoke('get_deadline_settings');

/** Saves the deadline durations; started clocks keep their due dates. */
export const saveDeadlineSettings = (settings) => invoke('save_deadline_settings', { settings });
