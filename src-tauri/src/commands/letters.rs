//! Letters: generating, opening, saving elsewhere, marking sent; templates; the day's mail.

use super::{open, write_and_open};
use crate::dialogs;
use crate::state::AppState;
use reclamations_core::letters::kinds::LetterKind;
use reclamations_core::letters::merge::FIELDS;
use reclamations_core::store::documents;
use reclamations_core::store::letters::{
    self, Adapted, ContactForm, Generated, LetterChoice, Preview, SentForm, Template,
};
use reclamations_core::store::settings::{self, Organisation};
use reclamations_core::{Error, Result};
use serde::Serialize;
use tauri::{AppHandle, State};

fn kind(code: &str) -> Result<LetterKind> {
    LetterKind::from_code(code).ok_or_else(|| Error::refused("Type de courrier inconnu."))
}

/// « Valider et archiver »: the letter as previewed, the template's or the text `adapted`
/// for this file, archived and journalled (an earlier unsent one of its kind is replaced).
#[tauri::command]
pub async fn generate_letter(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    kind: String,
    registered_number: Option<String>,
    adapted: Option<Adapted>,
    intervenant_id: Option<i64>,
) -> Result<Generated> {
    let kind = self::kind(&kind)?;
    let fonts = state.fonts()?;
    let mut s = state.begin(staff_id)?;
    let choice = LetterChoice { registered_number, adapted, intervenant_id };
    letters::generate_chosen(&mut s.conn, &state.documents_dir(), fonts, id, kind, &choice, s.today, &s.author)
}

/// What « Aperçu » shows in the window; with `open`, the PDF written under `impressions/`
/// (nothing archived) and opened in the system's viewer.
#[derive(Serialize)]
pub struct LetterPreview {
    #[serde(flatten)]
    preview: Preview,
    path: String,
    opened: bool,
}

/// « Aperçu »: the letter exactly as « Valider et archiver » would archive it; nothing is
/// recorded.
#[tauri::command]
pub async fn preview_letter(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    kind: String,
    choice: LetterChoice,
    open: bool,
) -> Result<LetterPreview> {
    let kind = self::kind(&kind)?;
    let today = state.today();
    let preview = letters::preview_letter(&state.conn(), state.fonts()?, id, kind, &choice, today)?;
    if !open {
        return Ok(LetterPreview { preview, path: String::new(), opened: false });
    }
    let stem = format!("apercu-{}-{}", preview.doc.reference, kind.code());
    let (path, opened) = write_and_open(&app, &state.layout().impressions(), &stem, "pdf", &preview.pdf)?;
    Ok(LetterPreview { preview, path: path.display().to_string(), opened })
}

/// « Adapter ce courrier »: the template applied to the file, to edit for this file only.
#[tauri::command]
pub async fn merged_letter(
    state: State<'_, AppState>,
    id: i64,
    kind: String,
    intervenant_id: Option<i64>,
) -> Result<Adapted> {
    let kind = self::kind(&kind)?;
    letters::merged_text(&state.conn(), id, kind, intervenant_id, state.today())
}

/// The declaration of interests form addressed to an intervenant of the register.
#[tauri::command]
pub async fn generate_declaration_form(
    state: State<'_, AppState>,
    id: i64,
    staff_id: Option<i64>,
    intervenant_id: i64,
) -> Result<Generated> {
    let fonts = state.fonts()?;
    let mut s = state.begin(staff_id)?;
    letters::generate_declaration_form(
        &mut s.conn,
        &state.documents_dir(),
        fonts,
        id,
        intervenant_id,
        s.today,
        &s.author,
    )
}

#[tauri::command]
pub async fn open_document(app: AppHandle, state: State<'_, AppState>, document_id: i64) -> Result<()> {
    let path = documents::document_path(&state.conn(), &state.documents_dir(), document_id)?;
    open(&app, &path)
}

/// « Enregistrer sous… »: a native dialog, then a byte-exact copy of the archived file.
#[tauri::command]
pub async fn save_document_as(state: State<'_, AppState>, document_id: i64) -> Result<Option<String>> {
    let path = documents::document_path(&state.conn(), &state.documents_dir(), document_id)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let Some(target) =
        dialogs::save_file("Enregistrer le document sous…", &name, &[(&ext.to_uppercase(), &[&ext])]).await
    else {
        return Ok(None);
    };
    std::fs::copy(&path, &target)?;
    Ok(Some(target.display().to_string()))
}

