//! Writes the golden-test fixtures under test_data/ (deterministically: fixed timestamps, fixed order).
//! `cargo run -p dossier-office --example office_make_fixtures`, then `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-office`
//! and review the `.expected` files.

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

fn zip_bytes(members: &[(&str, &str)]) -> Vec<u8> {
    let binary: Vec<(&str, &[u8])> = members.iter().map(|(name, content)| (*name, content.as_bytes())).collect();
    zip_binary(&binary)
}

fn zip_binary(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in members {
        let method = if *name == "mimetype" { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let options = SimpleFileOptions::default().compression_method(method).last_modified_time(DateTime::default());
        writer.start_file(*name, options).expect("start member");
        writer.write_all(content).expect("write member");
    }
    writer.finish().expect("finish zip").into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("write fixture");
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;

fn package_rels(main: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#
    )
}

fn rels(entries: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (id, kind, target) in entries {
        out.push_str(&format!(r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#));
    }
    out.push_str("</Relationships>");
    out
}

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Письмо о поставке</dc:title><dc:creator>Иванов И. И.</dc:creator><cp:lastModifiedBy>Петров П. П.</cp:lastModifiedBy><cp:keywords>поставка; договор</cp:keywords><cp:revision>3</cp:revision><dcterms:created>2024-02-01T09:00:00Z</dcterms:created><dcterms:modified>2024-02-02T17:30:00Z</dcterms:modified></cp:coreProperties>"#;
const APP: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Company>ООО «Ромашка»</Company><TotalTime>42</TotalTime><Pages>1</Pages></Properties>"#;
const CUSTOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Номер дела"><vt:lpwstr>А40-12345/2024</vt:lpwstr></property></Properties>"#;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

fn docx_members(comments: &str) -> Vec<(&'static str, String)> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>
<w:p><w:r><w:t>Уважаемый Сергей Викторович!</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Сообщаем, что сумма по договору составляет </w:t></w:r><w:del w:id="1" w:author="Петров П. П." w:date="2024-02-02T17:00:00Z"><w:r><w:delText>1 500 000</w:delText></w:r></w:del><w:ins w:id="2" w:author="Петров П. П." w:date="2024-02-02T17:01:00Z"><w:r><w:t>2 300 000</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> рублей</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:commentRangeStart w:id="0"/><w:r><w:t>.</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Получатель</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ООО «Вектор»</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>ИНН</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>7701234567</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Рисунок 1" descr="Скан платёжного поручения № 17"/><a:graphic><a:graphicData><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="Picture 1" descr="Скан платёжного поручения № 17"/></pic:nvPicPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
<w:p><w:r><w:t>Директор</w:t></w:r><w:r><w:tab/><w:t>И. И. Иванов</w:t></w:r></w:p>
</w:body></w:document>"#
    );
    let header = format!(r#"<w:hdr {W}><w:p><w:r><w:t>ООО «Ромашка», Москва</w:t></w:r></w:p></w:hdr>"#);
    let footer = format!(r#"<w:ftr {W}><w:p><w:r><w:t>Конфиденциально</w:t></w:r></w:p></w:ftr>"#);
    let footnotes = format!(
        r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Без учёта НДС.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", package_rels("word/document.xml")),
        ("word/document.xml", document),
        (
            "word/_rels/document.xml.rels",
            rels(&[
                ("rId1", "header", "header1.xml"),
                ("rId2", "footer", "footer1.xml"),
                ("rId3", "footnotes", "footnotes.xml"),
                ("rId4", "comments", "comments.xml"),
            ]),
        ),
        ("word/header1.xml", header),
        ("word/footer1.xml", footer),
        ("word/footnotes.xml", footnotes),
        ("word/comments.xml", comments.to_string()),
        ("docProps/core.xml", CORE.to_string()),
        ("docProps/app.xml", APP.to_string()),
        ("docProps/custom.xml", CUSTOM.to_string()),
        ("word/embeddings/oleObject1.bin", "embedded object bytes".to_string()),
        ("word/media/image1.png", "not a child".to_string()),
    ]
}

fn as_refs<'a>(members: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    members.iter().map(|(name, content)| (*name, content.as_str())).collect()
}

fn docx(dir: &Path) {
    let comments = format!(
        r#"<w:comments {W}><w:comment w:id="0" w:author="Сидорова А. А." w:date="2024-02-02T12:00:00Z"><w:p><w:r><w:t>Проверить сумму с бухгалтерией</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let letter = zip_bytes(&as_refs(&docx_members(&comments)));
    write(dir, "0001_letter.docx", &letter);
    // Cut inside the later members: the central directory is gone but the document part survives.
    write(dir, "0002_truncated.docx", &letter[..letter.len() * 3 / 4]);
    write(dir, "0003_not_a_zip.docx", "Это не ZIP, а просто текст.\n".as_bytes());
    let without_main: Vec<_> =
        docx_members(&comments).into_iter().filter(|(name, _)| *name != "word/document.xml").collect();
    write(dir, "0004_missing_document.docx", &zip_bytes(&as_refs(&without_main)));
    let broken_comments = docx_members("<w:comments><w:comment w:author=\"X\"><w:p><w:r><w:t>обрыв");
    write(dir, "0005_broken_comments.docx", &zip_bytes(&as_refs(&broken_comments)));
    write(dir, "0006_empty.docx", b"");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0u8; 504]);
    write(dir, "0007_password_protected.docx", &ole);
}

/// A sheet's drawing layer: a text box and a picture with alt text.
const SHEET_DRAWING: &str = r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/></xdr:nvSpPr><xdr:txBody><a:p><a:r><a:t>Оплата через «Вектор», не через банк</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor><xdr:oneCellAnchor><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="Picture 2" descr="Подпись Иванова"/></xdr:nvPicPr></xdr:pic></xdr:oneCellAnchor></xdr:wsDr>"#;

fn xlsx(dir: &Path) {
    let workbook = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="Платежи" sheetId="1" r:id="rId1"/><sheet name="Скрытый" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>"#;
    let workbook_rels = rels(&[
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId2", "worksheet", "worksheets/sheet2.xml"),
        ("rId3", "sharedStrings", "sharedStrings.xml"),
        ("rId4", "styles", "styles.xml"),
    ]);
    let shared = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Дата</t></si><si><t>Получатель</t></si><si><t>Сумма</t></si><si><r><t>ООО </t></r><r><t>«Вектор»</t></r></si><si><t>Откат 10%</t></si></sst>"#;
    let styles = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>"#;
    let sheet1 = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2" s="1"><v>45352</v></c><c r="B2" t="s"><v>3</v></c><c r="C2"><v>2300000</v></c></row>
<row r="3"><c r="A3" s="2"><v>45353.75</v></c><c r="B3" t="inlineStr"><is><t>ИП Сидоров</t></is></c><c r="C3"><f>C2/10</f><v>230000</v></c><c r="D3" t="b"><v>1</v></c></row>
</sheetData></worksheet>"#;
    let sheet1_rels =
        rels(&[("rId1", "comments", "../comments1.xml"), ("rId2", "drawing", "../drawings/drawing1.xml")]);
    let comments = r#"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>Петров П. П.</author></authors><commentList><comment ref="C3" authorId="0"><text><r><t>наличными</t></r></text></comment></commentList></comments>"#;
    let sheet2 = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>4</v></c><c r="XFD1"><v>1</v></c></row></sheetData></worksheet>"#;
    let package_rels = package_rels("xl/workbook.xml");
    let members = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", package_rels.as_str()),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_str()),
        ("xl/sharedStrings.xml", shared),
        ("xl/styles.xml", styles),
        ("xl/worksheets/sheet1.xml", sheet1),
        ("xl/worksheets/_rels/sheet1.xml.rels", sheet1_rels.as_str()),
        ("xl/comments1.xml", comments),
        ("xl/drawings/drawing1.xml", SHEET_DRAWING),
        ("xl/worksheets/sheet2.xml", sheet2),
        ("docProps/core.xml", CORE),
    ];
    write(dir, "0001_payments.xlsx", &zip_bytes(&members));
    let date1904 = workbook.replace("<workbookPr/>", r#"<workbookPr date1904="1"/>"#);
    let mut members_1904 = members;
    members_1904[2].1 = &date1904;
    write(dir, "0002_date1904.xlsx", &zip_bytes(&members_1904));
    let missing_workbook: Vec<_> = members.iter().copied().filter(|(name, _)| *name != "xl/workbook.xml").collect();
    write(dir, "0003_missing_workbook.xlsx", &zip_bytes(&missing_workbook));
}

fn pptx(dir: &Path) {
    let presentation = r#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId1"/></p:sldIdLst></p:presentation>"#;
    // The relationships list the slides in the opposite order: presentation.xml decides.
    let presentation_rels = rels(&[("rId1", "slide", "slides/slide2.xml"), ("rId2", "slide", "slides/slide1.xml")]);
    let slide = |title: &str, body: &str| {
        format!(
            r#"<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{title}</a:t></a:r></a:p></p:txBody></p:sp><p:sp><p:txBody><a:p><a:r><a:t>{body}</a:t></a:r><a:br/><a:r><a:t>вторая строка</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    let slide1 = slide("Схема поставок", "Москва → Кипр");
    let slide2 = slide("Итоги", "Объём: 2,3 млн");
    let slide1_rels = rels(&[("rId1", "notesSlide", "../notesSlides/notesSlide1.xml")]);
    let notes = r#"<p:notes xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Не показывать партнёрам</a:t></a:r></a:p></p:txBody></p:sp><p:sp><p:txBody><a:p><a:fld type="slidenum"><a:t>1</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>"#;
    let package_rels = package_rels("ppt/presentation.xml");
    let members = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", package_rels.as_str()),
        ("ppt/presentation.xml", presentation),
        ("ppt/_rels/presentation.xml.rels", presentation_rels.as_str()),
        ("ppt/slides/slide1.xml", slide1.as_str()),
        ("ppt/slides/_rels/slide1.xml.rels", slide1_rels.as_str()),
        ("ppt/slides/slide2.xml", slide2.as_str()),
        ("ppt/notesSlides/notesSlide1.xml", notes),
    ];
    write(dir, "0001_deck.pptx", &zip_bytes(&members));
}

const ODF_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink""#;

fn odf_meta() -> String {
    format!(
        r#"<office:document-meta {ODF_NS}><office:meta><meta:initial-creator>Иванов И. И.</meta:initial-creator><dc:creator>Петров П. П.</dc:creator><meta:creation-date>2024-02-01T09:00:00</meta:creation-date><dc:date>2024-02-02T17:30:00</dc:date><meta:editing-cycles>3</meta:editing-cycles><meta:editing-duration>PT1H2M</meta:editing-duration><meta:generator>LibreOffice/7.4</meta:generator><dc:title>Письмо о поставке</dc:title><meta:keyword>поставка</meta:keyword><meta:document-statistic meta:page-count="1" meta:word-count="25"/><meta:user-defined meta:name="Номер дела">А40-12345/2024</meta:user-defined></office:meta></office:document-meta>"#
    )
}

fn odf(dir: &Path, name: &str, mimetype: &str, body: &str, styles: &str, manifest_extra: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>{body}</office:document-content>"#
    );
    let manifest = format!(
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry></manifest:manifest>"#
    );
    let styles = format!(r#"<office:document-styles {ODF_NS}>{styles}</office:document-styles>"#);
    let meta = odf_meta();
    let members = [
        ("mimetype", mimetype),
        ("content.xml", content.as_str()),
        ("styles.xml", styles.as_str()),
        ("meta.xml", meta.as_str()),
        ("META-INF/manifest.xml", manifest.as_str()),
        ("Object 1", "embedded OLE bytes"),
    ];
    write(dir, name, &zip_bytes(&members));
}

fn odt(dir: &Path) {
    let body = r#"<office:body><office:text><text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Петров П. П.</dc:creator><dc:date>2024-02-02T17:00:00</dc:date></office:change-info><text:p>1 500 000</text:p></text:deletion></text:changed-region><text:changed-region text:id="ct2"><text:insertion><office:change-info><dc:creator>Петров П. П.</dc:creator><dc:date>2024-02-02T17:01:00</dc:date></office:change-info></text:insertion></text:changed-region></text:tracked-changes>
<text:h text:outline-level="1">Уважаемый Сергей Викторович!</text:h><text:p>Сообщаем, что сумма составляет <text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>2 300 000<text:change-end text:change-id="ct2"/> рублей<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Без учёта НДС.</text:p></text:note-body></text:note>.<office:annotation><dc:creator>Сидорова А. А.</dc:creator><dc:date>2024-02-02T12:00:00</dc:date><text:p>Проверить сумму</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>первый пункт</text:p></text:list-item><text:list-item><text:p>второй<text:tab/>пункт<text:line-break/>с переносом</text:p></text:list-item></text:list>
<text:p>Подпись: <draw:frame draw:name="Image1" text:anchor-type="as-char"><draw:image xlink:href="Pictures/sign.png"/><svg:title>Подпись директора</svg:title><svg:desc>синяя печать</svg:desc></draw:frame></text:p>
<table:table table:name="Реквизиты"><table:table-row><table:table-cell><text:p>Получатель</text:p></table:table-cell><table:table-cell><text:p>ООО <text:span>«Вектор»</text:span></text:p></table:table-cell></table:table-row></table:table></office:text></office:body>"#;
    let styles = r#"<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>ООО «Ромашка», Москва</text:p></style:header><style:footer><text:p>Конфиденциально</text:p></style:footer></style:master-page></office:master-styles>"#;
    odf(dir, "0001_letter.odt", "application/vnd.oasis.opendocument.text", body, styles, "");
    odf(
        dir,
        "0002_encrypted.odt",
        "application/vnd.oasis.opendocument.text",
        "garbage",
        "",
        r#"<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/></manifest:encryption-data>"#,
    );
    odf(
        dir,
        "0003_broken_content.odt",
        "application/vnd.oasis.opendocument.text",
        "<office:body><office:text><text:p>Начало текста</text:p><text:p>обрыв <",
        "",
        "",
    );
}

fn ods(dir: &Path) {
    let body = r#"<office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles><office:body><office:spreadsheet>
<table:table table:name="Платежи" table:style-name="ta1"><table:table-row><table:table-cell office:value-type="string"><text:p>Дата</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Сумма</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16382"/></table:table-row>
<table:table-row><table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>01.03.2024</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="2300000"><text:p>2 300 000</text:p><office:annotation><dc:creator>Петров П. П.</dc:creator><text:p>наличными</text:p></office:annotation></table:table-cell><table:table-cell table:number-columns-repeated="16382"/></table:table-row>
<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>
<table:table table:name="Скрытый" table:style-name="ta2"><table:table-row><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>ИСТИНА</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="string"><text:p>Откат 10%</text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body>"#;
    odf(dir, "0001_payments.ods", "application/vnd.oasis.opendocument.spreadsheet", body, "", "");
}

fn odp(dir: &Path) {
    let page = |name: &str, title: &str, notes: &str| {
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(
                r#"<presentation:notes><draw:page-thumbnail/><draw:frame><draw:text-box><text:p>{notes}</text:p></draw:text-box></draw:frame></presentation:notes>"#
            )
        };
        format!(
            r#"<draw:page draw:name="{name}"><draw:frame><draw:text-box><text:p>{title}</text:p></draw:text-box></draw:frame><draw:frame><draw:text-box><text:list><text:list-item><text:p>пункт на слайде «{title}»</text:p></text:list-item></text:list></draw:text-box></draw:frame>{notes}</draw:page>"#
        )
    };
    let body = format!(
        "<office:body><office:presentation>{}{}</office:presentation></office:body>",
        page("page1", "Схема поставок", "Не показывать партнёрам"),
        page("page2", "Итоги", "")
    );
    odf(dir, "0001_deck.odp", "application/vnd.oasis.opendocument.presentation", &body, "", "");
}

/// One BIFF12 record: type and length as 7-bit varints (low bits first), then the data.
fn record(kind: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut varint = |mut value: usize| loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    };
    varint(kind as usize);
    varint(data.len());
    out.extend_from_slice(data);
    out
}

/// An `XLWideString`: a 32-bit count of UTF-16 units, then the units.
fn wide(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|unit| unit.to_le_bytes()));
    out
}

