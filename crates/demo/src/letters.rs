//! Official letters as DOCX: letterhead, outgoing number, addressee, body, signatory and a footer that says the
//! letter is fictional.
//!
//! The markup is the small subset of WordprocessingML that real letters use (paragraph alignment, indents, bold,
//! a tab stop for the signature line, a footer part), so that readers meet the usual structure rather than a toy.

use crate::error::DemoError;
use crate::ooxml::{self, DocumentProperties, Relationship, XML_DECLARATION, escape_xml};

/// One letter of the story; the texts themselves are constants in `story.rs`.
#[derive(Debug, Clone, Copy)]
pub struct Letter {
    /// Where the letter lands inside the collection (`/`-separated).
    pub relative_path: &'static str,
    /// Name of the sending body and its contact lines, printed centred at the top.
    pub letterhead: &'static [&'static str],
    /// Outgoing number and date, e.g. "Исх. № 14-07/2231 от 12.03.2024".
    pub reference: &'static str,
    /// Addressee block, printed in the right half of the page as Russian business letters do.
    pub addressee: &'static [&'static str],
    /// A mark such as "СРОЧНО" above the subject line, if any.
    pub urgency: Option<&'static str>,
    pub subject: &'static str,
    pub salutation: &'static str,
    pub body: &'static [&'static str],
    pub signatory_position: &'static str,
    pub signatory_name: &'static str,
    /// The "Исп.:" line naming who drafted the letter.
    pub drafted_by: &'static str,
    pub footer: &'static str,
    pub properties: DocumentProperties,
}

const WORDPROCESSING_NAMESPACES: &str = concat!(
    " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
);
const RELATIONSHIP_STYLES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";
const RELATIONSHIP_FOOTER: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer";
/// Twips from the left margin where the addressee block starts (about 9 cm).
const ADDRESSEE_INDENT: u32 = 5103;
/// Right edge of the text area on A4 with the usual Russian margins (3 cm left, 1.5 cm right), in twips.
const SIGNATURE_TAB_POSITION: u32 = 9355;

/// Renders a letter as the bytes of a DOCX file.
pub fn render_docx(letter: &Letter) -> Result<Vec<u8>, DemoError> {
    let content_types = ooxml::content_types_xml(&[
        ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
        ("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
        ("/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"),
    ]);
    let document_relationships = ooxml::relationships_xml(&[
        Relationship { id: "rId1", kind: RELATIONSHIP_STYLES, target: "styles.xml" },
        Relationship { id: "rId2", kind: RELATIONSHIP_FOOTER, target: "footer1.xml" },
    ]);
    let parts = [
        ("_rels/.rels", ooxml::package_relationships_xml("word/document.xml")),
        ("word/document.xml", document_xml(letter)),
        ("word/_rels/document.xml.rels", document_relationships),
        ("word/styles.xml", styles_xml(letter.properties.language)),
        ("word/footer1.xml", footer_xml(letter.footer)),
        ("docProps/core.xml", ooxml::core_properties_xml(&letter.properties)),
        ("docProps/app.xml", ooxml::extended_properties_xml(&letter.properties)),
    ];
    ooxml::write_package(letter.relative_path, &content_types, &parts, letter.properties.modified)
}

/// Paragraph look, kept apart from the text so that `document_xml` reads like the letter's layout.
#[derive(Default, Clone, Copy)]
struct ParagraphStyle {
    alignment: Option<&'static str>,
    bold: bool,
    half_point_size: Option<u32>,
    left_indent: Option<u32>,
    first_line_indent: Option<u32>,
    bottom_border: bool,
}

fn document_xml(letter: &Letter) -> String {
    let centred_bold = ParagraphStyle { alignment: Some("center"), bold: true, ..ParagraphStyle::default() };
    let mut body = String::new();
    let letterhead_last = letter.letterhead.len().saturating_sub(1);
    for (index, line) in letter.letterhead.iter().enumerate() {
        let style = if index == 0 {
            ParagraphStyle { half_point_size: Some(28), ..centred_bold }
        } else {
            ParagraphStyle { bold: false, half_point_size: Some(20), ..centred_bold }
        };
        body.push_str(&paragraph(line, ParagraphStyle { bottom_border: index == letterhead_last, ..style }));
    }
    body.push_str(&paragraph("", ParagraphStyle::default()));
    body.push_str(&paragraph(letter.reference, ParagraphStyle::default()));
    for line in letter.addressee {
        body.push_str(&paragraph(line, ParagraphStyle { left_indent: Some(ADDRESSEE_INDENT), ..Default::default() }));
    }
    body.push_str(&paragraph("", ParagraphStyle::default()));
    if let Some(urgency) = letter.urgency {
        body.push_str(&paragraph(urgency, ParagraphStyle { bold: true, ..Default::default() }));
    }
    body.push_str(&paragraph(letter.subject, ParagraphStyle { bold: true, ..Default::default() }));
    body.push_str(&paragraph("", ParagraphStyle::default()));
    body.push_str(&paragraph(letter.salutation, ParagraphStyle { alignment: Some("center"), ..Default::default() }));
    for text in letter.body {
        body.push_str(&paragraph(
            text,
            ParagraphStyle { alignment: Some("both"), first_line_indent: Some(709), ..Default::default() },
        ));
    }
    body.push_str(&paragraph("", ParagraphStyle::default()));
    body.push_str(&signature_paragraph(letter.signatory_position, letter.signatory_name));
    body.push_str(&paragraph("", ParagraphStyle::default()));
    body.push_str(&paragraph(letter.drafted_by, ParagraphStyle { half_point_size: Some(18), ..Default::default() }));

    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<w:document{WORDPROCESSING_NAMESPACES}><w:body>"));
    xml.push_str(&body);
    // A4 with the margins of Russian office-work standards; the footer carries the fiction notice on every page.
    xml.push_str(concat!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/>",
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
        "<w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\"",
        " w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>"
    ));
    xml.push_str("</w:body></w:document>");
    xml
}

