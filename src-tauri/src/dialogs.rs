//! Native dialogs shown outside the webview.

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
