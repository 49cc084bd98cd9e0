// The only module that talks to the Rust side: one documented function per command.
// Every function returns a Promise; a refusal rejects with { kind, message, fields? }.

const { invoke: rawInvoke } = window.__TAURI__.core;

/** Every call goes through here: a failure is reported to the technical log (the command's
 * name and the error's kind, never its message or data), then rejected as before. */
const invoke = (command, args) => rawInvoke(command, args).catch((err) => {
  if (command !== 'report_command_error') {
    rawInvoke('report_command_error', { command, kind: String(err?.kind ?? 'unknown') }).catch(() => {});
  }
  throw err;
});

/** Version, data folder, « today » (ISO date), `demo` (the demonstration register is open) and
 * `setup_needed` (a first start) of the running app. */
export const appInfo = () => invoke('app_info');

/** The first view is drawn: the app starts its background work (digest, daily backup).
 * `marks`: where the page's start went (ms), printed by the app's start probe. */
export const firstScreenShown = (marks) => invoke('first_screen_shown', { marks });

/** Records that the first start's setup was finished, or `skipped`. */
export const finishSetup = (skipped) => invoke('finish_setup', { skipped });

/** Opens a demonstration register made anew: resolves to { data_dir, firms, complaints }. */
export const openDemo = () => invoke('open_demo');

/** Goes back to the real register; the demonstration folder is deleted. */
export const closeDemo = () => invoke('close_demo');

let context = null;

/**
 * Fetches, once, what every view needs from the app: `app_info` (with « today », which honours
 * RECLAMATIONS_TODAY: the UI never reads the clock) and the vocabulary. The shell awaits it
 * before the first view; `today()` and `vocabulary()` read it afterwards.
 */
export async function loadContext() {
  if (!context) {
    const [info, words] = await Promise.all([appInfo(), invoke('vocabulary')]);
    context = { info, words };
  }
  return context;
}

/** « Today » of the app, as an ISO date. */
export const today = () => context.info.today;

/**
 * Every code the UI shows with its French label, list by list:
 * { steps: [{ code, label }], channels, addressees: [{ code, label, addressed_to }], … }.
 */
export const vocabulary = () => context.words;

/** Whether an e-mail subject says « réclamation », accents aside (the form warns when not). */
export const subjectMentionsReclamation = (subject) => invoke('subject_mentions_reclamation', { subject });

/** All firms of the register, by name. */
export const listFirms = () => invoke('list_firms');

/** The firm's status on the date of receipt: `firmId` of the register, or `newFirm` (its flags). */
export const firmScope = (firmId, newFirm, receivedOn) => invoke('firm_scope', { firmId, newFirm, receivedOn });

/**
 * Registers a written complaint from the « Nouvelle réclamation » form.
 * Resolves to { id, reference, complete, warnings }; rejects with field messages.
 */
export const registerComplaint = (form, staffId) => invoke('register_complaint', { form, staffId });

/**
 * Everything the complaint page shows, in one read: `{ complaint, letters }` (the complaint with
 * its workflow and journal; the letters offered, its documents, the email addresses).
 */
export const complaintPage = (id) => invoke('complaint_page', { id });

/** Performs a procedure action on a complaint; resolves to the page as it now is (see complaintPage). */
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

/** The letters' settings: { firm_letter_content, firm_clock_start, reminder_days, committee_contest_text,
 * expert_inform_parties, firm_letter_contents: [{ code, label }], firm_clock_starts }. */
export const getLetterSettings = () => invoke('get_letter_settings');

/** Saves the letters' settings: { firm_letter_content, firm_clock_start, reminder_days,
 * committee_contest_text, expert_inform_parties }. */
export const saveLetterSettings = (settings) => invoke('save_letter_settings', { settings });

/** Letters a complaint calls for now, and its archived documents. */

/** Generates a letter, archives it and journals it; resolves to { document_id, path, sha256 }. */
export const generateLetter = (id, staffId, kind, registeredNumber, adapted = null, intervenantId = null) =>
  invoke('generate_letter', { id, staffId, kind, registeredNumber, adapted, intervenantId });

