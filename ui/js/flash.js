// A message to show once on the next screen (« Réclamation REC-2026-0001 enregistrée »).

let pending = null;

export function setFlash(message, kind = 'success') {
  pending = { message, kind };
}

/** The pending message as a banner element, or null; shown once. */
export function takeFlash(h) {
  if (!pending) return null;
  const { message, kind } = pending;
  pending = null;
  return h('p', { class: `banner banner-${kind}`, role: 'status' }, message);
}
