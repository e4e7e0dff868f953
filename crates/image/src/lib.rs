//! Reader for raster images (JPEG, PNG, TIFF incl. multipage, GIF, BMP, WebP): EXIF and XMP metadata, dimensions,
//! and the text Tesseract recognises in the image.
//!
//! A photo of a document, a scanned fax or a screenshot is evidence twice over: its words (OCR) and its metadata
//! (which camera, when, where, edited with what). The pixels themselves are never decoded here: Tesseract reads the
//! file on its own, and the metadata comes from the container headers, which keeps a hostile image from costing
//! more than the bytes we read.

mod container;
mod exif_fields;
mod xmp;

use std::io::Read;

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source, TextBuilder};
use dossier_ocr::OcrError;

pub use container::ImageKind;

/// XMP packets are looked for in the first bytes of a file only: editors put them in the header, and a bounded
/// search keeps a huge TIFF cheap.
const MAX_HEADER_BYTES: u64 = 64 << 20;

/// Reads an image: metadata always, text through OCR when `ctx.options.ocr.enabled`.
pub fn read_image(source: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file = std::fs::File::open(source.path).map_err(|err| ExtractError::io(&err))?;
    let length = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if length == 0 {
        return Err(ExtractError::Empty);
    }
    let limit = MAX_HEADER_BYTES.min(ctx.limits.max_in_memory_bytes);
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes).map_err(|err| ExtractError::io(&err))?;
    let whole_file = (bytes.len() as u64) == length;

    let kind = ImageKind::sniff(&bytes).ok_or_else(|| {
        ExtractError::malformed("image", "not a JPEG, PNG, TIFF, GIF, BMP, WebP or JPEG 2000 file (unknown signature)")
    })?;
    let mut metadata = Metadata::default();
    let mut diagnostics = Vec::new();

    let layout = container::inspect(kind, &bytes, whole_file);
    let mut too_large = None;
    match layout.size {
        Some((width, height)) => {
            metadata.set("width", width.to_string());
            metadata.set("height", height.to_string());
            if !ctx.limits.image_fits(width as u64, height as u64) {
                too_large = Some(format!(
                    "not recognised: {width}x{height} px is over the limit of {} megapixels",
                    ctx.limits.max_image_pixels / 1_000_000
                ));
            }
        }
        None => {
            // Without even the header's dimensions there is no image here to speak of.
            let detail = layout.problem.unwrap_or_else(|| "no readable image header".to_string());
            return Err(if detail.starts_with("ends ") {
                ExtractError::truncated(kind.name(), detail)
            } else {
                ExtractError::malformed(kind.name(), detail)
            });
        }
    }
    if let Some(pages) = layout.pages {
        metadata.set("pages", pages.to_string());
    }
    if let Some(problem) = layout.problem {
        diagnostics.push(format!("{} {problem}", kind.name()));
    }

    exif_fields::read_into(&bytes, &mut metadata, &mut diagnostics);
    if let Some(packet) = xmp::find_packet(&bytes) {
        xmp::read_into(packet, &mut metadata);
    }

    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    if let Some(why) = too_large.filter(|_| ctx.options.ocr.enabled) {
        // Tesseract would decode it whole: a few bytes of PNG can declare gigabytes of pixels.
        diagnostics.push(why);
    } else if ctx.options.ocr.enabled {
        match dossier_ocr::recognize_file(source.path, &ctx.options.ocr) {
            Ok(recognised) => text.push(&recognised.text),
            Err(OcrError::Unavailable(hint)) => return Err(ExtractError::OcrUnavailable(hint)),
            Err(err) => diagnostics.push(err.to_string()),
        }
    }
    let (text, cut) = text.finish();
    diagnostics.extend(cut);
    Ok(Extraction { text, metadata, diagnostics })
}
