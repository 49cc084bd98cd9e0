// Reading the app's vocabulary (codes and French labels, defined once in Rust): the UI keeps
// no list of its own.

import { vocabulary } from './api.js';

/** The terms of one list (`'steps'`, `'channels'`…), in the core's order. */
export const terms = (list) => vocabulary()[list] ?? [];

/** The label of `code` in `list`; the code itself if the list does not know it. */
export const label = (list, code) => terms(list).find((t) => t.code === code)?.label ?? code;

/** The whole term of `code` in `list` (for the extra fields some lists carry), or undefined. */
export const term = (list, code) => terms(list).find((t) => t.code === code);

/** `[code, label]` pairs of a list, for selects and choices; `keep(term)` filters. */
export const pairs = (list, keep = () => true) => terms(list).filter(keep).map((t) => [t.code, t.label]);

/** « Qualifié, Certifié, RGE »: a firm's three flags in words. */
export const firmStatus = (f) => [f.is_qualified && 'qualified', f.is_certified && 'certified', f.is_rge && 'rge']
  .filter(Boolean).map((code) => label('firm_statuses', code)).join(', ');
