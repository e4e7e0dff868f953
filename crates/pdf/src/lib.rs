//! PDF text and metadata through MuPDF.
//!
//! [`read_pdf`] opens a PDF with MuPDF (which repairs many broken files on the way), tries the user's passwords
//! if it is encrypted, extracts each page's text in reading order (pages separated by a form feed), reads the
//! Info dictionary, the XMP packet and a few structural facts, and hands embedded files to the child sink.
//! A page MuPDF cannot read becomes a diagnostic ("page 3: ...") and the document `partial`; only a file MuPDF
//! cannot open at all is an error.

mod annotations;
mod embedded;
mod file_markers;
mod forms;
mod info;
mod object_text;
mod ocr;
mod outline;
mod pdf_date;
mod pdf_string;
mod text_arrays;
mod text_layer;

use std::time::Duration;

use dossier_document::{Context, ExtractError, Extraction, Limits, Metadata, OcrOptions, Source, TextBuilder};
use dossier_ocr::OcrError;
pub use mupdf::TextPageFlags;
use mupdf::pdf::PdfDocument;

pub use pdf_date::pdf_date_to_iso8601;
pub use text_layer::{TextLayer, assess_text_layer};

const FORMAT: &str = "pdf";
/// Past this many failed pages the rest are summarised in one line, so a ruined 10,000-page file does not
/// drown the report.
const MAX_PAGE_DIAGNOSTICS: usize = 50;
/// Headings of the sections that follow page text, named like the other dossier readers' sections.
const COMMENTS_HEADING: &str = "[Comments]";
const FORM_FIELDS_HEADING: &str = "[Form fields]";
const XFA_HEADING: &str = "[XFA form data]";
const BOOKMARKS_HEADING: &str = "[Bookmarks]";
/// Pages with more annotations than the bound are listed up to this many in the diagnostic.
const MAX_LISTED_PAGES: usize = 20;

/// How page text is taken from MuPDF's structured text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfReadOptions {
    pub text_flags: TextPageFlags,
}

impl Default for PdfReadOptions {
    /// Chosen by measurement against pdftotext and expected texts (see README.md): MuPDF's defaults, which
    /// expand ligatures ("ﬁ" becomes "fi", so words are found by search) and collapse runs of spaces, plus
    /// dehyphenation, which joins words hyphenated at a line end.
    fn default() -> PdfReadOptions {
        PdfReadOptions { text_flags: TextPageFlags::DEHYPHENATE }
    }
}

/// Reads a PDF's text, metadata and embedded files.
pub fn read_pdf(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    read_pdf_with(src, ctx, &PdfReadOptions::default())
}

