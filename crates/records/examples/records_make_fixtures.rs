//! Writes the golden-test fixtures of dossier-records into `test_data/` (deterministically: run it again and nothing
//! changes). `cargo run -p dossier-records --example records_make_fixtures`, then
//! `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-records` and review the `.expected` files.

use std::path::Path;

fn write(format: &str, name: &str, bytes: &[u8]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format);
    std::fs::create_dir_all(&dir).expect("create the fixture folder");
    std::fs::write(dir.join(name), bytes).expect("write a fixture");
}

fn cp1251(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!unmappable, "fixture text must be representable in windows-1251");
    bytes.into_owned()
}

fn main() {
    // CSV: Excel's Russian export (semicolons, decimal commas, CRLF, windows-1251) with a quoted cell holding a line
    // break and escaped quotes.
    write(
        "csv",
        "0001_semicolon_cp1251_quoted_newlines.csv",
        &cp1251(
            "ФИО;Должность;Сумма;Комментарий\r\n\
             Иванов Иван Иванович;Директор;1 250 000,50;\"Перевод через \"\"Альфа\"\"\r\nвторая строка\"\r\n\
             Петрова Мария;Бухгалтер;98 000,00;\r\n\
             \"Сидоров; С.С.\";Водитель;45 000,00;\"без комментариев\"\r\n",
        ),
    );
    write("csv", "0002_comma_utf8.csv", "id,name,city\n1,Алексей,Київ\n2,\"Smith, John\",London\n3,,\n".as_bytes());
    write("csv", "0003_unclosed_quote.csv", b"a,b\n1,\"never closed\n2,3\n");
    write("csv", "0004_empty.csv", b"");
    write(
        "csv",
        "0005_pipe.csv",
        b"account|owner|balance\n40817810|OOO Romashka|1200.00\n40702810|IP Sidorov|-15.75\n",
    );
    write("csv", "0006_single_column.csv", b"names\nalpha\nbeta\n");

    write(
        "tsv",
        "0001_simple.tsv",
        "date\tpayer\tamount\n2023-01-05\tООО «Вектор»\t15000\n2023-02-11\t\"Quoted\ttab\"\t7,5\n".as_bytes(),
    );
    write("tsv", "0002_empty.tsv", b"");

    write(
        "json",
        "0001_nested.json",
        r#"{
  "company": "ООО \"Ромашка\"",
  "inn": 7701234567,
  "active": true,
  "founded": null,
  "directors": [
    {"name": "Иванов И.И.", "share": 51.5, "since": "2015-03-01"},
    {"name": "Petrov P.", "share": 48.5}
  ],
  "address": {"city": "Москва", "street": "ул. Ленина, 1", "geo": [55.75, 37.61]},
  "notes": "line one\nline two",
  "empty": {},
  "emoji": "\ud83d\udcb0 \u20bd"
}
"#
        .as_bytes(),
    );
    write(
        "json",
        "0002_lines.jsonl",
        b"{\"from\": \"alice@example.org\", \"to\": \"bob@example.org\", \"amount\": 100}\n\
          {\"from\": \"bob@example.org\", \"to\": \"carol@example.org\", \"amount\": 250, \"memo\": \"rent\"}\n\
          {\"from\": \"broken\", \"amount\": }\n\
          [\"a bare array\", 3]\n",
    );
    write(
        "json",
        "0003_broken.json",
        b"{\"name\": \"kept before the error\", \"list\": [1, 2, \"three\"], \"cut\": \"no",
    );
    let depth = 10_000;
    let deep = format!("{}{{\"bottom\": \"reached\"}}{}", "[".repeat(depth), "]".repeat(depth));
    write("json", "0004_deep.json", deep.as_bytes());
    write("json", "0005_empty.json", b"");
    write("json", "0006_not_json.json", b"<html>not json</html>\n");
    write("json", "0007_scalar.json", b"  \"just a string\"  \n");

    write(
        "ics",
        "0001_folded_cyrillic.ics",
        "BEGIN:VCALENDAR\r\n\
         VERSION:2.0\r\n\
         PRODID:-//Example Corp//Calendar 1.0//RU\r\n\
         X-WR-CALNAME:Встречи\r\n\
         BEGIN:VTIMEZONE\r\n\
         TZID:Europe/Moscow\r\n\
         END:VTIMEZONE\r\n\
         BEGIN:VEVENT\r\n\
         UID:1@example.org\r\n\
         SUMMARY:Встреча с подрядчиком по контракту № 15\\, этап 2\r\n\
         DTSTART;TZID=Europe/Moscow:20240315T093000\r\n\
         DTEND;TZID=Europe/Moscow:20240315T110000\r\n\
         LOCATION:Москва\\, ул. Тверская\\, д. 1\r\n\
         ORGANIZER;CN=Иван Петров:mailto:petrov@example.ru\r\n\
         ATTENDEE;CN=\"Smith, Anna\";ROLE=REQ-PARTICIPANT:mailto:anna@example.com\r\n\
         ATTENDEE:mailto:bob@example.com\r\n\
         DESCRIPTION:Обсудить сроки поставки и оплату.\\nВторая строка описания\\, \r\n\u{20}которая продолжается на сле\r\n\
         \tдующей строке.\r\n\
         BEGIN:VALARM\r\n\
         ACTION:DISPLAY\r\n\
         DESCRIPTION:Reminder text that is not the event's\r\n\
         END:VALARM\r\n\
         END:VEVENT\r\n\
         BEGIN:VTODO\r\n\
         SUMMARY:Подписать акт\r\n\
         DUE;VALUE=DATE:20240401\r\n\
         END:VTODO\r\n\
         BEGIN:VEVENT\r\n\
         SUMMARY:All-day\r\n\
         DTSTART;VALUE=DATE:20240320\r\n\
         DTEND:20240321T000000Z\r\n\
         END:VEVENT\r\n\
         END:VCALENDAR\r\n"
            .as_bytes(),
    );
    write(
        "ics",
        "0002_truncated.ics",
        b"BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:Cut off meeting\nDTSTART:20230101T100000Z\nDESCRIP",
    );
    write("ics", "0003_not_a_calendar.ics", b"hello world\nthis is not a calendar\n");

    let mut v21 = Vec::new();
    v21.extend_from_slice(b"BEGIN:VCARD\r\nVERSION:2.1\r\n");
    v21.extend_from_slice(b"N;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:");
    v21.extend_from_slice(&qp(&cp1251("Иванов;Иван;Иванович;;")));
    v21.extend_from_slice(b"\r\nFN;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:");
    v21.extend_from_slice(&qp(&cp1251("Иван Иванович Иванов")));
    v21.extend_from_slice(b"\r\nORG;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:");
    v21.extend_from_slice(&qp(&cp1251("ООО Ромашка;Бухгалтерия")));
    v21.extend_from_slice(b"\r\nTEL;WORK;VOICE:+7 495 123-45-67\r\nTEL;CELL:+7 916 000-00-00\r\n");
    v21.extend_from_slice(b"EMAIL;INTERNET:ivanov@example.ru\r\n");
    // A long note, soft-broken over three lines the way 2.1 exporters do it.
    v21.extend_from_slice(b"NOTE;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:");
    let note = qp(&cp1251("Звонить только после 18:00, спросить про договор поставки"));
    for (index, chunk) in note.chunks(60).enumerate() {
        if index > 0 {
            v21.extend_from_slice(b"=\r\n");
        }
        v21.extend_from_slice(chunk);
    }
    v21.extend_from_slice(b"\r\nADR;HOME;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:");
    v21.extend_from_slice(&qp(&cp1251(";;ул. Ленина, 5;Тверь;;170000;Россия")));
    v21.extend_from_slice(b"\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n\r\nEND:VCARD\r\n");
    write("vcf", "0001_v21_qp_cp1251.vcf", &v21);
    write(
        "vcf",
        "0002_v3_v4.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Smith\r\nN:Smith;Anna;;Dr.;\r\nORG:Example Ltd.\r\nTITLE:CFO\r\n\
         TEL;TYPE=WORK,VOICE:+44 20 7946 0000\r\nEMAIL;TYPE=INTERNET,PREF:anna@example.com\r\n\
         ADR;TYPE=WORK:;;1 High St\\, Floor 2;London;;EC1A 1AA;UK\r\nNOTE:Met at the fair\\nCall back\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Олена Коваль\r\nTEL;VALUE=uri;TYPE=cell:tel:+380-44-000-0000\r\n\
         item1.EMAIL:olena@example.ua\r\nBDAY:19850412\r\nEND:VCARD\r\n"
            .as_bytes(),
    );
    write("vcf", "0003_truncated.vcf", b"BEGIN:VCARD\nVERSION:3.0\nFN:Cut Short\nTEL:+1 555 0100\nEMA");
    write("vcf", "0004_not_vcard.vcf", b"FN without a card\n");

    make_dbf_fixtures();
}

