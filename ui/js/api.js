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
export const registerComplaint = (form) => invoke('register_complaint', { form });

/** A page of the complaints list, newest first. */
export const listComplaints = (offset = 0, limit = 100) => invoke('list_complaints', { offset, limit });

/** Everything about one complaint, with its journal. */
export const getComplaint = (id) => invoke('get_complaint', { id });