/// [`read_pdf`] with explicit text options, for measuring the choices against each other.
pub fn read_pdf_with(
    src: &Source<'_>,
    ctx: &mut Context<'_>,
    options: &PdfReadOptions,
) -> Result<Extraction, ExtractError> {
    let file_len = std::fs::metadata(src.path).map_err(|err| ExtractError::io(&err))?.len();
    if file_len == 0 {
        return Err(ExtractError::Empty);
    }
    let markers = file_markers::scan_file_markers(src.path).map_err(|err| ExtractError::io(&err))?;
    let mut doc = open_document(src, ctx, file_len, &markers)?;
    let embedded_files_locked = embedded_files_encrypted_apart(&doc);
    unlock(&mut doc, ctx, embedded_files_locked)?;

    let mut diagnostics = Vec::new();
    let mut metadata = Metadata::default();
    info::read_metadata(&doc, &markers, &mut metadata, &mut diagnostics);

    let page_count = match doc.page_count() {
        Ok(count) => count.max(0),
        Err(err) => {
            return Err(ExtractError::malformed(FORMAT, format!("cannot count pages: {}", mupdf_message(&err))));
        }
    };
    metadata.set("pages", page_count.to_string());

    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    let ocr_options = &ctx.options.ocr;
    let page_text = read_pages(&doc, page_count, options, ocr_options, ctx.limits, &mut text, &mut diagnostics);
    let comments = &page_text.comments;
    let document_sections = read_document_sections(&doc, &mut text, &mut metadata, &mut diagnostics);
    record_comments(comments, &mut metadata, &mut diagnostics);
    let (text, cut_off) = text.finish();
    diagnostics.extend(cut_off);
    if let Some(hint) = &page_text.ocr_unavailable {
        // No page has text of its own and none got it from OCR: the document's text depends on OCR entirely.
        if page_text.ocr_pages == 0 && page_text.pages_with_own_text == 0 {
            return Err(ocr_unavailable_error(hint));
        }
    }
    if page_text.ocr_pages > 0 {
        metadata.set("ocr_pages", page_text.ocr_pages.to_string());
        metadata.set("ocr_languages", ocr_options.languages.join("+"));
    }
    if page_count == 0 {
        diagnostics.push("the document has no pages".to_string());
    } else if page_text.pages_with_text == 0 && page_text.failed_pages < page_count as usize {
        // Comments, form data and bookmarks are text of the document too: with them, "no text even with OCR"
        // would be wrong. (Whether a page needs OCR is still decided on its own text layer only.)
        let has_other_text = comments.count > 0 || document_sections > 0;
        if !ocr_options.enabled {
            diagnostics.push(format!(
                "no text layer on any of the {page_count} pages (a scan or image-only PDF; OCR is turned off)"
            ));
        } else if !has_other_text {
            diagnostics.push(format!("no text on any of the {page_count} pages, even with OCR"));
        }
    }
    if page_text.unmapped_chars > 0 {
        diagnostics.push(format!(
            "{} characters have no Unicode mapping in their font and show as U+FFFD",
            page_text.unmapped_chars
        ));
    }

    let embedded = if embedded_files_locked {
        diagnostics.push(
            "embedded files not extracted: they are encrypted with a filter of their own (/EFF), which this reader cannot decrypt"
                .to_string(),
        );
        0
    } else {
        embedded::hand_over_embedded_files(&doc, page_count, ctx, &mut diagnostics)?
    };
    if embedded > 0 {
        metadata.set("embedded_files", embedded.to_string());
    }
    Ok(Extraction { text, metadata, diagnostics })
}

/// Appends the document-wide sections after the last page's text (form field values, XFA form data,
/// bookmarks), each under its heading and after a blank line, and records what they hold in the metadata.
/// Returns how many sections were written.
fn read_document_sections(
    doc: &PdfDocument,
    text: &mut TextBuilder,
    metadata: &mut Metadata,
    diagnostics: &mut Vec<String>,
) -> usize {
    let forms = forms::read_forms(doc);
    diagnostics.extend(forms.diagnostics);
    if !forms.fields.is_empty() {
        metadata.set("form_field_count", forms.fields.len().to_string());
    }
    for signer in &forms.signers {
        metadata.push("signers", signer.as_str());
    }
    let bookmarks = outline::read_outline(doc, diagnostics);
    let mut written = 0;
    for (heading, lines) in
        [(FORM_FIELDS_HEADING, &forms.fields), (XFA_HEADING, &forms.xfa), (BOOKMARKS_HEADING, &bookmarks)]
    {
        if lines.is_empty() || text.is_full() {
            continue;
        }
        text.end_paragraph();
        text.push(heading);
        text.push("\n");
        text.push(&lines.join("\n"));
        text.end_line();
        written += 1;
    }
    written
}

/// Comment authors and counts as metadata, and the pages whose annotations were cut off.
fn record_comments(comments: &annotations::Comments, metadata: &mut Metadata, diagnostics: &mut Vec<String>) {
    if comments.count > 0 {
        metadata.set("comment_count", comments.count.to_string());
    }
    for author in &comments.authors {
        metadata.push("comment_authors", author.as_str());
    }
    if !comments.pages_cut_off.is_empty() {
        let pages = comments.pages_cut_off.len();
        let mut listed: Vec<String> =
            comments.pages_cut_off.iter().take(MAX_LISTED_PAGES).map(ToString::to_string).collect();
        if pages > listed.len() {
            listed.push("…".to_string());
        }
        diagnostics.push(format!(
            "annotations: more than {max} on {what} {list}; only the first {max} of each page were read",
            max = annotations::MAX_ANNOTATIONS_PER_PAGE,
            what = if pages == 1 { "page" } else { "pages" },
            list = listed.join(", ")
        ));
    }
}