/// Quoted-printable as vCard 2.1 writers produce it: every non-alphanumeric byte escaped.
fn qp(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || byte == b';' {
            out.push(byte);
        } else {
            out.extend_from_slice(format!("={byte:02X}").as_bytes());
        }
    }
    out
}

/// A DBF column for the fixture writer: name, type letter, length, decimals.
struct Column(&'static str, u8, u8, u8);

/// Writes a dBASE table: 32-byte header, descriptors, 0x0D, `backlink` zero bytes (Visual FoxPro's 263), records
/// (deletion flag + cells padded to the column length), 0x1A. `claimed_records` overrides the honest count.
fn dbf(
    version: u8,
    language_driver: u8,
    columns: &[Column],
    records: &[(bool, Vec<Vec<u8>>)],
    backlink: usize,
    claimed_records: Option<u32>,
) -> Vec<u8> {
    let header_length = 32 + 32 * columns.len() + 1 + backlink;
    let record_length = 1 + columns.iter().map(|column| usize::from(column.2)).sum::<usize>();
    let mut out = vec![version, 124, 3, 15]; // last update 2024-03-15
    let count = claimed_records.unwrap_or(records.len() as u32);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(header_length as u16).to_le_bytes());
    out.extend_from_slice(&(record_length as u16).to_le_bytes());
    out.extend_from_slice(&[0u8; 17]);
    out.push(language_driver);
    out.extend_from_slice(&[0u8; 2]);
    for column in columns {
        let mut descriptor = [0u8; 32];
        descriptor[..column.0.len()].copy_from_slice(column.0.as_bytes());
        descriptor[11] = column.1;
        descriptor[16] = column.2;
        descriptor[17] = column.3;
        out.extend_from_slice(&descriptor);
    }
    out.push(0x0D);
    out.extend(std::iter::repeat_n(0u8, backlink));
    for (deleted, cells) in records {
        out.push(if *deleted { b'*' } else { b' ' });
        for (column, cell) in columns.iter().zip(cells) {
            let mut cell = cell.clone();
            let pad = if matches!(column.1, b'N' | b'F') { b' ' } else { 0 };
            if matches!(column.1, b'N' | b'F') {
                // Numbers are right-aligned.
                let mut padded = vec![b' '; usize::from(column.2).saturating_sub(cell.len())];
                padded.extend_from_slice(&cell);
                cell = padded;
            } else if matches!(column.1, b'C' | b'D' | b'L' | b'M') {
                cell.resize(usize::from(column.2), b' ');
            }
            cell.resize(usize::from(column.2), pad);
            out.extend_from_slice(&cell);
        }
    }
    out.push(0x1A);
    out
}

