//! Rendering of pages that need OCR, and the cheap look at what a page draws besides text.
//!
//! Only pages whose text layer failed [`crate::text_layer::assess_text_layer`] (or that carry a few characters
//! over a page-sized image) come here, so a PDF with a good text layer never renders a page.

use mupdf::{Colorspace, ImageFormat, Matrix, Page, TextPageFlags};

/// A rendered page larger than this on a side is refused: no scan needs it, and a hostile MediaBox could ask
/// for gigabytes.
pub const MAX_RENDER_SIDE_PIXELS: f32 = 20_000.0;
/// The largest rendered page, in pixels (one byte each, grey): 150 MB.
pub const MAX_RENDER_PIXELS: f32 = 150_000_000.0;
/// A page with fewer visible characters than this may be a scan with a stray text object (a page number, a
/// stamp added by a scanner) when an image covers most of it.
pub const FEW_CHARACTERS: usize = 40;
/// Share of the page an image must cover for a page with few characters to count as a scan.
const IMAGE_PAGE_SHARE: f32 = 0.5;

/// What a page draws besides its text.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct DrawnContent {
    /// Share of the page's area covered by its largest image (0..=1).
    pub largest_image_share: f32,
    /// Whether the page draws anything at all (images or vector paths): a page that draws nothing is blank,
    /// and OCR would only spend time on it.
    pub draws_anything: bool,
}

impl DrawnContent {
    pub fn is_mostly_image(&self) -> bool {
        self.largest_image_share >= IMAGE_PAGE_SHARE
    }
}

/// Interprets the page once more keeping image and vector blocks (their positions only: images are not
/// decoded), to tell a blank page from a scan and to measure how much of the page an image covers.
pub fn drawn_content(page: &Page) -> Result<DrawnContent, mupdf::Error> {
    let bounds = page.bounds()?;
    let page_area = (bounds.x1 - bounds.x0).abs() * (bounds.y1 - bounds.y0).abs();
    let text_page = page.to_text_page(TextPageFlags::PRESERVE_IMAGES | TextPageFlags::COLLECT_VECTORS)?;
    let mut content = DrawnContent::default();
    for block in text_page.blocks() {
        // `r#type()` panics on block types the crate does not know; an image block is the one with a matrix.
        let is_image = block.ctm().is_some();
        if block.lines().next().is_some() {
            continue;
        }
        content.draws_anything = true;
        if is_image && page_area > 0.0 {
            let image = block.bounds();
            // The image's box clipped to the page, as images often overhang it.
            let width = (image.x1.min(bounds.x1) - image.x0.max(bounds.x0)).max(0.0);
            let height = (image.y1.min(bounds.y1) - image.y0.max(bounds.y0)).max(0.0);
            content.largest_image_share = content.largest_image_share.max((width * height / page_area).min(1.0));
        }
    }
    Ok(content)
}

/// Renders a page in grey without alpha at `dpi` and encodes it as PNG, refusing absurd page sizes. Annotations
/// and form widgets are drawn too, as a reader sees the page: a stamp, a filled-in field or a rich-media poster
/// image (where one test file's only word is) is part of what the page shows.
pub fn render_page_png(page: &Page, dpi: u32) -> Result<Vec<u8>, String> {
    let bounds = page.bounds().map_err(|err| crate::mupdf_message(&err))?;
    let scale = dpi.clamp(36, 1200) as f32 / 72.0;
    let width = (bounds.x1 - bounds.x0).abs() * scale;
    let height = (bounds.y1 - bounds.y0).abs() * scale;
    if !width.is_finite() || !height.is_finite() || width < 1.0 || height < 1.0 {
        return Err(format!("page size {width}x{height} px cannot be rendered"));
    }
    if width > MAX_RENDER_SIDE_PIXELS || height > MAX_RENDER_SIDE_PIXELS || width * height > MAX_RENDER_PIXELS {
        return Err(format!(
            "{width:.0}x{height:.0} px at {dpi} dpi is too large (limits: {MAX_RENDER_SIDE_PIXELS} px a side, {MAX_RENDER_PIXELS} px)"
        ));
    }
    let pixmap = page
        .to_pixmap(&Matrix::new_scale(scale, scale), &Colorspace::device_gray(), false, true)
        .map_err(|err| crate::mupdf_message(&err))?;
    let mut png = Vec::new();
    pixmap.write_to(&mut png, ImageFormat::PNG).map_err(|err| crate::mupdf_message(&err))?;
    Ok(png)
}

/// How deep form XObjects are followed when looking for images, and how many XObjects are looked at on one page.
const MAX_XOBJECT_DEPTH: usize = 8;
const MAX_XOBJECTS: usize = 2_000;

/// The largest image (in declared pixels, width × height) that page `page_index` can draw through its resources,
/// including images inside form XObjects. Rendering the page decodes it at full size first (JBIG2 cannot be
/// decoded at a reduced size), so this is what rendering may cost, whatever the page size.
pub fn largest_declared_image(doc: &mupdf::pdf::PdfDocument, page_index: i32) -> Result<(u64, u64), mupdf::Error> {
    let page = doc.find_page(page_index)?;
    let mut largest = (0, 0);
    let mut seen = 0;
    if let Some(resources) = page.get_dict_inheritable("Resources")? {
        largest_in_resources(&resources, 0, &mut seen, &mut largest)?;
    }
    Ok(largest)
}

fn largest_in_resources(
    resources: &mupdf::pdf::PdfObject,
    depth: usize,
    seen: &mut usize,
    largest: &mut (u64, u64),
) -> Result<(), mupdf::Error> {
    if depth > MAX_XOBJECT_DEPTH || !resources.is_dict()? {
        return Ok(());
    }
    let Some(xobjects) = resources.get_dict("XObject")? else { return Ok(()) };
    if !xobjects.is_dict()? {
        return Ok(());
    }
    for index in 0..xobjects.dict_len()? {
        *seen += 1;
        if *seen > MAX_XOBJECTS {
            return Ok(());
        }
        let Some(xobject) = xobjects.get_dict_val(i32::try_from(index)?)? else { continue };
        let subtype = xobject.get_dict("Subtype")?.map(|name| name.as_name()).transpose()?.unwrap_or_default();
        if subtype == b"Image" {
            let side = |key: &str| -> Result<u64, mupdf::Error> {
                Ok(xobject.get_dict(key)?.map(|value| value.as_int()).transpose()?.unwrap_or(0).max(0) as u64)
            };
            let (width, height) = (side("Width")?, side("Height")?);
            if width.saturating_mul(height) > largest.0.saturating_mul(largest.1) {
                *largest = (width, height);
            }
        } else if subtype == b"Form"
            && let Some(inner) = xobject.get_dict("Resources")?
        {
            largest_in_resources(&inner, depth + 1, seen, largest)?;
        }
    }
    Ok(())
}