/// Opens the file with MuPDF's PDF handler, telling a cut-off file from a garbled one when MuPDF gives up.
fn open_document(
    src: &Source<'_>,
    ctx: &Context<'_>,
    file_len: u64,
    markers: &file_markers::FileMarkers,
) -> Result<PdfDocument, ExtractError> {
    let opened = match PdfDocument::open(src.path) {
        // Without a ".pdf" name and with junk before the header MuPDF may not know which handler to use; this
        // crate reads PDFs only, so say so explicitly, from memory if the file fits the in-memory limit.
        Err(err) if mupdf_message(&err).contains("document handler") && file_len <= ctx.limits.max_in_memory_bytes => {
            std::fs::read(src.path).map_err(|io| ExtractError::io(&io)).map(|bytes| PdfDocument::from_bytes(&bytes))?
        }
        other => other,
    };
    opened.map_err(|err| {
        let message = mupdf_message(&err);
        if message.contains("encrypt") || message.contains("security handler") {
            ExtractError::Encrypted(Some(message))
        } else if markers.header_offset.is_some() && !markers.ends_with_eof_marker {
            ExtractError::truncated(FORMAT, message)
        } else if markers.header_offset.is_none() {
            ExtractError::malformed(FORMAT, format!("no %PDF header; {message}"))
        } else {
            ExtractError::malformed(FORMAT, message)
        }
    })
}

/// Tries the user's passwords on an encrypted document. A document encrypted with an empty user password (the
/// common "no copying" restriction) is already open, and needs none. A document whose password protects only its
/// embedded files (`pages_readable`: strings and streams are not encrypted) is read without one.
fn unlock(doc: &mut PdfDocument, ctx: &Context<'_>, embedded_files_locked: bool) -> Result<(), ExtractError> {
    let needs_password = doc.needs_password().map_err(|err| ExtractError::malformed(FORMAT, mupdf_message(&err)))?;
    if !needs_password {
        return Ok(());
    }
    for password in &ctx.options.passwords {
        if let Ok(true) = doc.authenticate(password) {
            return Ok(());
        }
    }
    if embedded_files_locked && pages_not_encrypted(doc) {
        return Ok(());
    }
    Err(ExtractError::Encrypted(Some("PDF password required".to_string())))
}

/// The encryption dictionary's crypt filter names for streams, strings and embedded files (PDF 1.6 and later).
fn crypt_filters(doc: &PdfDocument) -> Option<[Option<Vec<u8>>; 3]> {
    let encrypt = doc.trailer().ok()?.get_dict("Encrypt").ok()??;
    let name = |key: &str| encrypt.get_dict(key).ok().flatten().and_then(|value| value.as_name().ok());
    Some([name("StmF"), name("StrF"), name("EFF")])
}

/// Whether embedded files are encrypted with a filter of their own (/EFF differs from /StmF). MuPDF does not know
/// /EFF and would hand such files over still encrypted, as garbage.
fn embedded_files_encrypted_apart(doc: &PdfDocument) -> bool {
    let Some([stream_filter, _, Some(embedded_filter)]) = crypt_filters(doc) else { return false };
    embedded_filter != b"Identity" && stream_filter.as_deref() != Some(embedded_filter.as_slice())
}

/// Whether neither streams nor strings are encrypted (/StmF and /StrF are /Identity, their default), so that the
/// pages are readable without the password that protects the embedded files.
fn pages_not_encrypted(doc: &PdfDocument) -> bool {
    let Some([stream_filter, string_filter, _]) = crypt_filters(doc) else { return false };
    let identity = |filter: &Option<Vec<u8>>| filter.as_deref().is_none_or(|name| name == b"Identity");
    identity(&stream_filter) && identity(&string_filter)
}