#[tauri::command]
pub async fn mark_letter_sent(
    state: State<'_, AppState>,
    document_id: i64,
    staff_id: Option<i64>,
    form: SentForm,
) -> Result<()> {
    let mut s = state.begin(staff_id)?;
    letters::mark_sent(&mut s.conn, document_id, &form, s.today, &s.author)
}

#[tauri::command]
pub async fn record_ar_returned(
    state: State<'_, AppState>,
    document_id: i64,
    staff_id: Option<i64>,
    date: String,
) -> Result<()> {
    let mut s = state.begin(staff_id)?;
    letters::record_ar_returned(&mut s.conn, document_id, &date, s.today, &s.author)
}

#[derive(Serialize)]
pub struct Printed {
    path: String,
    count: usize,
    opened: bool,
}

/// Prints go under `impressions/`: files that can be made again, and deleted.
fn print(app: &AppHandle, state: &AppState, stem: &str, bytes: &[u8]) -> Result<(std::path::PathBuf, bool)> {
    write_and_open(app, &state.layout().impressions(), stem, "pdf", bytes)
}

/// « Courrier du jour »: the letters generated today and not yet sent, in one PDF to print.
#[tauri::command]
pub async fn print_day_mail(app: AppHandle, state: State<'_, AppState>) -> Result<Printed> {
    let today = state.today();
    let (bytes, count) = letters::day_mail(&state.conn(), state.fonts()?, today)?;
    let (path, opened) = print(&app, &state, &format!("courrier-du-jour-{today}"), &bytes)?;
    Ok(Printed { path: path.display().to_string(), count, opened })
}

#[tauri::command]
pub async fn how_to_complain_letter(app: AppHandle, state: State<'_, AppState>, form: ContactForm) -> Result<Printed> {
    let today = state.today();
    let generated = letters::how_to_complain(&mut state.conn(), &state.documents_dir(), state.fonts()?, &form, today)?;
    let opened = open(&app, &generated.path).is_ok();
    Ok(Printed { path: generated.path.display().to_string(), count: 1, opened })
}

#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> Result<Vec<Template>> {
    letters::list_templates(&state.conn())
}

#[derive(Serialize)]
pub struct MergeField {
    name: &'static str,
    description: &'static str,
}

#[tauri::command]
pub fn merge_fields() -> Vec<MergeField> {
    FIELDS.iter().map(|(name, description)| MergeField { name, description }).collect()
}

#[tauri::command]
pub async fn save_template(
    state: State<'_, AppState>,
    kind: String,
    subject: String,
    body: String,
    staff_id: Option<i64>,
) -> Result<i64> {
    let kind = self::kind(&kind)?;
    let s = state.begin(staff_id)?;
    letters::save_template(&s.conn, kind, &subject, &body, &s.author)
}

#[tauri::command]
pub async fn restore_template(state: State<'_, AppState>, kind: String, staff_id: Option<i64>) -> Result<i64> {
    let kind = self::kind(&kind)?;
    let s = state.begin(staff_id)?;
    letters::restore_default(&s.conn, kind, &s.author)
}

/// « Prévisualiser »: the unsaved wording merged with the data of the complaint `reference`,
/// or with an example.
#[tauri::command]
pub async fn preview_template(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: String,
    subject: String,
    body: String,
    reference: Option<String>,
) -> Result<Printed> {
    let kind = self::kind(&kind)?;
    let today = state.today();
    let bytes = letters::preview(&state.conn(), state.fonts()?, kind, &subject, &body, reference.as_deref(), today)?;
    let (path, opened) = print(&app, &state, &format!("apercu-{}", kind.code()), &bytes)?;
    Ok(Printed { path: path.display().to_string(), count: 1, opened })
}

#[tauri::command]
pub async fn get_organisation(state: State<'_, AppState>) -> Result<Organisation> {
    settings::organisation(&state.conn())
}

#[tauri::command]
pub async fn save_organisation(state: State<'_, AppState>, organisation: Organisation) -> Result<()> {
    settings::save_organisation(&state.conn(), &organisation)
}
