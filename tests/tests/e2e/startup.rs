//! Starting the app: a damaged data file stops the start with a French dialog, never silently.

use reclamations_e2e::{Profile, TestResult};

/// A corrupt data file stops the start with a native French dialog, never a silent exit.
#[tokio::test]
async fn a_corrupt_data_file_shows_a_french_dialog() -> TestResult {
    let profile = Profile::new()?;
    std::fs::create_dir_all(profile.data_dir())?;
    std::fs::write(profile.layout().database(), vec![b'#'; 8192])?;
    let mut child = std::process::Command::new(reclamations_e2e::app_binary())
        .envs(profile.env())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    // Still running: the dialog waits for the user.
    let waiting = child.try_wait()?.is_none();
    let shot = reclamations_e2e::screenshot_dir().join("08-erreur-demarrage.png");
    std::fs::create_dir_all(reclamations_e2e::screenshot_dir())?;
    let _ = std::process::Command::new("import").args(["-window", "root"]).arg(&shot).status();
    child.kill()?;
    let output = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(waiting, "the app exited instead of showing its dialog: {stderr}");
    assert!(stderr.contains("illisible ou endommagé"), "{stderr}");
    // The file is left as it was, for the support to look at.
    assert_eq!(std::fs::read(profile.layout().database())?, vec![b'#'; 8192]);
    Ok(())
}