#[derive(Debug, Default)]
struct PageTextStats {
    pages_with_text: usize,
    failed_pages: usize,
    unmapped_chars: usize,
    /// Pages whose text came from OCR.
    ocr_pages: usize,
    /// Pages that needed OCR (no or a garbage text layer, or a scan with a stray text object).
    pages_needing_ocr: usize,
    /// Pages with a usable text layer of their own (not counting blank pages and pages sent to OCR).
    pages_with_own_text: usize,
    /// Set when Tesseract is missing: the install hint.
    ocr_unavailable: Option<String>,
    /// The comments (annotations with text) of all pages.
    comments: annotations::Comments,
}

/// One page after the first pass: its text layer (`None` when MuPDF could not read the page) and, if the page
/// must be recognised instead, why.
struct PageRead {
    text: Option<String>,
    needs_ocr: Option<String>,
    /// The page's comments (annotation text), shown after its text.
    comments: Vec<String>,
}

/// Reads every page's text layer, then recognises the pages that need it, then assembles the text in page
/// order. Two passes, because the deadline extension must be asked for before OCR starts, with the number of
/// pages it will cover.
fn read_pages(
    doc: &PdfDocument,
    page_count: i32,
    options: &PdfReadOptions,
    ocr_options: &OcrOptions,
    limits: &Limits,
    text: &mut TextBuilder,
    diagnostics: &mut Vec<String>,
) -> PageTextStats {
    let max_text_bytes = limits.max_text_bytes;
    let mut stats = PageTextStats::default();
    let mut pages_with_operators_in_arrays = Vec::new();
    let mut pages = Vec::new();
    let mut collected_bytes = 0usize;
    for page_index in 0..page_count {
        if collected_bytes > max_text_bytes {
            // The text limit is reported by TextBuilder; reading more pages would only cost time.
            break;
        }
        // A page whose content cannot even be read is reported by `read_page` below.
        if text_arrays::repair_page(doc, page_index).is_ok_and(|removed| removed > 0) {
            pages_with_operators_in_arrays.push(page_index + 1);
        }
        let page = match read_page(doc, page_index, options.text_flags, ocr_options.enabled) {
            Ok(page) => page,
            Err(err) => {
                stats.failed_pages += 1;
                if stats.failed_pages <= MAX_PAGE_DIAGNOSTICS {
                    diagnostics.push(format!("page {}: {}", page_index + 1, mupdf_message(&err)));
                }
                PageRead { text: None, needs_ocr: None, comments: Vec::new() }
            }
        };
        let mut page = page;
        // Comments are read from the page object even when MuPDF cannot interpret the page's content.
        if let Ok(page_object) = doc.find_page(page_index) {
            page.comments = stats.comments.read_page(&page_object, page_index as usize + 1);
        }
        collected_bytes += page.text.as_ref().map_or(0, String::len);
        collected_bytes += page.comments.iter().map(String::len).sum::<usize>();
        pages.push(page);
    }
    if stats.failed_pages > MAX_PAGE_DIAGNOSTICS {
        diagnostics.push(format!("{} more pages could not be read", stats.failed_pages - MAX_PAGE_DIAGNOSTICS));
    }
    if !pages_with_operators_in_arrays.is_empty() {
        diagnostics.push(format!(
            "malformed content: operators inside text arrays on {} skipped, as other readers do",
            page_list(&pages_with_operators_in_arrays)
        ));
    }

    stats.pages_needing_ocr = pages.iter().filter(|page| page.needs_ocr.is_some()).count();
    stats.pages_with_own_text = pages
        .iter()
        .filter(|page| page.needs_ocr.is_none() && page.text.as_ref().is_some_and(|text| !text.trim().is_empty()))
        .count();
    if stats.pages_needing_ocr > 0 {
        recognise_pages(doc, &mut pages, ocr_options, limits, &mut stats, diagnostics);
    }

    for (page_index, page) in pages.iter().enumerate() {
        if page_index > 0 {
            text.push("\u{c}");
        }
        let page_text = page.text.as_deref().unwrap_or("").trim_end();
        let has_text = !page_text.trim_start().is_empty();
        if let Some(own_text) = &page.text {
            let own_text = own_text.trim_end();
            if has_text {
                stats.pages_with_text += 1;
            }
            stats.unmapped_chars += own_text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
            text.push(own_text);
            // A line end before the form feed keeps a page's last line apart from the next page's first in
            // snippets and in tools that ignore form feeds.
            text.end_line();
        }
        if !page.comments.is_empty() {
            if has_text {
                // A blank line between the page's text and its comments.
                text.push("\n");
            } else if !text.as_str().is_empty() && !text.as_str().ends_with('\n') {
                text.push("\n");
            }
            text.push(COMMENTS_HEADING);
            text.push("\n");
            text.push(&page.comments.join("\n"));
            text.end_line();
        }
        if text.is_full() {
            break;
        }
    }
    stats
}

