//! Writes the golden-test PDFs in `test_data/pdf/` (run from anywhere: `cargo run -p dossier-pdf --example
//! make_fixtures`). Every file is built here byte by byte with a tiny PDF writer, except the encrypted ones,
//! which `qpdf` (Debian package `qpdf`, `apt-get install -y qpdf`) makes from a generated file with the exact
//! commands printed below; without qpdf those are skipped with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A minimal PDF writer: numbered objects, a cross-reference table with real offsets, a trailer.
struct PdfWriter {
    objects: Vec<Vec<u8>>,
}

impl PdfWriter {
    fn new() -> PdfWriter {
        PdfWriter { objects: Vec::new() }
    }

    /// Adds an object and returns its number.
    fn add(&mut self, body: &str) -> usize {
        self.add_bytes(body.as_bytes().to_vec())
    }

    fn add_bytes(&mut self, body: Vec<u8>) -> usize {
        self.objects.push(body);
        self.objects.len()
    }

    fn add_stream(&mut self, dict_extra: &str, data: &[u8]) -> usize {
        let mut body = format!("<< /Length {} {dict_extra} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add_bytes(body)
    }

    fn finish(&self, root: usize, info: Option<usize>) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (index, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1).as_bytes());
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        let info = info.map(|n| format!(" /Info {n} 0 R")).unwrap_or_default();
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root {root} 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

/// A PDF string literal with the characters that need it escaped.
fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push(')');
    out
}

/// A UTF-16BE hex string with a byte-order mark, as PDF text strings outside Latin-1 are written.
fn utf16_hex(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        out.push_str(&format!("{unit:04X}"));
    }
    out.push('>');
    out
}

/// Pages of Helvetica text, one string per line; returns (writer, catalog number).
fn text_pages(writer: &mut PdfWriter, pages: &[&[&str]], extra_catalog: &str) -> usize {
    let pages: Vec<(&[&str], &str)> = pages.iter().map(|lines| (*lines, "")).collect();
    text_pages_with_entries(writer, &pages, extra_catalog)
}

/// [`text_pages`] with extra entries for each page dictionary (such as `/Annots [...]`).
fn text_pages_with_entries(writer: &mut PdfWriter, pages: &[(&[&str], &str)], extra_catalog: &str) -> usize {
    let font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    // Page objects refer to their parent, so the page tree's number is reserved first: it comes right after
    // the pages and their content streams.
    let pages_number = writer.objects.len() + pages.len() * 2 + 1;
    let mut kids = Vec::new();
    for (lines, page_entries) in pages {
        let page_entries = if page_entries.is_empty() { String::new() } else { format!(" {page_entries}") };
        let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
        for line in lines.iter() {
            content.push_str(&format!("{} Tj T*\n", literal(line)));
        }
        content.push_str("ET");
        let contents = writer.add_stream("", content.as_bytes());
        let page = writer.add(&format!(
            "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> >>{page_entries} >>"
        ));
        kids.push(format!("{page} 0 R"));
    }
    let pages_obj = writer.add(&format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()));
    assert_eq!(pages_obj, pages_number, "page tree number was reserved correctly");
    writer.add(&format!("<< /Type /Catalog /Pages {pages_obj} 0 R {extra_catalog} >>"))
}

fn two_pages_with_info() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let catalog = text_pages(
        &mut writer,
        &[&["Quarterly report", "Payments to offshore accounts (draft)."], &["Second page: signed by the director."]],
        "",
    );
    let info = writer.add(&format!(
        "<< /Title {} /Author {} /Subject (Payments) /Keywords (offshore; payments, 2023) /Creator (Microsoft Word) /Producer (dossier make_fixtures) /CreationDate (D:20230405123000+03'00') /ModDate (D:20230406080000Z) /Company (Acme Holdings) /SourceModified (D:20230401000000) >>",
        literal("Report (draft)"),
        utf16_hex("Иван Петренко")
    ));
    writer.finish(catalog, Some(info))
}