/** « Aperçu »: the letter as it will print, nothing archived: { doc, replaces, path, opened }
 * (`intervenantId`: the instructeur a transmission letter is addressed to)
 * (`doc`: recipient, subject, paragraphs…; `replaces`: the unsent letter validating replaces). */
export const previewLetter = (id, kind, registeredNumber, adapted, intervenantId, open) => invoke('preview_letter', {
  id,
  kind,
  choice: { registered_number: registeredNumber, adapted, intervenant_id: intervenantId },
  open,
});

/** « Adapter ce courrier »: the template applied to this file, { subject, body }, to edit. */
export const mergedLetter = (id, kind, intervenantId = null) => invoke('merged_letter', { id, kind, intervenantId });

/** The printable declaration of interests for one intervenant of the register, archived in the
 * complaint's file like every letter: { document_id, path, sha256, template_version }. */
export const generateDeclarationForm = (id, staffId, intervenantId) =>
  invoke('generate_declaration_form', { id, staffId, intervenantId });

/** Opens an archived document in the system's viewer. */
export const openDocument = (documentId) => invoke('open_document', { documentId });

/** « Enregistrer sous… » through a native dialog; resolves to the path chosen, or null. */
export const saveDocumentAs = (documentId) => invoke('save_document_as', { documentId });

/** Marks a letter sent: { date, mode: 'simple' | 'registered', registered_number }. */
export const markLetterSent = (documentId, staffId, form) => invoke('mark_letter_sent', { documentId, staffId, form });

/** Records the date on the returned AR card of a registered letter. */
export const recordArReturned = (documentId, staffId, date) => invoke('record_ar_returned', { documentId, staffId, date });

/** Today's letters not yet sent, as one PDF: { path, count, opened }. */
export const printDayMail = () => invoke('print_day_mail');

/** The « comment déposer une réclamation » letter for an oral contact. */
export const howToComplainLetter = (form) => invoke('how_to_complain_letter', { form });

/** Letter templates in force, one per kind. */
export const listTemplates = () => invoke('list_templates');

/** The merge fields templates may use: [{ name, description }]. */
export const mergeFields = () => invoke('merge_fields');

/** Saves a new version of a template's wording. */
export const saveTemplate = (kind, subject, body, staffId) => invoke('save_template', { kind, subject, body, staffId });

/** Restores OPQTECC's default wording (as a new version). */
export const restoreTemplate = (kind, staffId) => invoke('restore_template', { kind, staffId });

/** Previews unsaved wording with the latest complaint's data: { path, opened }. */
export const previewTemplate = (kind, subject, body, reference) => invoke('preview_template', { kind, subject, body, reference });

/** The organisation's identity and signatories. */
export const getOrganisation = () => invoke('get_organisation');

/** Saves the organisation's identity and signatories. */
export const saveOrganisation = (organisation) => invoke('save_organisation', { organisation });

/** The letters' logo in force: { custom, file_name, width, height, sha256, set_on, data_url }. */
export const getLogo = () => invoke('get_logo');

/** « Choisir un logo… »: the path chosen in a native dialog, or null when cancelled. */
export const chooseLogo = () => invoke('choose_logo');

/** Keeps the image at `path` as the letters' logo (refused with fields.logo); the logo in force. */
export const setLogo = (path) => invoke('set_logo', { path });

/** Back to the default logo; the logo in force. */
export const resetLogo = () => invoke('reset_logo');

/** The dashboard: { today, soon_days, items, counts, flagged }. */
export const getDashboard = () => invoke('get_dashboard');

/** Complaints matching { text, step, nature, channel, firm_id, year, overdue_only, sort, descending, offset, limit }. */
export const searchComplaints = (query) => invoke('search_complaints', { query });

/** Corrects what intake recorded (`form`: { cause, comment, complaint }); with apply false, says what would change and follow. */
export const correctComplaint = (id, staffId, form, apply) => invoke('correct_complaint', { id, staffId, form, apply });

/** Firms matching { text, status } (accents and case ignored), each with its `standing` today. */
export const searchFirms = (query) => invoke('search_firms', { query });

/** Creates (id null) or corrects a firm (`form.reason` says why). */
export const saveFirm = (id, staffId, form) => invoke('save_firm', { id, staffId, form });