fn cp866(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::IBM866.encode(text);
    assert!(!unmappable, "fixture text must be representable in CP866");
    bytes.into_owned()
}

fn make_dbf_fixtures() {
    let people = [
        Column("FIO", b'C', 30, 0),
        Column("SUMMA", b'N', 12, 2),
        Column("DATA", b'D', 8, 0),
        Column("ACTIVE", b'L', 1, 0),
    ];
    let row = |encode: &dyn Fn(&str) -> Vec<u8>, name: &str, amount: &str, date: &str, active: &str| {
        vec![encode(name), amount.as_bytes().to_vec(), date.as_bytes().to_vec(), active.as_bytes().to_vec()]
    };
    // A DOS-era Russian table: CP866 named by language driver 0x26, one deleted record.
    let records = vec![
        (false, row(&cp866, "Иванов Иван Иванович", "1250000.50", "20150301", "T")),
        (true, row(&cp866, "Удалённая запись", "1.00", "20150302", "F")),
        (false, row(&cp866, "Петрова Мария", "98000.00", "19991231", "F")),
        (false, row(&cp866, "Сидоров С.С.", "", "", "?")),
    ];
    write("dbf", "0001_dbase3_cp866_deleted.dbf", &dbf(0x03, 0x26, &people, &records, 0, None));

    // FoxPro with a memo column (the .fpt sidecar is not part of the file) in windows-1251 (driver 0xC9).
    let with_memo = [Column("NAME", b'C', 20, 0), Column("NOTES", b'M', 10, 0)];
    let records = vec![
        (false, vec![cp1251("ООО «Вектор»"), b"         1".to_vec()]),
        (false, vec![cp1251("ТОВ Київбуд"), b"          ".to_vec()]),
    ];
    write("dbf", "0002_foxpro_cp1251_memo.dbf", &dbf(0xF5, 0xC9, &with_memo, &records, 0, None));

    // No language driver: the code page (windows-1251 here) is guessed from the data.
    let plain = [Column("COMPANY", b'C', 40, 0), Column("CITY", b'C', 20, 0)];
    let records = vec![
        (false, vec![cp1251("Общество с ограниченной ответственностью"), cp1251("Москва")]),
        (false, vec![cp1251("Закрытое акционерное общество Ромашка"), cp1251("Санкт-Петербург")]),
        (false, vec![cp1251("Индивидуальный предприниматель Сидоров"), cp1251("Новосибирск")]),
    ];
    write("dbf", "0003_no_driver_detected_cp1251.dbf", &dbf(0x03, 0x00, &plain, &records, 0, None));

    // A header that claims a billion records in a file that holds two.
    let records = vec![
        (false, vec![b"Alpha Ltd".to_vec(), b"London".to_vec()]),
        (false, vec![b"Beta".to_vec(), b"Paris".to_vec()]),
    ];
    write("dbf", "0004_hostile_record_count.dbf", &dbf(0x03, 0x03, &plain, &records, 0, Some(1_000_000_000)));

    // The file stops inside the 32-byte header.
    write("dbf", "0005_truncated_header.dbf", &dbf(0x03, 0x03, &plain, &records, 0, None)[..20]);

    // Not a table at all.
    write("dbf", "0006_not_dbf.dbf", b"This is a text file with a .dbf name.\n");

    // Visual FoxPro: 263-byte backlink after the descriptors, binary integer, currency, datetime and double columns.
    let binary = [
        Column("ID", b'I', 4, 0),
        Column("PRICE", b'Y', 8, 4),
        Column("STAMP", b'T', 8, 0),
        Column("RATE", b'B', 8, 2),
        Column("LABEL", b'C', 10, 0),
    ];
    let stamp = |julian_day: i32, milliseconds: i32| {
        let mut bytes = julian_day.to_le_bytes().to_vec();
        bytes.extend_from_slice(&milliseconds.to_le_bytes());
        bytes
    };
    let records = vec![
        (
            false,
            vec![
                7i32.to_le_bytes().to_vec(),
                1_234_567i64.to_le_bytes().to_vec(),
                stamp(2_460_385, (13 * 3600 + 5 * 60 + 9) * 1000),
                0.125f64.to_le_bytes().to_vec(),
                b"first".to_vec(),
            ],
        ),
        (
            false,
            vec![
                (-42i32).to_le_bytes().to_vec(),
                (-5_000i64).to_le_bytes().to_vec(),
                vec![0; 8],
                (-2.5f64).to_le_bytes().to_vec(),
                b"second".to_vec(),
            ],
        ),
    ];
    write("dbf", "0007_visual_foxpro_binary_types.dbf", &dbf(0x30, 0x03, &binary, &records, 263, None));

    // Descriptors that need more bytes than the header's record length allows.
    let mut bad = dbf(0x03, 0x03, &plain, &records[..0], 0, None);
    bad[10..12].copy_from_slice(&10u16.to_le_bytes());
    write("dbf", "0008_fields_longer_than_record.dbf", &bad);

    // The last record is cut off by the end of the file.
    let records =
        vec![(false, vec![b"Gamma".to_vec(), b"Rome".to_vec()]), (false, vec![b"Delta".to_vec(), b"Oslo".to_vec()])];
    let whole = dbf(0x03, 0x03, &plain, &records, 0, None);
    write("dbf", "0009_truncated_record.dbf", &whole[..whole.len() - 30]);

    // The language driver says windows-1252 (a common default of Western tools), the data is windows-1251.
    let records = vec![
        (false, vec![cp1251("Акционерное общество Стройинвест"), cp1251("Екатеринбург")]),
        (false, vec![cp1251("Товарищество с ограниченной ответственностью"), cp1251("Алматы")]),
    ];
    write("dbf", "0010_driver_1252_data_cp1251.dbf", &dbf(0x03, 0x03, &plain, &records, 0, None));

    // ESRI's "ANSI" driver byte (0x57) on UTF-8 text, as recent GIS tools write it.
    let records = vec![
        (false, vec!["Київська область".as_bytes().to_vec(), "Київ".as_bytes().to_vec()]),
        (false, vec!["Région Île-de-France".as_bytes().to_vec(), "Paris".as_bytes().to_vec()]),
    ];
    write("dbf", "0011_ansi_driver_utf8.dbf", &dbf(0x03, 0x57, &plain, &records, 0, None));
}