/// Cyrillic text in a standard, non-embedded font: the bytes use the Windows-1251 layout, and a ToUnicode CMap
/// tells readers what they mean. This is how many Russian office PDFs are made.
fn cyrillic_with_tounicode() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let text = "Привет, мир! Київ і Львів.";
    let (encoded, mut ranges) = (encode_cp1251_subset(text), String::new());
    // А..я are 0xC0..0xFF in Windows-1251, and U+0410..U+044F in Unicode.
    ranges.push_str("<C0> <FF> <0410>\n");
    let bfchars = "<B2> <0406>\n<B3> <0456>\n<AF> <0407>\n<BF> <0457>\n";
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n1 beginbfrange\n{ranges}endbfrange\n4 beginbfchar\n{bfchars}endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    );
    let tounicode = writer.add_stream("", cmap.as_bytes());
    let font =
        writer.add(&format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode {tounicode} 0 R >>"));
    let mut content = b"BT /F1 14 Tf 72 720 Td (".to_vec();
    for byte in encoded {
        if matches!(byte, b'(' | b')' | b'\\') {
            content.push(b'\\');
        }
        content.push(byte);
    }
    content.extend_from_slice(b") Tj ET");
    let contents = writer.add_stream("", &content);
    let page = writer.add(&format!(
        "<< /Type /Page /Parent 5 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
    ));
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    assert_eq!(pages, 5, "the page refers to its parent by number");
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    writer.finish(catalog, None)
}

fn encode_cp1251_subset(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'А'..='я' => (0xC0 + (c as u32 - 0x410)) as u8,
            'І' => 0xB2,
            'і' => 0xB3,
            'Ї' => 0xAF,
            'ї' => 0xBF,
            _ if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect()
}

/// An attachment in an /EmbeddedFiles name tree that uses /Kids, as large portfolios do.
fn with_attachment() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let data = b"name,amount\nAcme Ltd,1000000\n";
    let file = writer.add_stream(
        &format!(
            "/Type /EmbeddedFile /Subtype /text#2Fcsv /Params << /Size {} /ModDate (D:20220101101010+02'00') >>",
            data.len()
        ),
        data,
    );
    let filespec = writer.add(&format!(
        "<< /Type /Filespec /F (ledger.csv) /UF {} /EF << /F {file} 0 R /UF {file} 0 R >> >>",
        utf16_hex("ledger.csv")
    ));
    let leaf = writer.add(&format!("<< /Limits [(ledger) (ledger)] /Names [(ledger) {filespec} 0 R] >>"));
    let root = writer.add(&format!("<< /Kids [{leaf} 0 R] >>"));
    let catalog =
        text_pages(&mut writer, &[&["See the attached ledger."]], &format!("/Names << /EmbeddedFiles {root} 0 R >>"));
    writer.finish(catalog, None)
}

