//! Writes the golden-test fixtures of dossier-ebook into `test_data/` (deterministically: fixed ZIP timestamps).
//! `cargo run -p dossier-ebook --example ebook_make_fixtures`, then `DOSSIER_UPDATE_GOLDEN=1 cargo test -p
//! dossier-ebook` and review the `.expected` files.

use std::io::Write;
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

fn write(format: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format);
    std::fs::create_dir_all(&dir).expect("create the fixture folder");
    std::fs::write(dir.join(name), bytes).expect("write a fixture");
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let time = DateTime::from_date_and_time(2024, 1, 2, 3, 4, 6).expect("a valid date");
    for (name, content) in members {
        let method = if *name == "mimetype" { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let options = SimpleFileOptions::default().compression_method(method).last_modified_time(time);
        writer.start_file(*name, options).expect("start a member");
        writer.write_all(content).expect("write a member");
    }
    writer.finish().expect("finish the ZIP").into_inner()
}

const CONTAINER: &[u8] = br#"<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"#;

const OPF: &[u8] = r#"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>Отчёт о проверке</dc:title>
    <dc:creator>Анна Ковальчук</dc:creator>
    <dc:creator>John Doe</dc:creator>
    <dc:language>ru</dc:language>
    <dc:date>2021-06-30</dc:date>
    <dc:publisher>Независимое издательство</dc:publisher>
    <dc:identifier id="id">urn:isbn:9780000000002</dc:identifier>
    <dc:description>&lt;p&gt;Расследование о &lt;b&gt;закупках&lt;/b&gt;.&lt;/p&gt;</dc:description>
  </metadata>
  <manifest>
    <item id="ch1" href="Text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="Text/chapter2.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover" href="Images/cover.png" media-type="image/png"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine><itemref idref="ch2"/><itemref idref="ch1"/></spine>
</package>"#
    .as_bytes();

const CHAPTER_ONE: &[u8] = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Глава 1</title><style>p { color: red }</style></head>
<body><h1>Глава первая</h1><p>Компания &#171;Ромашка&#187; получила контракт.</p><img src="../Images/cover.png" alt=""/></body></html>"#
    .as_bytes();

const CHAPTER_TWO: &[u8] = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Глава 2</title></head>
<body><h1>Пролог</h1><p>Это глава, которая стоит первой в spine.</p><p>Second paragraph in English.</p></body></html>"#
    .as_bytes();

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not really an image";

fn main() {
    write(
        "epub",
        "0001_spine_order.epub",
        &zip(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", OPF),
            ("OEBPS/Text/chapter 1.xhtml", CHAPTER_ONE),
            ("OEBPS/Text/chapter2.xhtml", CHAPTER_TWO),
            ("OEBPS/Images/cover.png", PNG),
        ]),
    );
    let encryption = br#"<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
    <enc:CipherData><enc:CipherReference URI="OEBPS/Text/chapter%201.xhtml"/></enc:CipherData></enc:EncryptedData>
  <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
    <enc:CipherData><enc:CipherReference URI="OEBPS/Text/chapter2.xhtml"/></enc:CipherData></enc:EncryptedData>
</encryption>"#;
    let scrambled: Vec<u8> = (0..400u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    write(
        "epub",
        "0002_drm.epub",
        &zip(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            ("META-INF/encryption.xml", encryption),
            ("META-INF/rights.xml", b"<rights/>"),
            ("OEBPS/content.opf", OPF),
            ("OEBPS/Text/chapter 1.xhtml", &scrambled),
            ("OEBPS/Text/chapter2.xhtml", &scrambled),
        ]),
    );
    // Font obfuscation is listed in encryption.xml too, but it is not DRM: the chapters stay readable.
    let obfuscation = br#"<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>
    <enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData></enc:EncryptedData></encryption>"#;
    write(
        "epub",
        "0003_font_obfuscation_only.epub",
        &zip(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            ("META-INF/encryption.xml", obfuscation),
            ("OEBPS/content.opf", OPF),
            ("OEBPS/Text/chapter 1.xhtml", CHAPTER_ONE),
            ("OEBPS/Text/chapter2.xhtml", CHAPTER_TWO),
            ("OEBPS/font.otf", b"obfuscated"),
        ]),
    );
    // No container.xml and a chapter missing: the OPF is found by its extension, the missing chapter diagnosed.
    write(
        "epub",
        "0004_no_container_missing_chapter.epub",
        &zip(&[
            ("mimetype", b"application/epub+zip"),
            ("OEBPS/content.opf", OPF),
            ("OEBPS/Text/chapter2.xhtml", CHAPTER_TWO),
        ]),
    );
    let whole = zip(&[
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", CONTAINER),
        ("OEBPS/content.opf", OPF),
        ("OEBPS/Text/chapter 1.xhtml", CHAPTER_ONE),
        ("OEBPS/Text/chapter2.xhtml", CHAPTER_TWO),
    ]);
    write("epub", "0005_truncated.epub", &whole[..whole.len() / 2]);
    write("epub", "0006_empty.epub", b"");
    write("epub", "0007_not_zip.epub", b"This is plain text, not an EPUB.\n");

    let fb2 = r##"<?xml version="1.0" encoding="windows-1251"?>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0" xmlns:l="http://www.w3.org/1999/xlink">
<description>
 <title-info>
  <genre>prose_contemporary</genre>
  <author><first-name>Фёдор</first-name><middle-name>Михайлович</middle-name><last-name>Достоевский</last-name></author>
  <book-title>Бедные люди</book-title>
  <annotation><p>Первый роман писателя.</p><p>Роман в письмах.</p></annotation>
  <date value="1846-01-15">1846</date>
  <lang>ru</lang>
 </title-info>
 <document-info><author><nickname>scanner</nickname></author><program-used>Test</program-used></document-info>
 <publish-info><publisher>Эксмо</publisher><year>2005</year></publish-info>
</description>
<body>
 <title><p>Бедные люди</p></title>
 <epigraph><p>Ох уж эти мне сказочники!</p><text-author>Кн. В. Ф. Одоевский</text-author></epigraph>
 <section>
  <title><p>Апреля 8</p></title>
  <p>Бесценная моя <emphasis>Варвара</emphasis> Алексеевна!<a l:href="#n1" type="note">[1]</a></p>
  <empty-line/>
  <poem><stanza><v>Строка стиха первая,</v><v>строка вторая.</v></stanza></poem>
  <p>Ваш истинный друг &amp; покорный слуга</p>
 </section>
</body>
<body name="notes">
 <section id="n1"><title><p>1</p></title><p>Примечание к письму.</p></section>
</body>
<binary id="cover.jpg" content-type="image/jpeg">/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUV</binary>
</FictionBook>
"##;
    let (cp1251, _, unmappable) = encoding_rs::WINDOWS_1251.encode(fb2);
    assert!(!unmappable);
    write("fb2", "0001_windows_1251.fb2", &cp1251);
    write(
        "fb2",
        "0002_utf8_truncated.fb2",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FictionBook><description><title-info><book-title>Обрыв</book-title>\
         </title-info></description><body><section><p>Этот абзац дочитан.</p><p>А этот обрыва"
            .as_bytes(),
    );
    write("fb2", "0003_empty.fb2", b"");
    write("fb2", "0004_not_xml.fb2", b"\x00\x01\x02 binary <<< not xml");
}
