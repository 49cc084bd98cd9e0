//! The processes behind a test's app (tauri-driver → WebKitWebDriver → the app and its WebKit
//! helpers), found through `/proc`, so that none outlives its test: a window left open would
//! keep the data dir's lock and refuse the next launch on it as a second instance.

use std::process::Command;
use std::time::{Duration, Instant};

/// A process as seen once: its id and start time (together they never name another one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Seen {
    pid: u32,
    started: u64,
}

struct Stat {
    state: char,
    parent: u32,
    started: u64,
}

/// `/proc/<pid>/stat` reads `pid (name) state ppid …` (start time 22nd); the name may hold
/// spaces and brackets.
fn stat(pid: u32) -> Option<Stat> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    Some(Stat {
        state: fields.first()?.chars().next()?,
        parent: fields.get(1)?.parse().ok()?,
        started: fields.get(19)?.parse().ok()?,
    })
}

/// Every process below `root` now.
pub(crate) fn descendants(root: u32) -> Vec<Seen> {
    let all: Vec<(u32, Stat)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, stat(pid)?)))
        .collect();
    let mut found: Vec<Seen> = Vec::new();
    let mut parents = vec![root];
    while let Some(of) = parents.pop() {
        for (pid, s) in all.iter().filter(|(_, s)| s.parent == of) {
            found.push(Seen { pid: *pid, started: s.started });
            parents.push(*pid);
        }
    }
    found
}

/// Still running (not merely waiting to be reaped), and still the same process.
fn alive(seen: Seen) -> bool {
    stat(seen.pid).is_some_and(|s| s.started == seen.started && s.state != 'Z' && s.state != 'X')
}

/// Kills those of `seen` still running and waits (5 s at most) until they are gone.
pub(crate) fn kill_leftovers(seen: &[Seen]) {
    let left: Vec<String> = seen.iter().filter(|s| alive(**s)).map(|s| s.pid.to_string()).collect();
    if left.is_empty() {
        return;
    }
    let _ = Command::new("kill").arg("-KILL").args(&left).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.iter().any(|s| alive(*s)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}