/// A file saved once more incrementally: the update changes the title, and the old one stays in the file.
fn incremental_update() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let catalog = text_pages(&mut writer, &[&["Original text."]], "");
    let info = writer.add("<< /Title (First title) >>");
    let mut out = writer.finish(catalog, Some(info));
    let previous_xref = find_last(&out, b"startxref\n")
        .map(|p| {
            let start = p + b"startxref\n".len();
            let digits: String =
                out[start..].iter().take_while(|b| b.is_ascii_digit()).map(|&b| char::from(b)).collect();
            digits
        })
        .unwrap_or_default();
    let size = writer.objects.len() + 1;
    let new_info_offset = out.len();
    out.extend_from_slice(
        format!("{info} 0 obj\n<< /Title (Second title) /ModDate (D:20240102030405Z) >>\nendobj\n").as_bytes(),
    );
    let xref = out.len();
    out.extend_from_slice(
        format!(
            "xref\n{info} 1\n{new_info_offset:010} 00000 n \ntrailer\n<< /Size {size} /Root {catalog} 0 R /Info {info} 0 R /Prev {previous_xref} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A page whose content stream is garbage among good pages: MuPDF must keep the good pages.
fn garbage_content_page() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let catalog = text_pages(&mut writer, &[&["Good first page."], &["Good second page."]], "");
    // Replace the second page's content stream with bytes that are not PDF operators at all.
    let garbage = b"\x00\x01\x02 BT ((( unbalanced /F1 Tf \xFF\xFE ] ] >> Tj";
    writer.objects[3] = {
        let mut body = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", garbage.len()).into_bytes();
        body.extend_from_slice(garbage);
        body.extend_from_slice(b"\nendstream");
        body
    };
    writer.finish(catalog, None)
}

/// Renders page 1 of `pdf` with MuPDF at `dpi` and returns it as 1-bit black-and-white rows (a scanner's
/// "text" mode): (width, height, packed rows, 1 = white as in /DeviceGray).
fn render_bilevel(pdf: &[u8], dpi: u32) -> (u32, u32, Vec<u8>) {
    let doc = mupdf::pdf::PdfDocument::from_bytes(pdf).expect("generated PDF opens");
    let page = doc.load_page(0).expect("generated page loads");
    let scale = dpi as f32 / 72.0;
    let pixmap = page
        .to_pixmap(&mupdf::Matrix::new_scale(scale, scale), &mupdf::Colorspace::device_gray(), false, false)
        .expect("generated page renders");
    let (width, height) = (pixmap.width(), pixmap.height());
    let stride = pixmap.stride() as usize;
    let samples = pixmap.samples();
    let row_bytes = width.div_ceil(8) as usize;
    let mut packed = vec![0u8; row_bytes * height as usize];
    for y in 0..height as usize {
        for x in 0..width as usize {
            if samples[y * stride + x] >= 128 {
                packed[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    (width, height, packed)
}

/// A scanned page: lines of text drawn into an image, and no text layer, as a scanner without OCR makes it.
/// The image is made by rendering a text page with MuPDF at 200 dpi and thresholding it to one bit per pixel,
/// stored uncompressed so that the generator needs no compressor. `stray_text` adds a visible text object the
/// way some scanners stamp a page number; `blank_page` adds a second page that draws nothing.
fn scanned_page(lines: &[&str], stray_text: Option<&str>, blank_page: bool) -> Vec<u8> {
    // The text page to photograph: 5 x 2.5 inches, 20-point Helvetica.
    let (width_pt, height_pt) = (360, 180);
    let mut source = PdfWriter::new();
    let font = source.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let mut content = format!("BT /F1 20 Tf 24 {} Td 30 TL\n", height_pt - 44);
    for line in lines {
        content.push_str(&format!("{} Tj T*\n", literal(line)));
    }
    content.push_str("ET");
    let contents = source.add_stream("", content.as_bytes());
    let page = source.add(&format!(
        "<< /Type /Page /Parent 4 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
    ));
    let pages = source.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    assert_eq!(pages, 4, "the page refers to its parent by number");
    let catalog = source.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    let (width, height, packed) = render_bilevel(&source.finish(catalog, None), 200);

    let mut writer = PdfWriter::new();
    let image = writer.add_stream(
        &format!(
            "/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 1"
        ),
        &packed,
    );
    let font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let mut content = format!("q {width_pt} 0 0 {height_pt} 0 0 cm /Im1 Do Q");
    if let Some(stray) = stray_text {
        content.push_str(&format!("\nBT /F1 8 Tf {} 6 Td {} Tj ET", width_pt - 20, literal(stray)));
    }
    let contents = writer.add_stream("", content.as_bytes());
    let page_count = if blank_page { 2 } else { 1 };
    // Objects so far: image, font, contents; then the scanned page, the blank page's contents and page, the tree.
    let pages_number = writer.objects.len() + 1 + if blank_page { 2 } else { 0 } + 1;
    let scanned = writer.add(&format!(
        "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Contents {contents} 0 R /Resources << /XObject << /Im1 {image} 0 R >> /Font << /F1 {font} 0 R >> >> >>"
    ));
    let mut kids = vec![format!("{scanned} 0 R")];
    if blank_page {
        let empty = writer.add_stream("", b"");
        let blank = writer.add(&format!(
            "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Contents {empty} 0 R >>"
        ));
        kids.push(format!("{blank} 0 R"));
    }
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{}] /Count {page_count} >>", kids.join(" ")));
    assert_eq!(pages, pages_number, "page tree number was reserved correctly");
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    writer.finish(catalog, None)
}

/// A page whose only content is a MediaBox of absurd size with an image: rendering it for OCR must be refused.
fn huge_scanned_page() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let image = writer.add_stream(
        "/Type /XObject /Subtype /Image /Width 8 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
        &[0, 255, 0, 255, 0, 255, 0, 255],
    );
    let contents = writer.add_stream("", b"q 14000 0 0 14000 0 0 cm /Im1 Do Q");
    let page = writer.add(&format!(
        "<< /Type /Page /Parent 4 0 R /MediaBox [0 0 14400 14400] /Contents {contents} 0 R /Resources << /XObject << /Im1 {image} 0 R >> >> >>"
    ));
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    assert_eq!(pages, 4, "the page refers to its parent by number");
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    writer.finish(catalog, None)
}

/// A JBIG2 bomb: 150 bytes of JBIG2 declaring a 100,000 × 100,000 bitmap (1.25 GB once decoded) drawn over the
/// whole page, under a few characters of text, so that the page is a candidate for OCR. Only the JBIG2 page
/// information segment (type 48) and an end-of-page segment (type 49) are there: the decoder allocates the whole
/// page bitmap when it reads the first.
fn jbig2_bomb() -> Vec<u8> {
    const SIDE: u32 = 100_000;
    let segment = |number: u32, kind: u8, data: &[u8]| -> Vec<u8> {
        // Segment number, flags (the type; page association in one byte), no referred-to segments, page 1, length.
        let mut bytes = number.to_be_bytes().to_vec();
        bytes.extend_from_slice(&[kind, 0, 1]);
        bytes.extend_from_slice(&(data.len() as u32).to_be_bytes());
        bytes.extend_from_slice(data);
        bytes
    };
    let mut page_information = Vec::new();
    for value in [SIDE, SIDE, 0, 0] {
        page_information.extend_from_slice(&value.to_be_bytes());
    }
    page_information.extend_from_slice(&[0, 0, 0]);
    let mut jbig2 = segment(0, 48, &page_information);
    jbig2.extend(segment(1, 49, &[]));

    let mut writer = PdfWriter::new();
    let font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let image = writer.add_stream(
        &format!(
            "/Type /XObject /Subtype /Image /Width {SIDE} /Height {SIDE} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode"
        ),
        &jbig2,
    );
    let contents = writer.add_stream("", b"q 612 0 0 792 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (Invoice 2041) Tj ET");
    let page = writer.add(&format!(
        "<< /Type /Page /Parent 5 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>"
    ));
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    assert_eq!(pages, 5, "the page refers to its parent by number");
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    writer.finish(catalog, None)
}

/// Text shown through `TJ` arrays that hold operators (`0 g`, `Tf`), as some generators write them. pdftotext
/// shows every string of these arrays; MuPDF alone dropped each such array whole.
fn operators_in_text_arrays() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let content = "BT /F1 12 Tf 72 720 Td 14 TL
                   [(Quarterly) -250 (report) 0 g -250 (for) -250 (Orion)] TJ T*
                   [(Payments) -250 /F1 12 Tf (to) -250 (offshore) -250 (accounts)] TJ T*
                   [(Signed) -250 (by) -250 (the) -250 (director.)] TJ
ET";
    let contents = writer.add_stream("", content.as_bytes());
    let page = writer.add(&format!(
        "<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
    ));
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    assert_eq!(pages, 4, "the page refers to its parent by number");
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    writer.finish(catalog, None)
}

/// Only the attachment is encrypted (PDF 1.6 /EFF, Acrobat's "encrypt only file attachments"): streams and strings
/// use the /Identity filter, so the page reads without the password. The password is nobody's: /U is 32 fixed
/// bytes that no password produces, and the attachment's bytes stand for its ciphertext.
fn encrypted_attachment_only() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let ciphertext: Vec<u8> = (0..64u32).map(|i| (i.wrapping_mul(73).wrapping_add(11) % 251) as u8).collect();
    let file = writer.add_stream("/Type /EmbeddedFile /Subtype /text#2Fcsv", &ciphertext);
    let filespec = writer.add(&format!("<< /Type /Filespec /F (ledger.csv) /EF << /F {file} 0 R >> >>"));
    let names = writer.add(&format!("<< /Names [(ledger) {filespec} 0 R] >>"));
    let bytes = |seed: u8| -> String {
        (0..32u8).map(|i| format!("{:02X}", i.wrapping_mul(seed).wrapping_add(seed))).collect()
    };
    let encrypt = writer.add(&format!(
        "<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /AuthEvent /EFOpen /CFM /AESV2 /Length 16 >> >> \
         /StmF /Identity /StrF /Identity /EFF /StdCF /O <{}> /U <{}> /P -1028 >>",
        bytes(7),
        bytes(13)
    ));
    let catalog = text_pages(
        &mut writer,
        &[&["The ledger is attached, encrypted."]],
        &format!("/Names << /EmbeddedFiles {names} 0 R >>"),
    );
    let mut pdf = writer.finish(catalog, None);
    // The trailer names the encryption dictionary and the file identifier the Standard handler needs.
    let trailer = find_last(&pdf, b"trailer\n<< ").expect("a trailer") + b"trailer\n<< ".len();
    let entries =
        format!("/Encrypt {encrypt} 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] ");
    pdf.splice(trailer..trailer, entries.bytes());
    pdf
}

/// A filled-in AcroForm: a hierarchical name, a value inherited by a widget kid, Cyrillic and multi-line text,
/// check boxes on and off, a radio group, choices shown by their display text, a push button (no value), a
/// signed signature field, and a field that is also a widget on the page (not a comment).
fn form_fields() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let mut fields = Vec::new();
    let mut add_field = |writer: &mut PdfWriter, body: &str| {
        let number = writer.add(body);
        fields.push(format!("{number} 0 R"));
        number
    };
    // applicant.name and applicant.passport: partial names joined with dots.
    let name = writer.add(&format!("<< /FT /Tx /T (name) /V {} >>", utf16_hex("Олена Коваль")));
    let passport_widget = writer.add("<< /Type /Annot /Subtype /Widget /Rect [0 0 10 10] >>");
    // The value sits on the field; its only kid is a widget without /T, which is not a field of its own.
    let passport = writer.add(&format!("<< /FT /Tx /T (passport) /V (FA 123456) /Kids [{passport_widget} 0 R] >>"));
    add_field(&mut writer, &format!("<< /T (applicant) /Kids [{name} 0 R {passport} 0 R] >>"));
    add_field(&mut writer, "<< /FT /Tx /T (address) /V (12 Khreshchatyk St\rKyiv\r01001) >>");
    add_field(&mut writer, "<< /FT /Btn /T (resident) /V /Yes /AS /Yes >>");
    add_field(&mut writer, "<< /FT /Btn /T (prior_conviction) /V /Off /AS /Off >>");
    let option_a = writer.add("<< /Type /Annot /Subtype /Widget /AS /Off /Rect [0 0 10 10] >>");
    let option_b = writer.add("<< /Type /Annot /Subtype /Widget /AS /transfer /Rect [0 0 10 10] >>");
    add_field(
        &mut writer,
        &format!("<< /FT /Btn /Ff 49152 /T (payment) /V /transfer /Kids [{option_a} 0 R {option_b} 0 R] >>"),
    );
    add_field(
        &mut writer,
        "<< /FT /Ch /Ff 131072 /T (country) /V (UA) /Opt [[(PL) (Poland)] [(UA) (Ukraine)] [(MD) (Moldova)]] >>",
    );
    add_field(
        &mut writer,
        "<< /FT /Ch /Ff 2097152 /T (languages) /V [(Ukrainian) (English)] /Opt [(Ukrainian) (Russian) (English)] >>",
    );
    add_field(&mut writer, "<< /FT /Btn /Ff 65536 /T (submit) >>");
    add_field(&mut writer, "<< /FT /Tx /T (empty_field) >>");
    let signature = writer.add(
        "<< /Type /Sig /Filter /Adobe.PPKLite /Name (Olena Koval) /M (D:20240315101500+02'00') /Reason (I agree) /Location (Kyiv) >>",
    );
    add_field(&mut writer, &format!("<< /FT /Sig /T (signature) /V {signature} 0 R >>"));
    // A field merged with its widget, listed in the page's /Annots too: read once, as a field.
    let merged_number = writer.objects.len() + 1;
    add_field(
        &mut writer,
        "<< /Type /Annot /Subtype /Widget /FT /Tx /T (case_number) /V (2024/117) /Rect [72 600 200 620] >>",
    );
    let catalog = text_pages_with_entries(
        &mut writer,
        &[(&["Application for a residence permit"], &format!("/Annots [{merged_number} 0 R]"))],
        &format!("/AcroForm << /Fields [{}] >>", fields.join(" ")),
    );
    writer.finish(catalog, None)
}

