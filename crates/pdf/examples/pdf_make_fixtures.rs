//! Writes the golden-test PDFs in `test_data/pdf/` (run from anywhere: `cargo run -p dossier-pdf --example
//! make_fixtures`). Every file is built here byte by byte with a tiny PDF writer, except the encrypted ones,
//! which `qpdf` (Debian package `qpdf`, `apt-get install -y qpdf`) makes from a generated file with the exact
//! commands printed below; without qpdf those two are skipped with a message.

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
    let font = writer.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    // Page objects refer to their parent, so the page tree's number is reserved first: it comes right after
    // the pages and their content streams.
    let pages_number = writer.objects.len() + pages.len() * 2 + 1;
    let mut kids = Vec::new();
    for lines in pages {
        let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
        for line in lines.iter() {
            content.push_str(&format!("{} Tj T*\n", literal(line)));
        }
        content.push_str("ET");
        let contents = writer.add_stream("", content.as_bytes());
        let page = writer.add(&format!(
            "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
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

    // Encrypted fixtures, by qpdf from the first fixture. --static-id and --static-aes-iv are qpdf's options for
    // reproducible output.
    let plain = dir.join("0001_two_pages_info.pdf");
    let plain = plain.to_str().expect("fixture path is UTF-8");
    let user_password = dir.join("0004_encrypted_user_password.pdf");
    let empty_user_password = dir.join("0005_encrypted_empty_user_password.pdf");
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
    ]);
    if !made {
        println!("qpdf is not installed (apt-get install -y qpdf): encrypted fixtures skipped");
    }
}
