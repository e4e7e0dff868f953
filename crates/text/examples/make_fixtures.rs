//! Writes the golden-test fixtures in `test_data/{text,html,xml}/`: small texts written for this project, encoded
//! into the charsets leaks arrive in. Deterministic: `cargo run -p dossier-text --example make_fixtures`.
//! The `.expected` files beside them are written by `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-text` and
//! checked by eye.

use std::path::Path;

use encoding_rs::{Encoding, IBM866, KOI8_R, KOI8_U, WINDOWS_1251, WINDOWS_1252};

const RUSSIAN: &str = "Служебная записка\n\nДовожу до вашего сведения, что поставка оборудования \
по договору 17/2019 задерживается. Счёт оплачен полностью, акт приёмки не подписан.\n";
const UKRAINIAN: &str = "Доповідна записка\n\nПовідомляю, що ґрунтові роботи на об'єкті в Києві \
зупинено. Їхній підрядник не з'явився, кошти перераховано заздалегідь.\n";

fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "the fixture text fits {}", encoding.name());
    bytes.into_owned()
}

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    if bom {
        bytes.extend(if little_endian { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("test_data is writable");
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let text = root.join("text");
    let html = root.join("html");
    let xml = root.join("xml");
    for dir in [&text, &html, &xml] {
        std::fs::create_dir_all(dir).expect("test_data is writable");
    }

    // Plain text.
    write(&text, "0001_utf8_ukrainian.txt", UKRAINIAN.as_bytes());
    write(&text, "0002_cp1251_russian.txt", &encode(RUSSIAN, WINDOWS_1251));
    write(&text, "0003_koi8r_russian.txt", &encode(RUSSIAN, KOI8_R));
    write(&text, "0004_cp866_russian.txt", &encode(RUSSIAN, IBM866));
    write(&text, "0005_koi8u_ukrainian.txt", &encode(UKRAINIAN, KOI8_U));
    write(&text, "0006_cp1251_ukrainian.txt", &encode(UKRAINIAN, WINDOWS_1251));
    write(&text, "0007_utf16le_bom.txt", &utf16(RUSSIAN, true, true));
    write(&text, "0008_utf16be_no_bom.txt", &utf16(UKRAINIAN, false, false));
    write(
        &text,
        "0009_windows1252_latin.txt",
        &encode("Le café de la gare, où l'on mange très bien à Noël.\n", WINDOWS_1252),
    );
    write(&text, "0010_short_privet_cp1251.txt", &encode("Привет", WINDOWS_1251));
    write(&text, "0011_empty.txt", b"");
    write(&text, "0012_crlf_and_cr.txt", b"first line\r\nsecond line\rthird line\r\n");
    let mut stray = "Счёт оплачен. ".as_bytes().to_vec();
    stray.push(0xFF);
    stray.extend("Акт не подписан.\n".as_bytes());
    write(&text, "0013_utf8_with_a_stray_byte.txt", &stray);

    // HTML.
    let page = |charset_meta: &str, body: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"ru\"><head>{charset_meta}<title>Записка</title></head>\n<body>{body}</body></html>\n"
        )
    };
    let body = "<h1>Служебная записка</h1>\n<p>Поставка по договору &laquo;&#8470;&nbsp;17&raquo; задерживается.</p>\n";
    write(
        &html,
        "0001_cp1251_http_equiv.html",
        &encode(
            &page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">", body),
            WINDOWS_1251,
        ),
    );
    write(&html, "0002_koi8r_meta_charset.html", &encode(&page("<meta charset=\"koi8-r\">", body), KOI8_R));
    write(
        &html,
        "0003_declares_iso88591_but_is_cp1251.html",
        &encode(&page("<meta charset=\"iso-8859-1\">", body), WINDOWS_1251),
    );
    write(&html, "0004_no_declaration_cp866.html", &encode(&page("", body), IBM866));
    write(
        &html,
        "0005_metadata_and_hidden_content.html",
        "<!DOCTYPE html>\n<html lang=\"uk\"><head><meta charset=\"utf-8\">\n\
         <title>  Звіт   про роботу </title>\n\
         <meta name=\"author\" content=\"Іван Петренко\">\n\
         <meta name=\"description\" content=\"Щомісячний звіт\">\n\
         <meta name=\"keywords\" content=\"звіт, Київ ,  ґрунт\">\n\
         <meta name=\"generator\" content=\"Handwritten\">\n\
         <style>body { color: red }</style><script>var hidden = 'скрипт';</script></head>\n\
         <body><noscript>Увімкніть JavaScript</noscript>\n\
         <template><p>шаблон</p></template>\n\
         <div>Перший   рядок<br>другий рядок</div>\n\
         <table><tr><th>Назва</th><th>Сума</th></tr><tr><td>Ґрунт</td><td>1&nbsp;000 &euro;</td></tr></table>\n\
         <ul><li>один</li><li>два</li></ul>\n\
         <pre>  збережені\n    пробіли</pre>\n\
         <p>Текст з <b>жирним</b> і <a href=\"#\">посиланням</a>&amp;c.</p>\n\
         </body></html>\n"
            .as_bytes(),
    );
    write(
        &html,
        "0006_broken_markup.html",
        "<html><body><p>Незакрытый абзац<div>блок</p></span><table><td>ячейка без строки\
         <p>текст в таблице</table>хвост <b>без конца"
            .as_bytes(),
    );
    write(&html, "0007_empty.html", b"");
    write(
        &html,
        "0008_charset_unicode_label_on_utf8.html",
        page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=unicode\">", body).as_bytes(),
    );
    write(&html, "0009_utf16le_bom.html", &utf16(&page("<meta charset=\"utf-16\">", body), true, true));

    // XML.
    write(
        &xml,
        "0001_utf8.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<записи>\n  <запис id=\"1\">Перша <b>важлива</b> подія</запис>\n\
         <запис id=\"2\">Друга &amp; третя &#x2014; &#1028;</запис>\n  <порожній/>\n</записи>\n"
            .as_bytes(),
    );
    write(
        &xml,
        "0002_cp1251_declared.xml",
        &encode(
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<doc><title>Служебная записка</title>\
             <body>Счёт оплачен.</body></doc>\n",
            WINDOWS_1251,
        ),
    );
    write(
        &xml,
        "0003_utf16le_bom.xml",
        &utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<doc><p>Київ</p><p>Харків</p></doc>\n", true, true),
    );
    write(
        &xml,
        "0004_billion_laughs.xml",
        b"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n\
          <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
          <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n\
          <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n\
          <lolz>before &lol3; after</lolz>\n",
    );
    write(
        &xml,
        "0005_external_entity.xml",
        b"<?xml version=\"1.0\"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n\
          <foo>secret: &xxe;</foo>\n",
    );
    write(
        &xml,
        "0006_truncated.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc><p>Полный абзац</p><p>Обрезанный аб".as_bytes(),
    );
    write(&xml, "0007_mismatched_tags.xml", "<doc><a>первый</a><b>второй</c><d>третий</d></doc>".as_bytes());
    write(
        &xml,
        "0008_cdata_and_comments.xml",
        b"<doc><!-- not text --><code><![CDATA[if (a < b) { return; }]]></code><?pi ignored?><t>end</t></doc>\n",
    );
    write(&xml, "0009_not_xml_at_all.xml", b"<\x01\x02<<>>\xff<<");
    write(&xml, "0010_empty.xml", b"");
    write(
        &xml,
        "0011_koi8r_declared_as_cp1251.xml",
        &encode(
            "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<doc>Добрый день, коллеги! Отчёт прилагаю.</doc>\n",
            KOI8_R,
        ),
    );
}
