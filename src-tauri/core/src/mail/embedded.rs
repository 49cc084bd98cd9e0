//! Messages embedded in an Outlook `.msg` (« transférer en tant que pièce jointe »): Outlook
//! keeps them as a sub-storage (`__substg1.0_3701000D`) of the attachment, which msg_parser
//! lists without bytes. The `cfb` crate copies that sub-storage out as a `.msg` of its own,
//! which msg_parser then reads like any other.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

const PROPERTIES: &str = "__properties_version1.0";
const NAMED_PROPERTIES: &str = "/__nameid_version1.0";
const EMBEDDED: &str = "__substg1.0_3701000D";
/// Beyond this an embedded message is not copied out (the app's attachment limit is 50 MB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Every embedded message of the `.msg` in `bytes`, in attachment order, as a standalone `.msg`.
/// An embedded message that cannot be copied is `None` in its place.
pub(crate) fn embedded_messages(bytes: &[u8]) -> Vec<Option<Vec<u8>>> {
    let Ok(mut file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut attachments: Vec<PathBuf> = file
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
        .map(|e| e.path().to_path_buf())
        .filter(|p| file.is_storage(p.join(EMBEDDED)))
        .collect();
    attachments.sort();
    attachments.into_iter().map(|p| standalone(&mut file, &p.join(EMBEDDED)).ok()).collect()
}

fn read_stream<F: Read + std::io::Seek>(file: &mut cfb::CompoundFile<F>, path: &Path) -> std::io::Result<Vec<u8>> {
    let mut stream = file.open_stream(path)?;
    if stream.len() > MAX_BYTES {
        return Err(std::io::Error::other("trop volumineux"));
    }
    let mut out = Vec::new();
    stream.read_to_end(&mut out)?;
    Ok(out)
}

/// The storage at `root` as the root of a new compound file: its property stream given the
/// 32-byte header of a top-level message (an embedded one has 24), and the container's named
/// property mapping, which embedded messages share.
fn standalone<F: Read + std::io::Seek>(file: &mut cfb::CompoundFile<F>, root: &Path) -> std::io::Result<Vec<u8>> {
    let mut entries: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
    for e in file.walk_storage(root)? {
        if let Ok(rel) = e.path().strip_prefix(root) {
            if !rel.as_os_str().is_empty() {
                entries.push((e.path().to_path_buf(), Path::new("/").join(rel), e.is_stream()));
            }
        }
    }
    let has_names = entries.iter().any(|(_, to, _)| to == Path::new(NAMED_PROPERTIES));
    if !has_names && file.is_storage(NAMED_PROPERTIES) {
        for e in file.walk_storage(NAMED_PROPERTIES)? {
            entries.push((e.path().to_path_buf(), e.path().to_path_buf(), e.is_stream()));
        }
    }
    // Storages before what they contain.
    entries.sort_by_key(|(_, to, _)| to.components().count());
    // Version 3 (512-byte sectors), as Outlook writes them and as msg_parser reads them.
    let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
    for (from, to, is_stream) in entries {
        if !is_stream {
            out.create_storage(&to)?;
            continue;
        }
        let mut data = read_stream(file, &from)?;
        if to == Path::new("/").join(PROPERTIES) && data.len() >= 24 {
            data.splice(24..24, [0u8; 8]);
        }
        out.create_stream(&to)?.write_all(&data)?;
    }
    out.flush()?;
    Ok(out.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_message_of_a_real_msg_is_copied_out_and_readable() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mail/poi-attachment_msg_pdf.msg");
        let bytes = std::fs::read(path).unwrap_or_default();
        let found = embedded_messages(&bytes);
        assert_eq!(found.len(), 1);
        let Some(Some(inner)) = found.first() else { panic!("not copied") };
        assert!(inner.starts_with(&super::super::read::OLE_MAGIC));
        let msg = msg_parser::Outlook::from_slice(inner).map(|o| (o.subject, o.sender.email, o.client_submit_time));
        let (subject, from, sent) = match msg {
            Ok(m) => m,
            Err(e) => panic!("unreadable copy: {e}"),
        };
        assert!(!subject.trim_matches('\0').is_empty() && from.contains('@'), "{subject:?} {from:?}");
        assert!(sent.starts_with("20"), "{sent:?}: the fixed-size properties are misread");
        assert!(embedded_messages(b"not a compound file").is_empty());
    }
}
