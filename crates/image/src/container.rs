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
    /// JPEG 2000: a JP2 file (boxes) or a bare codestream.
    Jpeg2000,
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
        } else if bytes.starts_with(b"\x00\x00\x00\x0CjP  \r\n\x87\n") || bytes.starts_with(b"\xFF\x4F\xFF\x51") {
            Some(ImageKind::Jpeg2000)
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
            ImageKind::Jpeg2000 => "JPEG 2000",
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
    let size = if kind == ImageKind::Jpeg2000 {
        jpeg2000_size(bytes).ok_or_else(|| "has no readable image header (ihdr box or SIZ marker)".to_string())
    } else {
        imagesize::blob_size(bytes).map_err(|err| match err {
            imagesize::ImageError::IoError(_) => "ends inside its header".to_string(),
            err => format!("header unreadable: {err}"),
        })
    };
    match size {
        Ok(size) if size.width > 0 && size.height > 0 => layout.size = Some((size.width, size.height)),
        Ok(_) => layout.problem = Some("declares an image of zero width or height".to_string()),
        Err(problem) => layout.problem = Some(problem),
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

/// The size of a JPEG 2000 image: from the image header box (`ihdr`: height, then width) inside the JP2 header box,
/// or from the SIZ marker of a bare codestream (grid size less the image offset).
fn jpeg2000_size(bytes: &[u8]) -> Option<imagesize::ImageSize> {
    let u32_at = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let size = |width: usize, height: usize| Some(imagesize::ImageSize { width, height });
    if bytes.starts_with(b"\xFF\x4F\xFF\x51") {
        // SIZ: marker, Lsiz (u16), Rsiz (u16), Xsiz, Ysiz, XOsiz, YOsiz (u32 each).
        let (x, y, x_offset, y_offset) = (u32_at(8)?, u32_at(12)?, u32_at(16)?, u32_at(20)?);
        return size(x.checked_sub(x_offset)?, y.checked_sub(y_offset)?);
    }
    // Walk the top-level boxes (length, type) to `jp2h`, then its sub-boxes to `ihdr`.
    let find_box = |mut at: usize, end: usize, wanted: &[u8; 4]| -> Option<usize> {
        while at + 8 <= end {
            let length = u32_at(at)?;
            if bytes.get(at + 4..at + 8)? == wanted {
                return Some(at + 8);
            }
            // Length 0 is "to the end of the file"; 1 announces a 64-bit length, which headers never need.
            if length < 8 {
                return None;
            }
            at = at.checked_add(length)?;
        }
        None
    };
    let header = find_box(0, bytes.len(), b"jp2h")?;
    let header_end = (header - 8).checked_add(u32_at(header - 8)?)?.min(bytes.len());
    let ihdr = find_box(header, header_end, b"ihdr")?;
    size(u32_at(ihdr + 4)?, u32_at(ihdr)?)
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
        assert_eq!(ImageKind::sniff(b"\xFF\x4F\xFF\x51\0\x29"), Some(ImageKind::Jpeg2000));
        assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(ImageKind::sniff(b"MM\0*\0\0\0\x08"), Some(ImageKind::Tiff));
        assert_eq!(ImageKind::sniff(b""), None);
    }

    fn jp2_box(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut out = ((content.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(content);
        out
    }

    #[test]
    fn jpeg2000_size_comes_from_the_image_header_box() {
        let mut ihdr = 480u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&640u32.to_be_bytes());
        ihdr.extend_from_slice(&[0, 3, 7, 7, 0, 0]);
        let header = [jp2_box(b"ihdr", &ihdr), jp2_box(b"colr", &[1, 0, 0, 0, 0, 0, 16])].concat();
        let mut file = jp2_box(b"jP  ", b"\r\n\x87\n");
        file.extend(jp2_box(b"ftyp", b"jp2 \0\0\0\0jp2 "));
        file.extend(jp2_box(b"jp2h", &header));
        assert_eq!(ImageKind::sniff(&file), Some(ImageKind::Jpeg2000));
        assert_eq!(inspect(ImageKind::Jpeg2000, &file, false).size, Some((640, 480)));
        // Without its header box there is no size, and the layout says why.
        let bare = [jp2_box(b"jP  ", b"\r\n\x87\n"), jp2_box(b"ftyp", b"jp2 \0\0\0\0jp2 ")].concat();
        let layout = inspect(ImageKind::Jpeg2000, &bare, true);
        assert_eq!(layout.size, None);
        assert_eq!(layout.problem.as_deref(), Some("has no readable image header (ihdr box or SIZ marker)"));
    }

    #[test]
    fn jpeg2000_codestream_size_is_the_grid_less_its_offset() {
        let mut codestream = b"\xFF\x4F\xFF\x51\x00\x29\x00\x00".to_vec();
        for value in [1100u32, 900, 100, 50] {
            codestream.extend_from_slice(&value.to_be_bytes());
        }
        assert_eq!(jpeg2000_size(&codestream).map(|size| (size.width, size.height)), Some((1000, 850)));
        assert!(jpeg2000_size(&codestream[..14]).is_none(), "cut inside SIZ");
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