/// Comments on pages: a sticky note with author and date (its pop-up repeats nothing), a text box whose only
/// text is rich text, a highlight, a stamp, a comment without text (its author is still recorded), a link
/// (no text), and a second page whose only text is a comment.
fn comments() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let note = writer.objects.len() + 1;
    let popup = note + 1;
    writer.add(&format!(
        "<< /Type /Annot /Subtype /Text /Rect [72 700 90 718] /T (Ivan Petrenko) /M (D:20230405101500+03'00') /Contents {} /Popup {popup} 0 R >>",
        utf16_hex("Перевірити суму: 15 000 EUR")
    ));
    writer.add(&format!(
        "<< /Type /Annot /Subtype /Popup /Rect [100 600 300 700] /Parent {note} 0 R /Contents (Check the amount) >>"
    ));
    let text_box = writer.add(
        "<< /Type /Annot /Subtype /FreeText /Rect [72 500 300 540] /T (Auditor) /RC (<?xml version=\"1.0\"?><body xmlns=\"http://www.w3.org/1999/xhtml\"><p>Paid <b>twice</b>&#160;&amp; not booked</p><p>see ledger</p></body>) >>",
    );
    let highlight = writer.add(
        "<< /Type /Annot /Subtype /Highlight /Rect [72 710 200 725] /T (Auditor) /CreationDate (D:20230406) /Contents (offshore) >>",
    );
    let stamp =
        writer.add("<< /Type /Annot /Subtype /Stamp /Rect [400 700 500 750] /Name /Approved /Contents (APPROVED) >>");
    let silent = writer.add("<< /Type /Annot /Subtype /Ink /Rect [0 0 10 10] /T (Maria Lys) >>");
    let link = writer.add("<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Contents (not a comment) /A << /S /URI /URI (https://example.org/) >> >>");
    let second_page_note = writer
        .add("<< /Type /Annot /Subtype /Text /Rect [72 700 90 718] /Contents (Page two left blank on purpose) >>");
    let catalog = text_pages_with_entries(
        &mut writer,
        &[
            (
                &["Payments to offshore accounts", "Total: 15000 EUR"],
                &format!(
                    "/Annots [{note} 0 R {popup} 0 R {text_box} 0 R {highlight} 0 R {stamp} 0 R {silent} 0 R {link} 0 R]"
                ),
            ),
            (&[], &format!("/Annots [{second_page_note} 0 R]")),
        ],
        "",
    );
    writer.finish(catalog, None)
}