/// A cell record's data: column, style index, then the value.
fn cell(column: u32, style: u32, value: &[u8]) -> Vec<u8> {
    let mut data = column.to_le_bytes().to_vec();
    data.extend(style.to_le_bytes());
    data.extend_from_slice(value);
    data
}

fn concat(records: &[Vec<u8>]) -> Vec<u8> {
    records.concat()
}

const XLSB_CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>"#;

/// The XLSX fixture's payments workbook again, as BIFF12 records ([MS-XLSB] record numbers in the comments).
fn xlsb_members() -> Vec<(&'static str, Vec<u8>)> {
    let sheet_bundle = |state: u32, tab: u32, relationship: &str, name: &str| {
        let mut data = state.to_le_bytes().to_vec();
        data.extend(tab.to_le_bytes());
        data.extend(wide(relationship));
        data.extend(wide(name));
        record(156, &data) // BrtBundleSh
    };
    let workbook = concat(&[
        record(131, &[]),      // BrtBeginBook
        record(153, &[0; 12]), // BrtWbProp, date1904 off
        record(143, &[]),      // BrtBeginBundleShs
        sheet_bundle(0, 1, "rId1", "Платежи"),
        sheet_bundle(1, 2, "rId2", "Скрытый"),
        record(144, &[]), // BrtEndBundleShs
        record(132, &[]), // BrtEndBook
    ]);
    let workbook_rels = rels(&[
        ("rId1", "worksheet", "worksheets/sheet1.bin"),
        ("rId2", "worksheet", "worksheets/sheet2.bin"),
        ("rId3", "sharedStrings", "sharedStrings.bin"),
        ("rId4", "styles", "styles.bin"),
    ]);
    let item = |text: &str| {
        let mut data = vec![0u8];
        data.extend(wide(text));
        record(19, &data) // BrtSSTItem
    };
    let shared = concat(&[
        record(159, &[0; 8]), // BrtBeginSst
        item("Дата"),
        item("Получатель"),
        item("Сумма"),
        item("ООО «Вектор»"),
        item("Откат 10%"),
        record(160, &[]), // BrtEndSst
    ]);
    let number_format = {
        let mut data = 164u16.to_le_bytes().to_vec();
        data.extend(wide("dd/mm/yyyy\\ hh:mm"));
        record(44, &data) // BrtFmt
    };
    let xf = |format: u16| {
        let mut data = 0u16.to_le_bytes().to_vec();
        data.extend(format.to_le_bytes());
        data.extend([0u8; 12]);
        record(47, &data) // BrtXF
    };
    let styles = concat(&[
        record(278, &[]),                 // BrtBeginStyleSheet
        record(615, &1u32.to_le_bytes()), // BrtBeginFmts
        number_format,
        record(616, &[]),
        record(626, &1u32.to_le_bytes()), // BrtBeginCellStyleXFs: a style format that must not count
        xf(14),
        record(627, &[]),
        record(617, &3u32.to_le_bytes()), // BrtBeginCellXFs
        xf(0),
        xf(14),
        xf(164),
        record(618, &[]),
        record(279, &[]),
    ]);
    let row = |index: u32| record(0, &[index.to_le_bytes().to_vec(), vec![0; 13]].concat()); // BrtRowHdr
    let rk_integer = |value: i32| ((value << 2) | 2) as u32;
    let sheet1 = concat(&[
        record(129, &[]), // BrtBeginSheet
        record(145, &[]), // BrtBeginSheetData
        row(0),
        record(7, &cell(0, 0, &0u32.to_le_bytes())), // BrtCellIsst
        record(7, &cell(1, 0, &1u32.to_le_bytes())),
        record(7, &cell(2, 0, &2u32.to_le_bytes())),
        row(1),
        record(2, &cell(0, 1, &rk_integer(45352).to_le_bytes())), // BrtCellRk, date style
        record(7, &cell(1, 0, &3u32.to_le_bytes())),
        record(5, &cell(2, 0, &2_300_000f64.to_le_bytes())), // BrtCellReal
        row(2),
        record(5, &cell(0, 2, &45353.75f64.to_le_bytes())),
        record(6, &cell(1, 0, &wide("ИП Сидоров"))), // BrtCellSt
        record(9, &cell(2, 0, &[230_000f64.to_le_bytes().to_vec(), vec![0; 6]].concat())), // BrtFmlaNum
        record(4, &cell(3, 0, &[1])),                // BrtCellBool
        record(3, &cell(4, 0, &[0x07])),             // BrtCellError #DIV/0!
        row(3),
        record(2, &cell(0, 0, &(((1234 << 2) | 3) as u32).to_le_bytes())), // RK of 12.34 (hundredths)
        record(1, &cell(1, 0, &[])),                                       // BrtCellBlank
        record(146, &[]),
        record(130, &[]),
    ]);
    let sheet1_rels =
        rels(&[("rId1", "comments", "../comments1.bin"), ("rId2", "drawing", "../drawings/drawing1.xml")]);
    let comment = {
        let mut data = 0u32.to_le_bytes().to_vec(); // author index
        for value in [2u32, 2, 2, 2] {
            data.extend(value.to_le_bytes()); // rows and columns of C3
        }
        data.extend([0u8; 16]);
        record(635, &data) // BrtBeginComment
    };
    let comment_text = {
        let mut data = vec![0u8];
        data.extend(wide("наличными"));
        record(637, &data) // BrtCommentText
    };
    let comments = concat(&[
        record(628, &[]),
        record(630, &[]),
        record(632, &wide("Петров П. П.")), // BrtCommentAuthor
        record(631, &[]),
        record(633, &[]),
        comment,
        comment_text,
        record(636, &[]),
        record(634, &[]),
        record(629, &[]),
    ]);
    let sheet2 = concat(&[
        record(129, &[]),
        record(145, &[]),
        row(0),
        record(7, &cell(0, 0, &4u32.to_le_bytes())),
        record(2, &cell(16383, 0, &rk_integer(1).to_le_bytes())),
        record(146, &[]),
        record(130, &[]),
    ]);
    vec![
        ("[Content_Types].xml", XLSB_CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels", package_rels("xl/workbook.bin").into_bytes()),
        ("xl/workbook.bin", workbook),
        ("xl/_rels/workbook.bin.rels", workbook_rels.into_bytes()),
        ("xl/sharedStrings.bin", shared),
        ("xl/styles.bin", styles),
        ("xl/worksheets/sheet1.bin", sheet1),
        ("xl/worksheets/_rels/sheet1.bin.rels", sheet1_rels.into_bytes()),
        ("xl/comments1.bin", comments),
        ("xl/drawings/drawing1.xml", SHEET_DRAWING.as_bytes().to_vec()),
        ("xl/worksheets/sheet2.bin", sheet2),
        ("docProps/core.xml", CORE.as_bytes().to_vec()),
    ]
}

fn xlsb_zip(members: &[(&'static str, Vec<u8>)]) -> Vec<u8> {
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(name, content)| (*name, content.as_slice())).collect();
    zip_binary(&refs)
}

fn xlsb(dir: &Path) {
    let members = xlsb_members();
    write(dir, "0001_payments.xlsb", &xlsb_zip(&members));
    // A sheet cut inside a record: the rows before the cut are kept and the document is partial.
    let mut cut = members.clone();
    if let Some((_, sheet)) = cut.iter_mut().find(|(name, _)| *name == "xl/worksheets/sheet1.bin") {
        let keep = sheet.len() - 27;
        sheet.truncate(keep);
    }
    write(dir, "0002_cut_record.xlsb", &xlsb_zip(&cut));
    let without_workbook: Vec<_> = members.iter().filter(|(name, _)| *name != "xl/workbook.bin").cloned().collect();
    write(dir, "0003_missing_workbook.xlsb", &xlsb_zip(&without_workbook));
    // A record whose length field claims far more than the part holds.
    let mut lying = members;
    if let Some((_, sheet)) = lying.iter_mut().find(|(name, _)| *name == "xl/worksheets/sheet2.bin") {
        sheet.extend([0x06, 0xff, 0xff, 0xff, 0x7f]);
    }
    write(dir, "0004_lying_record_length.xlsb", &xlsb_zip(&lying));
}

/// Password-protected OOXML, encrypted by msoffcrypto-tool (ECMA-376 Agile, AES-256, SHA-512; an implementation
/// independent of the reader's), installed in a throwaway venv:
///   python3 -m venv /tmp/officecrypto-venv && /tmp/officecrypto-venv/bin/pip install msoffcrypto-tool
///   MSOFFCRYPTO_TOOL=/tmp/officecrypto-venv/bin/msoffcrypto-tool cargo run -p dossier-office --example office_make_fixtures
/// The tool runs `msoffcrypto-tool -e -p PASSWORD plain.docx encrypted.docx`. Its salts are random, so the bytes
/// differ on each run but the decrypted content (and so the golden dumps) do not. Without the tool, the existing
/// encrypted fixtures are left as they are.
fn encrypted(dir: &Path) {
    let Some(tool) = std::env::var_os("MSOFFCRYPTO_TOOL") else {
        println!("MSOFFCRYPTO_TOOL not set: encrypted fixtures left as they are");
        return;
    };
    let scratch = std::env::temp_dir().join(format!("office-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let encrypt = |plain: &[u8], password: &str, name: &str| {
        let plain_path = scratch.join(format!("plain-{name}"));
        std::fs::write(&plain_path, plain).expect("write plain package");
        let status = std::process::Command::new(&tool)
            .arg("-e")
            .arg("-p")
            .arg(password)
            .arg(&plain_path)
            .arg(dir.join(name))
            .status()
            .expect("run msoffcrypto-tool");
        assert!(status.success(), "msoffcrypto-tool failed on {name}");
    };
    let comments = format!(
        r#"<w:comments {W}><w:comment w:id="0" w:author="Сидорова А. А." w:date="2024-02-02T12:00:00Z"><w:p><w:r><w:t>Проверить сумму с бухгалтерией</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let letter = zip_bytes(&as_refs(&docx_members(&comments)));
    // A Cyrillic password: the key derivation hashes it as UTF-16.
    encrypt(&letter, "пароль-2024", "0001_letter_password.docx");
    // Excel's default password: the workbook was only protected against writing, any reader opens it. The
    // package gets an incompressible 6 KB filler part: msoffcrypto-tool writes streams under 4096 bytes into a
    // mini stream it cuts short (olefile reads 1472 of 2952 bytes back), which makes the next fixture instead.
    let mut padded = xlsb_members();
    let mut state = 0x2545_f491_u32;
    let filler: Vec<u8> = (0..6144)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    padded.push(("xl/printerSettings/printerSettings1.bin", filler));
    encrypt(&xlsb_zip(&padded), "VelvetSweatshop", "0002_write_protected.xlsb");
    encrypt(&xlsb_zip(&xlsb_members()), "VelvetSweatshop", "0004_short_mini_stream.xlsb");
    std::fs::remove_dir_all(&scratch).expect("remove scratch folder");
    hostile_size(dir);
}

/// Copies the write-protected workbook with the plain size field of `EncryptedPackage` set to 2^63: the reader
/// must refuse it by the limit instead of allocating by it.
fn hostile_size(dir: &Path) {
    use std::io::{Seek, SeekFrom};
    let source = dir.join("0002_write_protected.xlsb");
    let target = dir.join("0003_hostile_package_size.xlsb");
    std::fs::copy(&source, &target).expect("copy encrypted fixture");
    let mut compound = cfb::open_rw(&target).expect("open compound file");
    let mut stream = compound.open_stream("/EncryptedPackage").expect("EncryptedPackage stream");
    assert!(stream.len() > 8, "EncryptedPackage holds its size field");
    stream.seek(SeekFrom::Start(0)).expect("seek");
    stream.write_all(&(1u64 << 63).to_le_bytes()).expect("patch size");
    drop(stream);
    compound.flush().expect("flush compound file");
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data");
    for (format, make) in [
        ("docx", docx as fn(&Path)),
        ("xlsx", xlsx),
        ("xlsb", xlsb),
        ("pptx", pptx),
        ("odt", odt),
        ("ods", ods),
        ("odp", odp),
        ("ooxml-encrypted", encrypted),
    ] {
        let dir = root.join(format);
        std::fs::create_dir_all(&dir).expect("create fixture folder");
        make(&dir);
    }
    println!("fixtures written under {}", root.display());
}