/// A page's text layer and whether it needs OCR. The look at what the page draws is taken only for pages with
/// no or very little text and only when OCR is on, so a PDF with a good text layer costs what it did before.
fn read_page(doc: &PdfDocument, page_index: i32, flags: TextPageFlags, ocr: bool) -> Result<PageRead, mupdf::Error> {
    let page = doc.load_page(page_index)?;
    let page_text = page_text(&page, flags)?;
    if !ocr {
        return Ok(PageRead { text: Some(page_text), needs_ocr: None, comments: Vec::new() });
    }
    let needs_ocr = match text_layer::assess_text_layer(&page_text) {
        text_layer::TextLayer::Garbage(why) => Some(format!("garbage text layer: {why}")),
        text_layer::TextLayer::Missing => match ocr::drawn_content(&page) {
            Ok(drawn) if !drawn.draws_anything => None,
            Ok(_) => Some("no text layer".to_string()),
            // The page could not be interpreted again: let rendering find out whether it can be drawn.
            Err(_) => Some("no text layer".to_string()),
        },
        text_layer::TextLayer::Good => {
            let visible = page_text.chars().filter(|c| !c.is_whitespace()).count();
            if visible < ocr::FEW_CHARACTERS {
                match ocr::drawn_content(&page) {
                    Ok(drawn) if drawn.is_mostly_image() => {
                        Some(format!("only {visible} characters of text over a page-sized image"))
                    }
                    _ => None,
                }
            } else {
                None
            }
        }
    };
    Ok(PageRead { text: Some(page_text), needs_ocr, comments: Vec::new() })
}

/// Renders and recognises the pages marked as needing OCR; a recognised page's text replaces its text layer.
/// A page whose recognition fails keeps its text layer (garbage is still better than nothing for search) and
/// gets a diagnostic; a missing Tesseract stops the attempts at once.
fn recognise_pages(
    doc: &PdfDocument,
    pages: &mut [PageRead],
    ocr_options: &OcrOptions,
    limits: &Limits,
    stats: &mut PageTextStats,
    diagnostics: &mut Vec<String>,
) {
    let seconds = (stats.pages_needing_ocr as u64).saturating_mul(ocr_options.page_timeout_secs);
    dossier_document::extend_deadline(Duration::from_secs(seconds));
    let mut failed = 0usize;
    let mut not_recognised = Vec::new();
    for (page_index, page) in pages.iter_mut().enumerate() {
        if page.needs_ocr.is_none() {
            continue;
        }
        if stats.ocr_unavailable.is_some() {
            not_recognised.push(page_index + 1);
            continue;
        }
        let outcome = image_within_limit(doc, page_index as i32, limits)
            .and_then(|()| doc.load_page(page_index as i32).map_err(|err| mupdf_message(&err)))
            .and_then(|loaded| ocr::render_page_png(&loaded, ocr_options.dpi))
            .map_err(|why| format!("cannot render for OCR: {why}"))
            .and_then(|png| match dossier_ocr::recognize_bytes(&png, ocr_options) {
                Ok(recognised) => Ok(recognised.text),
                Err(OcrError::Unavailable(hint)) => {
                    stats.ocr_unavailable = Some(hint);
                    Err(String::new())
                }
                Err(err) => Err(err.to_string()),
            });
        match outcome {
            Ok(recognised) => {
                stats.ocr_pages += 1;
                page.text = Some(recognised);
            }
            Err(_) if stats.ocr_unavailable.is_some() => not_recognised.push(page_index + 1),
            Err(why) => {
                failed += 1;
                if failed <= MAX_PAGE_DIAGNOSTICS {
                    diagnostics.push(format!("page {}: {why}", page_index + 1));
                }
            }
        }
    }
    if failed > MAX_PAGE_DIAGNOSTICS {
        diagnostics.push(format!("{} more pages could not be recognised", failed - MAX_PAGE_DIAGNOSTICS));
    }
    if let Some(hint) = &stats.ocr_unavailable {
        let mut listed: Vec<String> = not_recognised.iter().take(20).map(ToString::to_string).collect();
        if not_recognised.len() > listed.len() {
            listed.push("…".to_string());
        }
        diagnostics.push(format!(
            "OCR unavailable: {hint}; {} pages that need it were not recognised (pages {})",
            not_recognised.len(),
            listed.join(", ")
        ));
    }
}