/// A page that draws nothing, whose only words are its bookmarks (as in blank test files that still carry an
/// outline): nested bookmarks, one of them in Cyrillic.
fn blank_page_with_bookmarks() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    // Objects 1..4: outline root, two top-level items, one child; then the page, its tree and the catalog.
    let root = writer.add("<< /Type /Outlines /First 2 0 R /Last 3 0 R /Count 3 >>");
    writer.add("<< /Title (Blank Page) /Parent 1 0 R /Next 3 0 R >>");
    writer.add(&format!("<< /Title {} /Parent 1 0 R /Prev 2 0 R /First 4 0 R /Last 4 0 R >>", utf16_hex("Додаток А")));
    writer.add("<< /Title (Annex A.1 \\(signed copy\\)) /Parent 3 0 R >>");
    let contents = writer.add_stream("", b"");
    let page = writer.add(&format!(
        "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R >>",
        writer.objects.len() + 2
    ));
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R /Outlines {root} 0 R >>"));
    writer.finish(catalog, None)
}

/// Hostile structures that must end, not loop: a form field whose /Kids lead back to itself, an outline whose
/// /Next points back to the first bookmark, and an /Annots array longer than the per-page bound (every entry
/// the same annotation, which has an author and no text).
fn hostile_cycles() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    // 1: field "loop" with kid 2; 2: field "inner" (with a value) whose kids are 1 and 3; 3: field "leaf".
    writer.add("<< /T (loop) /Kids [2 0 R] >>");
    writer.add("<< /T (inner) /FT /Tx /Kids [1 0 R 3 0 R] >>");
    writer.add("<< /T (leaf) /FT /Tx /V (still read) /Parent 2 0 R >>");
    // 4: outline root; 5 and 6: bookmarks, 6's /Next is 5 again.
    writer.add("<< /Type /Outlines /First 5 0 R >>");
    writer.add("<< /Title (First bookmark) /Next 6 0 R >>");
    writer.add("<< /Title (Second bookmark) /Next 5 0 R >>");
    let annotation = writer.add("<< /Type /Annot /Subtype /Square /Rect [0 0 10 10] /T (Spammer) >>");
    let annots: Vec<String> = (0..2001).map(|_| format!("{annotation} 0 R")).collect();
    let annots = writer.add(&format!("[{}]", annots.join(" ")));
    let catalog = text_pages_with_entries(
        &mut writer,
        &[(&["A page with hostile structures."], &format!("/Annots {annots} 0 R"))],
        "/AcroForm << /Fields [1 0 R] >> /Outlines 4 0 R",
    );
    writer.finish(catalog, None)
}

