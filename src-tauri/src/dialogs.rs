//! Native dialogs shown outside the webview: the start-up failure, and the file and folder
//! pickers the commands open. A cancelled picker is `None`, never an error.

use std::path::PathBuf;

/// Shows a blocking error dialog; used when the app cannot start, so that it never exits
/// silently. The message is also printed for logs.
pub fn fatal(message: &str) {
    eprintln!("Réclamations ne peut pas démarrer : {message}");
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Réclamations ne peut pas démarrer")
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// A folder chosen in a native dialog.
pub async fn pick_folder(title: &str) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new().set_title(title).pick_folder().await.map(|f| f.path().to_path_buf())
}

/// A file chosen in a native dialog, among `filters` (name, extensions).
pub async fn pick_file(title: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
    for (name, extensions) in filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    dialog.pick_file().await.map(|f| f.path().to_path_buf())
}

/// Where to save a copy, proposing `file_name`.
pub async fn save_file(title: &str, file_name: &str, filters: &[(&str, &[&str])]) -> Option<PathBuf> {
    let mut dialog = rfd::AsyncFileDialog::new().set_title(title).set_file_name(file_name);
    for (name, extensions) in filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    dialog.save_file().await.map(|f| f.path().to_path_buf())
}

/// The path the UI typed, or when it typed none, one picked with `pick` (`None`: cancelled).
pub async fn typed_or_picked<F>(typed: Option<String>, pick: F) -> Option<PathBuf>
where
    F: std::future::Future<Output = Option<PathBuf>>,
{
    match typed.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(PathBuf::from(t)),
        None => pick.await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_is_used_and_no_dialog_opens() {
        let dialog = std::future::ready(Some(PathBuf::from("/choisi/dans/le/dialogue")));
        let typed = tauri::async_runtime::block_on(typed_or_picked(Some("  /media/cle  ".into()), dialog));
        assert_eq!(typed, Some(PathBuf::from("/media/cle")));
        let picked = tauri::async_runtime::block_on(typed_or_picked(Some(" ".into()), std::future::ready(None)));
        assert_eq!(picked, None, "blank: the dialog's answer (here cancelled)");
    }
}
