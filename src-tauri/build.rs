//! Declares the app's commands so that capabilities can grant exactly these.

/// Every command the UI may call; `capabilities/default.json` allows each one explicitly.
const COMMANDS: &[&str] = &[
    "app_info",
    "vocabulary",
    "subject_mentions_reclamation",
    "list_firms",
    "firm_scope",
    "register_complaint",
    "get_complaint",
    "perform_action",
    "add_journal_entry",
    "verify_journal",
    "list_staff",
    "add_staff",
    "set_staff_active",
    "get_deadline_settings",
    "save_deadline_settings",
    "get_letter_settings",
    "save_letter_settings",
    "complaint_letters",
    "generate_letter",
    "open_document",
    "save_document_as",
    "mark_letter_sent",
    "record_ar_returned",
    "print_day_mail",
    "how_to_complain_letter",
    "list_templates",
    "merge_fields",
    "save_template",
    "restore_template",
    "preview_template",
    "get_organisation",
    "save_organisation",
    "get_dashboard",
    "search_complaints",
    "search_firms",
    "save_firm",
    "get_firm_file",
    "add_qualification",
    "choose_import_file",
    "import_firms",
    "attach_documents",
    "backup_now",
    "restore_backup",
    "purge_eligible",
    "get_statistics",
    "export_statistics_csv",
    "statistics_report",
    "export_dossier",
    "register_digest",
    "verify_register",
    "list_intervenants",
    "save_intervenant",
    "set_intervenant_active",
    "list_declarations",
    "record_declaration",
    "get_manager_declaration_required",
    "set_manager_declaration_required",
    "set_staff_signatory",
    "read_email",
    "register_complaint_from_email",
    "prepare_email",
    "get_email_cover",
    "save_email_cover",
];

fn main() {
    // The UI is embedded at compile time: rebuild when any of its files changes.
    println!("cargo:rerun-if-changed=../ui");
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build: {e:#}");
        std::process::exit(1);
    }
}