fn paragraph(text: &str, style: ParagraphStyle) -> String {
    let mut properties = String::new();
    if style.bottom_border {
        properties
            .push_str("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>");
    }
    if style.left_indent.is_some() || style.first_line_indent.is_some() {
        properties.push_str("<w:ind");
        if let Some(left) = style.left_indent {
            properties.push_str(&format!(" w:left=\"{left}\""));
        }
        if let Some(first_line) = style.first_line_indent {
            properties.push_str(&format!(" w:firstLine=\"{first_line}\""));
        }
        properties.push_str("/>");
    }
    if let Some(alignment) = style.alignment {
        properties.push_str(&format!("<w:jc w:val=\"{alignment}\"/>"));
    }
    let mut xml = String::from("<w:p>");
    if !properties.is_empty() {
        xml.push_str(&format!("<w:pPr>{properties}</w:pPr>"));
    }
    if !text.is_empty() {
        xml.push_str(&run(text, style.bold, style.half_point_size));
    }
    xml.push_str("</w:p>");
    xml
}

fn run(text: &str, bold: bool, half_point_size: Option<u32>) -> String {
    let mut run_properties = String::new();
    if bold {
        run_properties.push_str("<w:b/>");
    }
    if let Some(size) = half_point_size {
        run_properties.push_str(&format!("<w:sz w:val=\"{size}\"/>"));
    }
    let run_properties =
        if run_properties.is_empty() { String::new() } else { format!("<w:rPr>{run_properties}</w:rPr>") };
    format!("<w:r>{run_properties}<w:t xml:space=\"preserve\">{}</w:t></w:r>", escape_xml(text))
}

/// Position on the left, name flush right, separated by a tab as typists do it (not by spaces).
fn signature_paragraph(position: &str, name: &str) -> String {
    format!(
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"{SIGNATURE_TAB_POSITION}\"/></w:tabs></w:pPr>{}<w:r><w:tab/></w:r>{}</w:p>",
        run(position, false, None),
        run(name, false, None)
    )
}

fn styles_xml(language: &str) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<w:styles{WORDPROCESSING_NAMESPACES}>"));
    xml.push_str(&format!(
        concat!(
            "<w:docDefaults><w:rPrDefault><w:rPr>",
            "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>",
            "<w:sz w:val=\"26\"/><w:lang w:val=\"{}\"/>",
            "</w:rPr></w:rPrDefault>",
            "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>",
            "</w:docDefaults>"
        ),
        escape_xml(language)
    ));
    xml.push_str(
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>",
    );
    xml.push_str("</w:styles>");
    xml
}

fn footer_xml(footer: &str) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<w:ftr{WORDPROCESSING_NAMESPACES}>"));
    xml.push_str(&format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:i/><w:sz w:val=\"16\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape_xml(footer)
    ));
    xml.push_str("</w:ftr>");
    xml
}
