//! Recognising the image container and reading its layout (dimensions, pages) from the headers alone.

/// The containers this crate reads, told apart by their signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Tiff,
    Gif,
    Bmp,
    Webp,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            Some(ImageKind::Tiff)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.starts_with(b"BM") {
            Some(ImageKind::Bmp)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "JPEG",
            ImageKind::Png => "PNG",
            ImageKind::Tiff => "TIFF",
            ImageKind::Gif => "GIF",
            ImageKind::Bmp => "BMP",
            ImageKind::Webp => "WebP",
        }
    }
}

/// What the headers say about an image.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    pub size: Option<(usize, usize)>,
    /// Number of pages (TIFF directories) when the container can hold more than one.
    pub pages: Option<usize>,
    /// A damage found in the container, in words ("ends before its end-of-image marker").
    pub problem: Option<String>,
}

/// A TIFF with more directories than this is treated as looping (a hostile file can chain IFDs in a circle).
const MAX_TIFF_PAGES: usize = 100_000;

pub(crate) fn inspect(kind: ImageKind, bytes: &[u8], whole_file: bool) -> Layout {
    let mut layout = Layout::default();
    // imagesize trusts whatever follows the signature; a PNG must start with its IHDR chunk.
    if kind == ImageKind::Png && bytes.get(12..16).is_some_and(|chunk| chunk != b"IHDR") {
        layout.problem = Some("has no IHDR chunk after its signature".to_string());
        return layout;
    }
    match imagesize::blob_size(bytes) {
        Ok(size) if size.width > 0 && size.height > 0 => layout.size = Some((size.width, size.height)),
        Ok(_) => layout.problem = Some("declares an image of zero width or height".to_string()),
        Err(imagesize::ImageError::IoError(_)) => layout.problem = Some("ends inside its header".to_string()),
        Err(err) => layout.problem = Some(format!("header unreadable: {err}")),
    }
    if layout.size.is_none() {
        return layout;
    }
    // Truncation is only judged when the whole file was read; a huge TIFF read up to the header limit is not cut.
    if whole_file {
        layout.problem = match kind {
            ImageKind::Jpeg if !ends_with_marker(bytes, &[0xFF, 0xD9]) => {
                Some("ends before its end-of-image marker (truncated?)".to_string())
            }
            ImageKind::Png if !contains_chunk(bytes, b"IEND") => {
                Some("ends before its IEND chunk (truncated?)".to_string())
            }
            ImageKind::Gif if !ends_with_marker(bytes, b";") => {
                Some("ends before its trailer (truncated?)".to_string())
            }
            _ => None,
        };
    }
    if kind == ImageKind::Tiff {
        let (pages, problem) = count_tiff_pages(bytes);
        layout.pages = Some(pages.max(1));
        if layout.problem.is_none() {
            layout.problem = problem;
        }
    }
    layout
}

/// Some writers pad after the final marker; a few trailing zero or whitespace bytes are still a complete file.
fn ends_with_marker(bytes: &[u8], marker: &[u8]) -> bool {
    let trimmed = bytes.iter().rposition(|&b| b != 0 && !b.is_ascii_whitespace()).map_or(0, |last| last + 1);
    bytes[..trimmed].ends_with(marker)
}

fn contains_chunk(bytes: &[u8], chunk: &[u8; 4]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    tail.windows(4).any(|window| window == chunk)
}

/// Walks the chain of image file directories; returns the number of pages and a problem if the chain is broken.
fn count_tiff_pages(bytes: &[u8]) -> (usize, Option<String>) {
    let little_endian = bytes.starts_with(b"II");
    let read_u16 = |at: usize| -> Option<u16> {
        let b = bytes.get(at..at + 2)?;
        Some(if little_endian { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    };
    let read_u32 = |at: usize| -> Option<u32> {
        let b = bytes.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if little_endian { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let mut pages = 0;
    let mut offset = match read_u32(4) {
        Some(offset) => offset as usize,
        None => return (0, Some("ends inside its header".to_string())),
    };
    let mut seen = std::collections::HashSet::new();
    while offset != 0 {
        if !seen.insert(offset) || pages >= MAX_TIFF_PAGES {
            return (pages, Some("has a looping chain of pages".to_string()));
        }
        let Some(entries) = read_u16(offset) else {
            return (pages, Some(format!("ends before page {} (truncated?)", pages + 1)));
        };
        pages += 1;
        let next_at = offset + 2 + usize::from(entries) * 12;
        match read_u32(next_at) {
            Some(next) => offset = next as usize,
            None => return (pages, Some(format!("ends inside page {pages}'s directory (truncated?)"))),
        }
    }
    (pages, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_told_apart() {
        assert_eq!(ImageKind::sniff(b"\xFF\xD8\xFF\xE0rest"), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(ImageKind::sniff(b"MM\0*\0\0\0\x08"), Some(ImageKind::Tiff));
        assert_eq!(ImageKind::sniff(b""), None);
    }

    #[test]
    fn a_looping_tiff_directory_chain_stops() {
        // Header pointing at offset 8; one directory with no entries whose "next" points back at itself.
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&8u32.to_le_bytes());
        assert_eq!(count_tiff_pages(&tiff), (1, Some("has a looping chain of pages".to_string())));
    }

    #[test]
    fn a_tiff_cut_inside_a_directory_says_so() {
        let tiff = b"II*\0\x08\0\0\0\x02\0".to_vec();
        assert_eq!(count_tiff_pages(&tiff), (1, Some("ends inside page 1's directory (truncated?)".to_string())));
    }
}