/// Refuses to render a page that can draw an image larger than `limits.max_image_pixels`: rendering decodes it
/// whole first, and a few bytes of JBIG2 can declare a bitmap of gigabytes. The page keeps its text layer.
fn image_within_limit(doc: &PdfDocument, page_index: i32, limits: &Limits) -> Result<(), String> {
    // A page whose resources cannot be read is left to the renderer (and the worker's memory limit).
    let Ok((width, height)) = ocr::largest_declared_image(doc, page_index) else { return Ok(()) };
    if limits.image_fits(width, height) {
        return Ok(());
    }
    Err(format!(
        "it draws an image of {width}x{height} px, over the limit of {} megapixels",
        limits.max_image_pixels / 1_000_000
    ))
}

/// "page 3" or "pages 3, 7, 9", at most [`MAX_LISTED_PAGES`] listed.
fn page_list(pages: &[i32]) -> String {
    let mut listed: Vec<String> = pages.iter().take(MAX_LISTED_PAGES).map(ToString::to_string).collect();
    if pages.len() > listed.len() {
        listed.push("…".to_string());
    }
    format!("{} {}", if pages.len() == 1 { "page" } else { "pages" }, listed.join(", "))
}

fn page_text(page: &mupdf::Page, flags: TextPageFlags) -> Result<String, mupdf::Error> {
    let text_page = page.to_text_page(flags)?;
    // MuPDF's own text output joins dehyphenated lines, which the crate's line API cannot see. It fails when a
    // broken font maps a glyph to a code point that is not a Unicode scalar value (the output is then not
    // UTF-8); walking the characters ourselves keeps that page's text, with U+FFFD for those glyphs.
    match text_page.to_text() {
        Ok(text) => Ok(text),
        Err(_) => Ok(walk_text_page(&text_page)),
    }
}

/// The page's text block by block and line by line, as MuPDF prints it, minus dehyphenation.
fn walk_text_page(text_page: &mupdf::TextPage) -> String {
    let mut text = String::new();
    for block in text_page.blocks() {
        // `lines()` is empty for image and vector blocks; `r#type()` is avoided because it panics on a block
        // type the crate does not know.
        let mut had_lines = false;
        for line in block.lines() {
            had_lines = true;
            text.extend(line.chars().map(|c| c.char().unwrap_or(char::REPLACEMENT_CHARACTER)));
            text.push('\n');
        }
        if had_lines {
            text.push('\n');
        }
    }
    text
}

/// The error for a document whose text exists only as images while Tesseract is missing.
fn ocr_unavailable_error(hint: &str) -> ExtractError {
    ExtractError::OcrUnavailable(format!("{hint} (every page of this PDF needs OCR)"))
}

/// MuPDF's own words, without the crate's "MuPDF error, code: N, message:" wrapping.
fn mupdf_message(err: &mupdf::Error) -> String {
    match err {
        mupdf::Error::MuPdf(err) => err.message.clone(),
        other => other.to_string(),
    }
}