/// An XFA form (the data packet of an Adobe LiveCycle form): values in the datasets packet, one of them also
/// an AcroForm field value (shown once), with an entity, Cyrillic text in UTF-8 and an empty element.
fn xfa_form() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let datasets = "<xfa:datasets xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\"><xfa:data><form1><Company>Acme &amp; Sons</Company><Director>Олег Бондар</Director><Empty/><Row><Amount>250000</Amount></Row></form1></xfa:data></xfa:datasets>";
    let template = writer.add_stream("", b"<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\"><subform name=\"form1\"><field name=\"Company\"/></subform></template>");
    let data = writer.add_stream("", datasets.as_bytes());
    let field = writer.add("<< /FT /Tx /T (form1[0].Company[0]) /V (Acme & Sons) >>");
    let catalog = text_pages(
        &mut writer,
        &[&["Declaration of assets"]],
        &format!("/AcroForm << /Fields [{field} 0 R] /XFA [(template) {template} 0 R (datasets) {data} 0 R] >>"),
    );
    writer.finish(catalog, None)
}

/// A page whose content only paints a grey frame, with a stamp whose appearance stream draws large words and
/// which has no /Contents: the words are on the page as a reader sees it, so OCR must render annotations too.
fn stamp_appearance_only() -> Vec<u8> {
    let mut writer = PdfWriter::new();
    let font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
    let appearance = writer.add_stream(
        &format!("/Type /XObject /Subtype /Form /BBox [0 0 400 80] /Resources << /Font << /F1 {font} 0 R >> >>"),
        b"BT /F1 40 Tf 10 25 Td (CONFIDENTIAL) Tj ET",
    );
    let stamp = writer
        .add(&format!("<< /Type /Annot /Subtype /Stamp /Rect [100 500 500 580] /F 4 /AP << /N {appearance} 0 R >> >>"));
    let contents = writer.add_stream("", b"0.5 g 50 50 512 692 re 4 w S");
    let page = writer.add(&format!(
        "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R /Annots [{stamp} 0 R] >>",
        writer.objects.len() + 2
    ));
    let pages = writer.add(&format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    let catalog = writer.add(&format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    writer.finish(catalog, None)
}

fn qpdf(args: &[&str]) -> bool {
    println!("  qpdf {}", args.join(" "));
    match Command::new("qpdf").args(args).status() {
        // qpdf exits 3 for "succeeded with warnings".
        Ok(status) => matches!(status.code(), Some(0 | 3)),
        Err(_) => false,
    }
}

fn main() {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/pdf");
    std::fs::create_dir_all(&dir).expect("test_data/pdf can be created");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.join(name), bytes).expect("fixture is writable");
        println!("wrote {name} ({} bytes)", bytes.len());
    };
    let two_pages = two_pages_with_info();
    write("0001_two_pages_info.pdf", &two_pages);
    write("0002_cyrillic_tounicode.pdf", &cyrillic_with_tounicode());
    // Cut inside the second page's objects, before the cross-reference table.
    write("0003_truncated.pdf", &two_pages[..two_pages.len() * 2 / 3]);
    write("0006_empty.pdf", b"");
    write("0007_not_a_pdf.pdf", b"This is a plain text file that only pretends to be a PDF.\n");
    write("0008_attachment.pdf", &with_attachment());
    write("0009_incremental_update.pdf", &incremental_update());
    write("0010_garbage_content_page.pdf", &garbage_content_page());
    write("0011_junk_before_header.pdf", &[b"\xEF\xBB\xBF".as_slice(), &two_pages].concat());
    write(
        "0012_scanned_page.pdf",
        &scanned_page(&["Invoice 2041 for consulting", "Paid to Acme Holdings", "Amount: 15000 EUR"], None, false),
    );
    write(
        "0013_scan_with_page_number_and_blank_page.pdf",
        &scanned_page(&["Minutes of the board meeting", "Loan approved for Orion"], Some("7"), true),
    );
    write("0014_huge_scanned_page.pdf", &huge_scanned_page());
    write("0015_form_fields.pdf", &form_fields());
    write("0016_comments.pdf", &comments());
    write("0017_blank_page_with_bookmarks.pdf", &blank_page_with_bookmarks());
    write("0018_hostile_cycles.pdf", &hostile_cycles());
    write("0019_xfa_form.pdf", &xfa_form());
    write("0020_stamp_appearance_only.pdf", &stamp_appearance_only());
    write("0021_jbig2_bomb.pdf", &jbig2_bomb());
    write("0022_operators_in_text_arrays.pdf", &operators_in_text_arrays());
    write("0024_encrypted_attachment_only.pdf", &encrypted_attachment_only());

    // Encrypted fixtures, by qpdf from the first fixture. --static-id and --static-aes-iv are qpdf's options for
    // reproducible output.
    let plain = dir.join("0001_two_pages_info.pdf");
    let plain = plain.to_str().expect("fixture path is UTF-8");
    let user_password = dir.join("0004_encrypted_user_password.pdf");
    let empty_user_password = dir.join("0005_encrypted_empty_user_password.pdf");
    let aes256_empty_user_password = dir.join("0023_aes256_empty_user_password.pdf");
    println!("encrypting with:");
    let made = qpdf(&[
        "--static-id",
        "--static-aes-iv",
        "--encrypt",
        "secret",
        "owner-secret",
        "128",
        "--use-aes=y",
        "--",
        plain,
        user_password.to_str().expect("UTF-8 path"),
    ]) && qpdf(&[
        "--static-id",
        "--static-aes-iv",
        "--encrypt",
        "",
        "owner-secret",
        "128",
        "--use-aes=y",
        "--",
        plain,
        empty_user_password.to_str().expect("UTF-8 path"),
    ]) && qpdf(&[
        "--static-id",
        "--static-aes-iv",
        "--encrypt",
        "",
        "owner-secret",
        "256",
        "--",
        plain,
        aes256_empty_user_password.to_str().expect("UTF-8 path"),
    ]);
    if !made {
        println!("qpdf is not installed (apt-get install -y qpdf): encrypted fixtures skipped");
    }
}
