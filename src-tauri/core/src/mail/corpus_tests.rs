//! The corpus in `tests/fixtures/mail/` (see its README there), read end to end.

use super::*;
use chrono::NaiveDate;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_fixture(name: &str) -> ReceivedEmail {
    read(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {}", e.user_message()))
}

fn mb(name: &str, address: &str) -> Mailbox {
    Mailbox { name: name.into(), address: address.into() }
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn names(r: &ReceivedEmail) -> Vec<&str> {
    r.attachments.iter().map(|a| a.name.as_str()).collect()
}

fn refusal(name: &str) -> String {
    match read(&fixture(name), name) {
        Ok(r) => panic!("{name} was read: {r:?}"),
        Err(e) => {
            assert_eq!(e.kind(), "refused", "{name}");
            e.user_message()
        }
    }
}

#[test]
fn utf8_quoted_printable_with_a_pdf() {
    let r = read_fixture("utf8-qp-attachment.eml");
    assert_eq!(r.format, MailFormat::Eml);
    assert_eq!(r.subject, "Réclamation – travaux d’isolation Bâti-Rénov");
    assert_eq!(r.from, mb("Hélène Lefèvre", "helene.lefevre@exemple.fr"));
    assert_eq!(r.to, vec![mb("OPQTECC", "contact@opqtecc.fr")]);
    assert_eq!(r.sent_at.as_deref(), Some("2026-11-02T10:15:00+01:00"));
    assert_eq!(r.received_on, date(2026, 11, 2));
    assert!(!r.body_from_html && r.forwarded.is_none());
    assert!(r.body.starts_with("Madame, Monsieur,\n\nJe vous écris au sujet des travaux réalisés"), "{}", r.body);
    assert!(r.body.contains("« ci-joint »") && r.body.ends_with("Hélène Lefèvre"), "{}", r.body);
    assert!(!r.body.contains('\r') && !r.body.contains("faite.   "), "CRLF and trailing spaces: {:?}", r.body);
    // RFC 2231 name, decoded; the PDF's bytes exactly.
    assert_eq!(names(&r), ["devis rénovation 2026-117.pdf"]);
    let pdf = &r.attachments[0];
    assert_eq!((pdf.content_type.as_str(), pdf.size), ("application/pdf", pdf.bytes.len() as u64));
    assert!(pdf.bytes.starts_with(b"%PDF-1.4\n") && pdf.bytes.ends_with(b"%%EOF\n"));
}

#[test]
fn outlook_windows_1252_with_hostile_html() {
    let bytes = fixture("outlook-1252-html-script.eml");
    let r = read_fixture("outlook-1252-html-script.eml");
    assert_eq!(r.subject, "Réclamation – rapport remis en retard");
    assert_eq!(r.from, mb("François Œuvray", "f.oeuvray@cabinet-exemple.fr"));
    assert_eq!(r.to, vec![mb("", "contact@opqtecc.fr")], "Outlook's quoted 'address' name is dropped");
    assert_eq!(r.received_on, date(2026, 11, 3));
    // The text alternative is used…
    assert!(!r.body_from_html);
    assert!(r.body.contains("cabinet Étude & Conseil : le rapport m’a été remis"), "{}", r.body);
    // …and the HTML alternative, converted, keeps the text but no markup nor script.
    let Some(m) = mail_parser::MessageParser::default().parse(&bytes) else { panic!("unparsable") };
    let html = m.body_html(0).map(|h| h.into_owned()).unwrap_or_default();
    assert!(html.contains("<script>") && html.contains("onerror"), "the fixture is hostile");
    let text = text::html_to_text(&html);
    assert!(text.contains("cabinet Étude & Conseil : le rapport m’a été remis"), "{text}");
    for bad in ["<script", "alert(", "document.cookie", "onerror", "onclick", "<img", "<p", "MsoNormal"] {
        assert!(!text.contains(bad), "{bad} in {text}");
    }
}

#[test]
fn html_only_becomes_text_and_inline_images_are_left_out() {
    let r = read_fixture("html-only.eml");
    assert!(r.body_from_html);
    assert_eq!(r.from, mb("Dupont, Jean", "jean.dupont@exemple.fr"));
    assert!(r.body.contains("Le diagnostiqueur n’a jamais rendu son rapport."), "{}", r.body);
    for bad in ["<", "fetch(", "evil.example", "javascript:", "iframe"] {
        assert!(!r.body.contains(bad), "{bad} in {}", r.body);
    }
    // The logo used by the HTML (cid:) and the nameless image are not files of the complaint.
    assert!(r.attachments.is_empty(), "{:?}", names(&r));
    // 21:40 UTC on 4 November is 22:40 in Paris: still the 4th.
    assert_eq!(r.received_on, date(2026, 11, 4));
}

#[test]
fn a_forward_with_the_original_attached_is_read_from_the_original() {
    let r = read_fixture("forwarded-attached.eml");
    assert_eq!(r.from, mb("Paul Martin", "paul.martin@exemple.org"));
    assert_eq!(r.subject, "Réclamation : diagnostic DPE");
    assert_eq!(r.sent_at.as_deref(), Some("2026-10-31T23:30:00+00:00"));
    // Sent on Saturday 31 October at 23:30 UTC: Sunday 1 November in Paris (winter time).
    assert_eq!(r.received_on, date(2026, 11, 1));
    assert!(r.body.starts_with("Bonjour,\n\nLe diagnostic DPE") && !r.body.contains("je vous transmets"), "{}", r.body);
    assert_eq!(
        r.forwarded,
        Some(Forward {
            by: mb("Claire Bernard", "c.bernard@cabinet-exemple.fr"),
            on: Some("2026-11-02T09:00:00+01:00".into()),
            how: "attached"
        })
    );
    // The original's PDF; not the attached message itself.
    assert_eq!(names(&r), ["constat.pdf"]);
    assert!(r.attachments[0].bytes.starts_with(b"%PDF"));
}

#[test]
fn a_forward_of_an_outlook_file_is_read_from_the_msg() {
    let r = read_fixture("forwarded-msg-file.eml");
    assert_eq!(r.format, MailFormat::Eml);
    assert_eq!(r.from, mb("Nicolas1 23456", "nicolas1.23456@free.fr"));
    assert_eq!(r.subject, "test pièce jointe 1");
    assert_eq!(r.body, "contenu");
    assert_eq!(r.sent_at.as_deref(), Some("2009-04-22T16:36:33.734+02:00"));
    assert_eq!(
        r.forwarded.as_ref().map(|f| (f.by.address.as_str(), f.how)),
        Some(("c.bernard@cabinet-exemple.fr", "attached"))
    );
    assert_eq!(names(&r), ["test-unicode.doc", "pj1.txt"]);
}

#[test]
fn an_outlook_quoted_forward_is_read_from_the_quoted_header_block() {
    let r = read_fixture("forwarded-quoted.eml");
    assert_eq!(r.from, mb("Sophie Garnier", "sophie.garnier@exemple.net"));
    assert_eq!(r.subject, "Réclamation contre l'auditeur");
    assert_eq!(r.sent_at.as_deref(), Some("2026-10-30T18:42:00+01:00"));
    assert_eq!(r.received_on, date(2026, 10, 30));
    assert!(r.body.starts_with("Madame, Monsieur,\n\nL'audit énergétique"), "{}", r.body);
    assert!(!r.body.contains("Pour suite à donner") && !r.body.contains("Envoyé"), "{}", r.body);
    let fwd = r.forwarded.as_ref().map(|f| (f.by.address.as_str(), f.how));
    assert_eq!(fwd, Some(("c.bernard@cabinet-exemple.fr", "quoted")));
    assert_eq!(names(&r), ["rapport-AE-55.pdf"]);
}

#[test]
fn a_malformed_message_still_reads_and_hostile_names_come_back_as_given() -> crate::Result<()> {
    let r = read_fixture("malformed-traversal.eml");
    assert_eq!(r.from.address, "pirate@exemple.com");
    assert_eq!(r.sent_at, None, "an impossible date is no date");
    assert_eq!(r.received_on, None);
    assert!(r.subject.starts_with("pièces jointes"), "{}", r.subject);
    assert!(r.body.starts_with("Voir les pi"), "{}", r.body);
    assert_eq!(names(&r), ["..\\..\\win.ini", "../../etc/passwd.pdf", "piece-jointe-3.pdf"]);
    assert_eq!(r.attachments[0].bytes, b"[fonts]\r\n");
    // Sanitising is the storage's job: its safe names stay inside the complaint's folder.
    for a in &r.attachments {
        match crate::store::documents::safe_name(&a.name) {
            Ok((stem, ext)) => {
                let file = format!("{stem}.{ext}");
                assert!(!file.contains(['/', '\\']) && !file.starts_with('.') && !file.contains(".."), "{file}");
            }
            // Not an allowed type (.ini): refused, which is inside too.
            Err(e) => assert!(a.name.ends_with(".ini"), "{}: {}", a.name, e.user_message()),
        }
    }
    Ok(())
}

#[test]
fn files_that_are_not_emails_are_refused_in_french() {
    let m = refusal("not-an-email.eml");
    assert!(m.starts_with("Ce fichier n'est pas un courriel lisible ("), "{m}");
    assert!(m.contains("enregistrez-le de nouveau depuis la messagerie, au format .eml ou .msg"), "{m}");
    let random: Vec<u8> = (0..2048u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (bytes, name) in [
        (random.as_slice(), "x.eml"),
        (&random[..], "x.msg"),
        (b"".as_slice(), "vide.eml"),
        (b"Bonjour, ceci est un simple texte.\n".as_slice(), "note.eml"),
        (b"Subject: rien\r\n\r\n".as_slice(), "vide.eml"),
    ] {
        match read(bytes, name) {
            Err(e) => assert_eq!(e.kind(), "refused", "{name}"),
            Ok(r) => panic!("{name} read as {r:?}"),
        }
    }
    // An OLE file that is not a readable .msg (a truncated one).
    let msg = fixture("poi-quick.msg");
    let truncated = msg.get(..1024).unwrap_or_default();
    assert!(read(truncated, "tronque.msg").is_err());
    // An Outlook contact card is not an email.
    let m = refusal("hfig-mapi-Swetlana.msg");
    assert!(m.contains("IPM.Contact") && m.contains("n'est pas un courriel"), "{m}");
}

#[test]
fn the_content_decides_the_format_not_the_extension() {
    let eml = read(&fixture("utf8-qp-attachment.eml"), "renomme.msg").map(|r| r.format);
    assert_eq!(eml.ok(), Some(MailFormat::Eml));
    let msg = read(&fixture("poi-quick.msg"), "renomme.eml").map(|r| r.format);
    assert_eq!(msg.ok(), Some(MailFormat::Msg));
    // A byte order mark and blank lines before the headers do not matter.
    let mut bom = b"\xEF\xBB\xBF\r\n".to_vec();
    bom.extend(fixture("utf8-qp-attachment.eml"));
    assert_eq!(read(&bom, "bom.eml").map(|r| r.from.address).ok().as_deref(), Some("helene.lefevre@exemple.fr"));
}

#[test]
fn outlook_msg_in_french_with_attachments() {
    // Apache POI's attachment_test_msg.msg: a French Outlook message with two files.
    let r = read_fixture("poi-attachment_test_msg.msg");
    assert_eq!(r.format, MailFormat::Msg);
    assert_eq!(r.subject, "test pièce jointe 1");
    assert_eq!(r.from, mb("Nicolas1 23456", "nicolas1.23456@free.fr"));
    assert_eq!(r.to, vec![mb("", "nicolas1.23456@free.fr")]);
    assert_eq!(r.body, "contenu");
    // Submitted 14:36:33 UTC on 22 April 2009: 16:36 in Paris (summer time).
    assert_eq!(r.sent_at.as_deref(), Some("2009-04-22T16:36:33.734+02:00"));
    assert_eq!(r.received_on, date(2009, 4, 22));
    assert_eq!(names(&r), ["test-unicode.doc", "pj1.txt"]);
    assert_eq!(r.attachments[0].content_type, "application/msword");
    assert_eq!(r.attachments[0].size, 24064);
    assert!(r.attachments[0].bytes.starts_with(&read::OLE_MAGIC));
    let txt = String::from_utf8_lossy(&r.attachments[1].bytes).into_owned();
    assert!(txt.starts_with("école"), "{txt}");
}

#[test]
fn outlook_unicode_msg_with_transport_headers() {
    let r = read_fixture("poi-example_received_unicode.msg");
    assert_eq!(r.subject, "This is a test message please ignore");
    assert_eq!(r.from, mb("Mike Farman", "mike.farman@alfresco.com"));
    assert_eq!(r.to.len(), 3);
    assert_eq!(r.to[0], mb("Ashutosh Dandavate", "ashutosh.dandavate@alfresco.com"));
    // The transport header's date, with its own offset.
    assert_eq!(r.sent_at.as_deref(), Some("2010-01-11T16:25:07+00:00"));
    assert!(r.body.starts_with("..less you are Nick.....\n\nThe quick brown fox"), "{}", r.body);
    assert!(!r.body.contains('\r'));
    // Its only file is the signature's logo, shown in the body (cid: in the RTF's HTML).
    assert!(r.attachments.is_empty(), "{:?}", names(&r));
}

#[test]
fn outlook_msg_with_html_and_inline_images() {
    // hfig/MAPI's sample.msg: images shown in the body (cid:) are not listed as files.
    let r = read_fixture("hfig-mapi-sample.msg");
    // The name is in the file's sender properties, which msg_parser does not read (#26).
    assert_eq!(r.from, mb("mlemos", "mlemos@acm.org"));
    assert_eq!(names(&r), ["attachment.txt"]);
    assert_eq!(r.attachments[0].bytes, b"This is just a plain text attachment file named attachment.txt .");
    assert_eq!(r.sent_at.as_deref(), Some("2005-04-30T19:28:29-03:00"));
    // 19:28 in Brazil is past midnight in Paris.
    assert_eq!(r.received_on, date(2005, 5, 1));
}

#[test]
fn outlook_msg_edge_cases() {
    // An Exchange sender with no SMTP address: the name, and no address rather than an X.500 path.
    let r = read_fixture("poi-quick.msg");
    assert_eq!(r.from, mb("Kevin Roast", ""));
    assert_eq!(r.body, "The quick brown fox jumps over the lazy dog");
    // 8-bit Cyrillic strings that msg_parser cannot decode: the subject comes from the
    // transport headers (encoded words in Cp1251).
    let r = read_fixture("poi-cyrillic_message.msg");
    assert!(r.subject.starts_with("Автоматический ответ"), "{}", r.subject);
    assert_eq!(r.from.address, "no-reply@niips.ru");
    assert_eq!(r.sent_at.as_deref(), Some("2010-05-18T11:38:39+04:00"));
    // A message made by a library, never sent: no date at all.
    let r = read_fixture("msg-parser-rs-ascii.msg");
    assert_eq!((r.sent_at, r.received_on), (None, None));
    assert_eq!(r.body, "This message is created by Aspose.Email");
    // A PDF beside an embedded message. The message says what it is (« with 1 msg
    // attachment »): not a forward, so the embedded message stays a file, copied out as a
    // .msg of its own that reads back.
    let r = read_fixture("poi-attachment_msg_pdf.msg");
    assert_eq!(r.forwarded, None);
    assert_eq!(r.from.address, "nick.booth@pof.com.au");
    assert_eq!(names(&r), ["Test Attachment.msg", "smbprn.00009008.KdcPjl.pdf"]);
    let pdf = &r.attachments[1];
    assert_eq!((pdf.content_type.as_str(), pdf.size), ("application/pdf", 13539));
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let inner = &r.attachments[0];
    assert_eq!(inner.content_type, "application/vnd.ms-outlook");
    let Ok(inner) = read(&inner.bytes, &inner.name) else { panic!("the copied-out message is unreadable") };
    assert_eq!((inner.subject.as_str(), inner.body.as_str()), ("Test Attachment", "Blah blah blah"));
    assert_eq!(inner.sent_at.as_deref(), Some("2010-06-18T09:52:19+10:00"));
}

#[test]
fn the_corpus_files_are_the_ones_the_readme_lists() {
    let readme = String::from_utf8(fixture("README.md")).unwrap_or_default();
    let dir = format!("{}/tests/fixtures/mail", env!("CARGO_MANIFEST_DIR"));
    let entries = std::fs::read_dir(&dir).map(|d| d.flatten().collect::<Vec<_>>()).unwrap_or_default();
    assert!(entries.len() > 10);
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name != "README.md" && !name.starts_with('.') {
            assert!(readme.contains(&format!("`{name}`")), "{name} is not described in the README");
        }
    }
}

/// Damaged copies of every corpus file (truncated, bytes overwritten) are read or refused,
/// never a crash.
#[test]
fn damaged_files_are_read_or_refused_never_a_crash() {
    let dir = format!("{}/tests/fixtures/mail", env!("CARGO_MANIFEST_DIR"));
    let entries = std::fs::read_dir(&dir).map(|d| d.flatten().collect::<Vec<_>>()).unwrap_or_default();
    let mut damaged = 0;
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(e.path()).unwrap_or_default();
        let len = bytes.len();
        for cut in [len / 7, len / 3, len / 2, len.saturating_sub(100)] {
            let _ = read(bytes.get(..cut).unwrap_or_default(), &name);
            damaged += 1;
        }
        for seed in 1..24usize {
            let mut copy = bytes.clone();
            for k in 0..8 {
                let at = (seed * 7919 + k * 104_729) % len.max(1);
                if let Some(b) = copy.get_mut(at) {
                    *b = (seed * 31 + k) as u8;
                }
            }
            let _ = read(&copy, &name);
            damaged += 1;
        }
    }
    assert!(damaged > 300);
}

// ---------------------------------------------------------------------------------------------
// Issue #26: what the email says, read as it says it.

#[test]
fn a_thunderbird_address_in_quotes_is_the_address() {
    // `From: Hélène Château <"helene.chateau@example.fr">`, as reported: mail-parser gives no
    // address for it; the header's own text does.
    let r = read_fixture("thunderbird-quoted-address.eml");
    assert_eq!(r.from, mb("Hélène Château", "helene.chateau@example.fr"));
    assert_eq!(r.to, vec![mb("OPQTECC", "contact@opqtecc.fr")]);
    assert_eq!(r.received_on, date(2021, 1, 5));
    assert!(r.body.ends_with("Tél. : 03 80 12 34 56"), "{}", r.body);
}

#[test]
fn a_forward_with_quoted_addresses_names_both_people() {
    let r = read_fixture("forwarded-quoted-address.eml");
    assert_eq!(r.from, mb("François Néron", "francois.neron@exemple.net"));
    assert_eq!(r.to, vec![mb("", "contact@opqtecc.fr")]);
    assert_eq!(r.subject, "Réclamation contre le cabinet Exemple Audit");
    assert_eq!(r.sent_at.as_deref(), Some("2026-11-02T10:15:00+01:00"));
    assert!(r.body.starts_with("Madame, Monsieur,") && !r.body.contains("Claire"), "{}", r.body);
    let by = r.forwarded.as_ref().map(|f| (f.by.clone(), f.how));
    assert_eq!(by, Some((mb("Claire Bernard", "c.bernard@cabinet-exemple.fr"), "quoted")));
}

/// The bytes of `outlook-sent-representing.msg`: an Outlook message (compound file, Unicode
/// string properties) naming its sender only in PR_SENT_REPRESENTING_NAME (UTF-16) and
/// PR_SENT_REPRESENTING_EMAIL_ADDRESS (8-bit, in quotes) — no PR_SENDER_* property, no
/// transport headers — submitted on 10 November 2026 at 09:30 UTC.
fn sent_representing_msg() -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, std::io::Cursor::new(Vec::new()))?;
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    // The property stream: a top-level message's 32-byte header, then one fixed-size
    // property, PR_CLIENT_SUBMIT_TIME (0x0039, PT_SYSTIME), readable and writable.
    let submitted = chrono::DateTime::parse_from_rfc3339("2026-11-10T09:30:00Z").map_err(std::io::Error::other)?;
    let filetime = (submitted.timestamp() as u64 + 11_644_473_600) * 10_000_000;
    let mut properties = vec![0u8; 32];
    properties.extend(0x0039_0040u32.to_le_bytes());
    properties.extend(6u32.to_le_bytes());
    properties.extend(filetime.to_le_bytes());
    let streams: [(&str, Vec<u8>); 6] = [
        ("/__properties_version1.0", properties),
        ("/__substg1.0_001A001F", utf16("IPM.Note")),
        ("/__substg1.0_0037001F", utf16("Réclamation : chantier de Montreuil")),
        (
            "/__substg1.0_1000001F",
            utf16("Madame, Monsieur,\r\n\r\nLe chantier n'est pas terminé.\r\n\r\nJean-Marc Lefèvre\r\n"),
        ),
        ("/__substg1.0_0042001F", utf16("Jean-Marc Lefèvre")),
        ("/__substg1.0_0065001E", b"\"Jean-Marc.Lefevre@exemple.fr\"".to_vec()),
    ];
    for (path, data) in streams {
        file.create_stream(path)?.write_all(&data)?;
    }
    file.flush()?;
    Ok(file.into_inner().into_inner())
}