/** « Dossier du qualifié »: { firm, standing, history, qualifications, statuses, complaints, documents }. */
export const getFirmFile = (id) => invoke('get_firm_file', { id });

/** Adds a qualification or certification to a firm. */
export const addQualification = (firmId, staffId, qualification) =>
  invoke('add_qualification', { firmId, staffId, qualification });

/** Corrects a qualification (dates, label, kind, RGE), saying why. */
export const correctQualification = (firmId, staffId, qualification, reason) =>
  invoke('correct_qualification', { firmId, staffId, qualification, reason });

/** Ends a qualification on `endedOn`, saying why. */
export const endQualification = (firmId, staffId, id, endedOn, reason) =>
  invoke('end_qualification', { firmId, staffId, id, endedOn, reason });

/** A native dialog to choose the register's export (CSV, .xlsx, .ods); resolves to its path or null. */
export const chooseImportFile = () => invoke('choose_import_file');

/** Imports the register's export at `path`; with apply false, a preview that changes nothing. */
export const importFirms = (path, apply, staffId) => invoke('import_firms', { path, apply, staffId });

/** A native dialog to choose the old register of complaints (CSV, .xlsx, .ods); resolves to its path or null. */
export const chooseRegisterFile = () => invoke('choose_register_file');

/** Takes in the old register at `path` with `choices` ({ mapping, firms }); with apply false, a preview that keeps nothing. */
export const importRegister = (path, choices, apply, staffId) => invoke('import_register', { path, choices, apply, staffId });

/** Attaches received files (paths, or a native dialog when empty) to a complaint. */
export const attachDocuments = (id, staffId, paths) => invoke('attach_documents', { id, staffId, paths });

/** Calls `handler(paths)` when files are dropped on the window; resolves to an unlisten function. */
export const onFilesDropped = (handler) =>
  window.__TAURI__.event.listen('tauri://drag-drop', (event) => handler(event.payload?.paths ?? []));

/** « Sauvegarder maintenant » into `folder` (or a folder chosen in a native dialog when null). */
export const backupNow = (folder) => invoke('backup_now', { folder });

/** What restoring the backup at `path` (or one chosen in a native dialog when null) would replace, against what it holds; null if the dialog is cancelled. */
export const inspectBackup = (path) => invoke('inspect_backup', { path });
/** Restores the backup at `path` once confirmed, after verifying it whole; resolves to the restore (undoable). */
export const restoreBackup = (path) => invoke('restore_backup', { path });
/** The restore of this session that can still be undone, or null. */
export const restoreStatus = () => invoke('restore_status');
/** « Annuler la restauration »: the register as it was before the last restore. */
export const undoRestore = () => invoke('undo_restore');

/** The retention purge of the `expected` eligible files (refused if the count changed). */
export const purgeEligible = (staffId, expected) => invoke('purge_eligible', { staffId, expected });

/** Statistics of a period (« JJ/MM/AAAA ») and of the period before: { current, previous }. */
export const getStatistics = (from, to) => invoke('get_statistics', { from, to });

/** Writes the period's statistics as CSV for French Excel: { path, opened }. */
export const exportStatisticsCsv = (from, to) => invoke('export_statistics_csv', { from, to });

/**
 * Exports the register's complaints (`scope`: { kind: 'list', query } | { kind: 'year', year } | { kind: 'all' };
 * `format`: 'xlsx' | 'csv') to `path`, or to a file chosen in a native dialog when null: { path, rows } or null (cancelled).
 */
export const exportComplaints = (scope, format, path) => invoke('export_complaints', { scope, format, path });

/** Writes the printable PDF report « Bilan annuel des réclamations »: { path, opened }. */
export const statisticsReport = (from, to, title) => invoke('statistics_report', { from, to, title });

/** Exports a complaint's or a firm's file for an audit into `folder` (a native dialog when null). */
export const exportDossier = (complaintId, firmId, folder) => invoke('export_dossier', { complaintId, firmId, folder });

/** The complainants, firms and intervenants whose name or email holds every word of `text` (accents ignored). */
export const findPersons = (text) => invoke('find_persons', { text });

/** Exports what the register holds about a person (`kind`, `id` from findPersons) into `folder` (a native dialog when null). */
export const exportPersonData = (kind, id, folder) => invoke('export_person_data', { kind, id, folder });

