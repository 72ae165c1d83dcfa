//! Caps that keep one small hostile (or broken) note from costing minutes
//! or gigabytes: the size of a note and of its frontmatter, and how deeply
//! its YAML and HTML nest. Each is checked with a cheap linear scan
//! *before* the parser that would choke on it runs; a note over a cap is
//! reported (file and line) and left out, or its raw HTML is shown as text,
//! and the rest of the site builds as usual. docs/content.md lists them.
//!
//! The YAML scan is in `yaml_depth.rs`, the HTML one in `html_depth.rs`.

mod html_depth;
#[cfg(test)]
mod tests;
mod yaml_depth;

pub use html_depth::HtmlDepth;
pub use yaml_depth::yaml_too_deep;

use std::io::Read;
use std::path::Path;

/// A note file larger than this is left out unread (`note-too-large`).
/// Dense Markdown costs up to about 150 bytes of memory per byte of body
/// for each Markdown parse (pulldown-cmark's tree), and the page and the
/// search index may parse one note at the same time: 1 MB keeps the worst
/// build measured (a body of nothing but `[[w]]` links) under 400 MB. A
/// one-hour call transcript is about 60 KB.
pub const MAX_NOTE_BYTES: u64 = 1024 * 1024;
/// A frontmatter block larger than this is left out before the YAML parser
/// sees it (`frontmatter-too-large`).
pub const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;
/// Lists and maps nested deeper than this in the frontmatter are refused
/// before parsing (`frontmatter-too-deep`). Real notes nest about five.
pub const MAX_YAML_DEPTH: usize = 64;
/// A body whose HTML nests deeper than this has its raw HTML shown as text
/// instead of sanitised (`html-too-deep`).
pub const MAX_HTML_DEPTH: usize = 100;

/// A note file's bytes, or its size when it is over the cap.
pub enum Capped {
    Whole(Vec<u8>),
    TooLarge(u64),
}

/// Reads `path` if it is at most `cap` bytes: the size is checked before
/// reading, and at most `cap + 1` bytes are ever read (the file may grow
/// meanwhile), so a huge file costs no memory.
pub fn read_capped(path: &Path, cap: u64) -> std::io::Result<Capped> {
    // Not a link swapped in after the note was listed, and not a FIFO
    // (which would block the reader forever).
    let (mut file, len) = crate::site_files::open_regular(path)?;
    if len > cap {
        return Ok(Capped::TooLarge(len));
    }
    let want = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    read_sized(&mut file, &mut bytes, len, want)?;
    let read = bytes.len() as u64;
    if read > cap {
        return Ok(Capped::TooLarge(read.max(len)));
    }
    Ok(Capped::Whole(bytes))
}

/// Reads `file` (of `len` bytes when it was opened) into `bytes`, at most
/// `want` bytes. A read that comes back short exactly at `len` is the end
/// of the file: no further read is made to be told so (a regular file's
/// read stops short only at its end), which saves one system call per
/// note; any other short read goes on to a read that returns nothing, so
/// a file that grew or a file system that reads in pieces still reads
/// whole.
fn read_sized(
    file: &mut impl Read,
    bytes: &mut Vec<u8>,
    len: u64,
    want: usize,
) -> std::io::Result<()> {
    while bytes.len() < want {
        if bytes.len() == bytes.capacity() {
            bytes.reserve(8192);
        }
        let start = bytes.len();
        let ask = (bytes.capacity() - start).min(want - start);
        bytes.resize(start + ask, 0);
        let got = match file.read(&mut bytes[start..]) {
            Ok(got) => got,
            Err(e) => {
                bytes.truncate(start);
                if e.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
        };
        bytes.truncate(start + got);
        if got == 0 || (got < ask && bytes.len() as u64 == len) {
            break;
        }
    }
    Ok(())
}

/// A size for messages: `20.0 MB`, `456 KB`.
pub fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
