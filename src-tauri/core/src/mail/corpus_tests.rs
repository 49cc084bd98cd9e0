//! The corpus in `tests/fixtures/mail/` (see its README), read end to end.

use super::*;

#[test]
fn dump_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mail");
    let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    for n in names {
        if n.ends_with(".md") { continue; }
        let bytes = std::fs::read(format!("{dir}/{n}")).unwrap();
        match read(&bytes, &n) {
            Err(e) => println!("== {n}: ERR {}", e.user_message()),
            Ok(r) => {
                println!("== {n}: {:?} subj={:?} sent={:?} on={:?}\n from={:?} to={:?}\n html={} fwd={:?}\n body={:?}", r.format, r.subject, r.sent_at, r.received_on, r.from, r.to, r.body_from_html, r.forwarded, r.body.chars().take(400).collect::<String>());
                for a in &r.attachments { println!("   att {:?} {} {} {:?}", a.name, a.content_type, a.size, a.bytes.get(..8).map(|b| String::from_utf8_lossy(b).into_owned())); }
            }
        }
    }
}