/** Calls `handler({ what, done, total })` as a backup, an export or the register check progresses; resolves to an unlisten function. */
export const onProgress = (handler) =>
  window.__TAURI__.event.listen('reclamations://progress', (event) => handler(event.payload));

/** The register of instructeurs and experts: `kind` 'investigator' | 'expert' | null (all). */
export const listIntervenants = (kind, activeOnly) => invoke('list_intervenants', { kind, activeOnly });

/** Adds (`id` null) or edits an intervenant; resolves to its id; rejects with field messages. */
export const saveIntervenant = (id, form) => invoke('save_intervenant', { id, form });

/** Deactivates or reactivates an intervenant (never deleted: files name them). */
export const setIntervenantActive = (id, active) => invoke('set_intervenant_active', { id, active });

/** A complaint's declarations of interests, oldest first. */
export const listDeclarations = (id) => invoke('list_declarations', { id });

/** Records a declaration of interests on complaint `id`; rejects with field messages. */
export const recordDeclaration = (id, staffId, form) => invoke('record_declaration', { id, staffId, form });

/** Whether the Responsable must declare too (Paramètres). */
export const getManagerDeclarationRequired = () => invoke('get_manager_declaration_required');
export const setManagerDeclarationRequired = (required) => invoke('set_manager_declaration_required', { required });

/** Links a member of staff to a signatory code ('' for none). */
export const setStaffSignatory = (id, signatory) => invoke('set_staff_signatory', { id, signatory });

/** Reads an email (`.eml`, `.msg`) at `path`, or one chosen in a native dialog when null: a preview, nothing saved. */
export const readEmail = (path) => invoke('read_email', { path });

/** Registers a complaint typed from the email previewed as `email` ({ path, sha256 }), archiving it with its files. */
export const registerComplaintFromEmail = (form, email, staffId) =>
  invoke('register_complaint_from_email', { form, email, staffId });

/** « Préparer par courriel »: writes the draft `.eml` of a letter and opens it in the mail client. */
export const prepareEmail = (documentId, staffId) => invoke('prepare_email', { documentId, staffId });

/** The covering text of letters sent by email: { subject, body }. */
export const getEmailCover = () => invoke('get_email_cover');

export const saveEmailCover = (cover) => invoke('save_email_cover', { cover });

/** The register's digest of today: { on, root, short, full, complaints }. */
export const registerDigest = () => invoke('register_digest');

/** Checks a digest typed from a letter or a report (`date` JJ/MM/AAAA): { matches, message, differing }. */
export const verifyRegister = (digest, date) => invoke('verify_register', { digest, date });

/** The backups: settings, status (warning, last drill), snapshots on the destination and local. */
export const backupOverview = () => invoke('backup_overview');
/** Checks a destination folder typed (or chosen in a native dialog when null); nothing saved. */
export const checkBackupDestination = (path) => invoke('check_backup_destination', { path });
export const saveBackupSettings = (settings) => invoke('save_backup_settings', { settings });
/** A snapshot now into the external destination. */
export const backupToDestination = () => invoke('backup_to_destination');
/** « Vérifier les sauvegardes »: restores the latest snapshot in a temporary folder and checks it. */
export const runBackupDrill = () => invoke('run_backup_drill');
/** Restores snapshot `id` (local repository, configured destination, or the repository in `folder`). */
export const inspectSnapshot = (id, local, folder) => invoke('inspect_snapshot', { id, local, folder });
export const restoreSnapshot = (id, local, folder) => invoke('restore_snapshot', { id, local, folder });
export const listSnapshots = (folder) => invoke('list_snapshots', { folder });

/** The diagnostic text for the support (versions, data folder, schema, counts, last backups). */
export const diagnostics = () => invoke('diagnostics');

/** Opens the technical log's folder; resolves to the current log file's path. */
export const openLog = () => invoke('open_log');

/** { notify_on_start }: the start-up notification of overdue deadlines. */
export const getAssistanceSettings = () => invoke('get_assistance_settings');

/** Saves { notify_on_start }. */
export const saveAssistanceSettings = (settings) => invoke('save_assistance_settings', { settings });
