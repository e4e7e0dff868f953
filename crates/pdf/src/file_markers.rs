//! A cheap pass over the raw bytes of a PDF for what MuPDF does not tell: the header, whether the file was
//! linearized ("fast web view"), and how many times it was saved incrementally.
//!
//! Each incremental save appends a new cross-reference section ending in "%%EOF", so the number of end markers is
//! a rough count of revisions: a journalist checking a document's authenticity wants to know that a file was
//! edited after it was first written. The count is approximate (a marker could sit inside an uncompressed
//! stream), which is why it is reported as what it is, a count of markers.

use std::io::Read;
use std::path::Path;

const EOF_MARKER: &[u8] = b"%%EOF";
/// How far into the file the header and the linearization dictionary may start.
const HEAD_LEN: usize = 1024;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileMarkers {
    /// Where "%PDF-" starts (0 in a clean file; some writers put junk before it).
    pub header_offset: Option<usize>,
    /// The version in the header, such as "1.7".
    pub header_version: Option<String>,
    pub linearized: bool,
    pub eof_markers: u64,
    /// Whether the last "%%EOF" lies near the end of the file; a file cut off in transfer has none there.
    pub ends_with_eof_marker: bool,
}

impl FileMarkers {
    /// Saves after the first one. A linearized file legitimately carries two end markers for one revision.
    pub fn incremental_updates(&self) -> u64 {
        let first_revision_markers = if self.linearized { 2 } else { 1 };
        self.eof_markers.saturating_sub(first_revision_markers)
    }
}

/// Reads the file once, in fixed-size chunks, so memory stays bounded whatever its size.
pub fn scan_file_markers(path: &Path) -> std::io::Result<FileMarkers> {
    let mut file = std::fs::File::open(path)?;
    let mut markers = FileMarkers::default();
    let mut head = Vec::with_capacity(HEAD_LEN);
    let mut buf = vec![0u8; 256 * 1024];
    // The tail of the previous chunk, so that a marker split across two chunks is still found.
    let mut carry: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    let mut last_eof_end: u64 = 0;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let chunk = &buf[..n];
        if head.len() < HEAD_LEN {
            let take = (HEAD_LEN - head.len()).min(n);
            head.extend_from_slice(&chunk[..take]);
        }
        let mut window = std::mem::take(&mut carry);
        let window_start = total - window.len() as u64;
        window.extend_from_slice(chunk);
        for position in find_all(&window, EOF_MARKER) {
            markers.eof_markers += 1;
            last_eof_end = window_start + (position + EOF_MARKER.len()) as u64;
        }
        total += n as u64;
        let keep = (EOF_MARKER.len() - 1).min(window.len());
        carry = window[window.len() - keep..].to_vec();
    }
    markers.header_offset = find_all(&head, b"%PDF-").next();
    markers.header_version = markers.header_offset.map(|offset| {
        head[offset + 5..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b'.')
            .take(8)
            .map(|&b| char::from(b))
            .collect()
    });
    markers.linearized = find_all(&head, b"/Linearized").next().is_some();
    // Writers put line ends, padding or a little junk after the last marker; a kilobyte is generous.
    markers.ends_with_eof_marker = markers.eof_markers > 0 && total - last_eof_end <= 1024;
    Ok(markers)
}

fn find_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, window)| *window == needle)
        .map(|(position, _)| position)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(bytes: &[u8]) -> FileMarkers {
        let dir = std::env::temp_dir().join(format!("dossier-pdf-markers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(format!("{}.pdf", bytes.len()));
        std::fs::write(&path, bytes).expect("write temp file");
        let markers = scan_file_markers(&path).expect("scan");
        let _ = std::fs::remove_file(&path);
        markers
    }

    #[test]
    fn counts_incremental_updates_and_reads_the_header() {
        let markers = scan(b"%PDF-1.4\n1 0 obj\n%%EOF\nmore\n%%EOF\nagain\n%%EOF\n");
        assert_eq!(markers.header_offset, Some(0));
        assert_eq!(markers.header_version.as_deref(), Some("1.4"));
        assert_eq!(markers.eof_markers, 3);
        assert_eq!(markers.incremental_updates(), 2);
        assert!(markers.ends_with_eof_marker);
        assert!(!markers.linearized);
    }

    #[test]
    fn a_linearized_file_has_two_markers_for_one_revision() {
        let markers = scan(b"junk%PDF-1.7\n1 0 obj <</Linearized 1>> endobj\n%%EOF\n2 0 obj\n%%EOF\n");
        assert_eq!(markers.header_offset, Some(4));
        assert!(markers.linearized);
        assert_eq!(markers.incremental_updates(), 0);
    }

    #[test]
    fn a_marker_split_across_chunks_is_counted_once() {
        let mut bytes = b"%PDF-1.5\n".to_vec();
        bytes.resize(256 * 1024 - 2, b' ');
        bytes.extend_from_slice(b"%%EOF\n");
        let markers = scan(&bytes);
        assert_eq!(markers.eof_markers, 1);
        assert!(markers.ends_with_eof_marker);
    }

    #[test]
    fn a_cut_off_file_has_no_marker_at_its_end() {
        let mut bytes = b"%PDF-1.5\n%%EOF\n".to_vec();
        bytes.resize(4096, b'x');
        let markers = scan(&bytes);
        assert_eq!(markers.eof_markers, 1);
        assert!(!markers.ends_with_eof_marker);
    }
}