/// Writes the fixture again: `cargo test -p reclamations-core --lib write_sent_representing_msg -- --ignored`.
#[test]
#[ignore]
fn write_sent_representing_msg() -> std::io::Result<()> {
    let path = format!("{}/tests/fixtures/mail/outlook-sent-representing.msg", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(path, sent_representing_msg()?)
}

#[test]
fn an_outlook_msg_naming_its_sender_only_as_sent_representing() -> std::io::Result<()> {
    let built = sent_representing_msg()?;
    // msg_parser alone finds no sender in it (the reported « — »)…
    let o = msg_parser::Outlook::from_slice(&built).map_err(std::io::Error::other)?;
    assert_eq!((o.sender.name.trim_matches('\0'), o.sender.email.trim_matches('\0')), ("", ""));
    // …the properties do, in the corpus file as in a fresh build.
    for (bytes, what) in [(fixture("outlook-sent-representing.msg"), "fixture"), (built, "built")] {
        let r = read(&bytes, "courriel.msg").map_err(|e| std::io::Error::other(e.user_message()))?;
        assert_eq!(r.format, MailFormat::Msg, "{what}");
        assert_eq!(r.from, mb("Jean-Marc Lefèvre", "jean-marc.lefevre@exemple.fr"), "{what}");
        assert_eq!(r.subject, "Réclamation : chantier de Montreuil", "{what}");
        assert_eq!(r.body, "Madame, Monsieur,\n\nLe chantier n'est pas terminé.\n\nJean-Marc Lefèvre", "{what}");
        assert_eq!(r.sent_at.as_deref(), Some("2026-11-10T10:30:00+01:00"), "{what}");
    }
    Ok(())
}

#[test]
fn a_signature_gives_an_address_and_a_phone_to_check() {
    let r = read_fixture("signature-address-phone.eml");
    let c = find_contact(&r.body);
    assert_eq!(c.address_lines, ["3 avenue Foch"]);
    assert_eq!((c.postcode.as_str(), c.city.as_str()), ("69003", "Lyon Cedex 03"));
    assert_eq!(c.phone, "07 11 22 33 44", "the mobile, not the firm's number in the text nor the fax");
    let c = find_contact(&read_fixture("thunderbird-quoted-address.eml").body);
    assert_eq!(c.address_lines, ["8 bis, rue des Tilleuls", "Résidence Les Érables"]);
    assert_eq!((c.postcode.as_str(), c.city.as_str(), c.phone.as_str()), ("21000", "DIJON", "03 80 12 34 56"));
    // A message without a signature proposes nothing.
    assert!(find_contact(&read_fixture("forwarded-quoted.eml").body).is_empty());
}

#[test]
fn text_decoded_with_the_wrong_charset_is_said() {
    let r = read_fixture("mojibake.eml");
    assert_eq!(damaged_text(&r).as_deref(), Some("Ã©"), "subject {:?}", r.subject);
    assert!(r.body.contains("mâ€™a"), "{}", r.body);
    let body_only = ReceivedEmail { subject: "Réclamation".into(), ..r };
    assert_eq!(damaged_text(&body_only).as_deref(), Some("Ã©"));
    // The rest of the corpus reads well, 8-bit Windows-1252 included.
    for name in [
        "utf8-qp-attachment.eml",
        "outlook-1252-html-script.eml",
        "thunderbird-quoted-address.eml",
        "forwarded-quoted-address.eml",
        "poi-attachment_test_msg.msg",
    ] {
        assert_eq!(damaged_text(&read_fixture(name)), None, "{name}");
    }
}
