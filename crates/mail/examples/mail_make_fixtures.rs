//! Writes the fixtures that cannot be typed by hand because they hold raw 8-bit bytes in a legacy charset.
//! Run `cargo run -p dossier-mail --example mail_make_fixtures` from anywhere; the output is deterministic.
//! (The other fixtures in test_data/ are hand-written ASCII/UTF-8 files.)

use std::path::Path;

fn main() -> std::io::Result<()> {
    let eml_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/eml");

    // A body in windows-1251 sent as raw 8-bit bytes with no charset declared, as old Russian mailers did:
    // read as UTF-8 it is nothing but replacement characters, so the reader must detect the charset.
    let body = "Коллеги, направляю проект приказа о премировании сотрудников отдела закупок.\n\
                Прошу согласовать до пятницы.\n";
    let (body_cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(body);
    let mut undeclared = b"From: Old Mailer <old@example.ru>\n\
To: desk@example.org\n\
Subject: undeclared charset\n\
Date: Mon, 13 Nov 2023 09:00:00 +0300\n\
MIME-Version: 1.0\n\
Content-Type: text/plain\n\
Content-Transfer-Encoding: 8bit\n\
\n"
    .to_vec();
    undeclared.extend_from_slice(&body_cp1251);
    std::fs::write(eml_dir.join("0007_undeclared_cp1251_body.eml"), undeclared)?;

    // Hostile input: 4 KiB of pseudo-random bytes (a fixed linear congruential generator, so the file never changes).
    let mut state: u32 = 0x2023_1125;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    std::fs::write(eml_dir.join("0013_random_bytes.eml"), garbage)?;

    // Hostile input: multiparts nested 500 deep, none of them closed, around one line of text.
    let depth = 500;
    let mut nested = String::from("From: deep@example.org\nSubject: nested 500 deep\nMIME-Version: 1.0\n");
    for level in 0..depth {
        nested.push_str(&format!("Content-Type: multipart/mixed; boundary=\"b{level}\"\n\n--b{level}\n"));
    }
    nested.push_str("Content-Type: text/plain\n\nthe bottom of the well\n");
    std::fs::write(eml_dir.join("0014_deeply_nested_multipart.eml"), nested)?;
    Ok(())
}
