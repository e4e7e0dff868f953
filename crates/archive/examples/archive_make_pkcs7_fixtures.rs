//! Writes the PKCS#7/CMS golden-test fixtures into `test_data/pkcs7/` with a small DER/BER writer of our own
//! (deterministic: run it again and nothing changes). The signatures and keys are placeholder bytes: the reader
//! does not verify signatures, it reads the structure, so no real key is needed.
//! `cargo run -p dossier-archive --example archive_make_pkcs7_fixtures`, then
//! `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-archive` and review the `.expected` files.

use std::path::PathBuf;

/// A definite-length (DER) element.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = content.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> = length.to_be_bytes().into_iter().skip_while(|byte| *byte == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// An indefinite-length (BER) constructed element.
fn ber(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag, 0x80];
    out.extend_from_slice(content);
    out.extend_from_slice(&[0, 0]);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x31, &parts.concat())
}

/// An OBJECT IDENTIFIER from dotted text.
fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|arc| arc.parse().expect("numeric arc")).collect();
    let mut content = Vec::new();
    for arc in std::iter::once(arcs[0] * 40 + arcs[1]).chain(arcs[2..].iter().copied()) {
        let mut digits = vec![(arc & 0x7F) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            digits.push(0x80 | (rest & 0x7F) as u8);
            rest >>= 7;
        }
        digits.reverse();
        content.extend_from_slice(&digits);
    }
    der(0x06, &content)
}

fn utf8(text: &str) -> Vec<u8> {
    der(0x0C, text.as_bytes())
}

fn printable(text: &str) -> Vec<u8> {
    der(0x13, text.as_bytes())
}

fn bmp(text: &str) -> Vec<u8> {
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    der(0x1E, &bytes)
}

fn algorithm(dotted: &str) -> Vec<u8> {
    seq(&[oid(dotted), der(0x05, &[])])
}

/// A Name from (attribute OID, encoded value) pairs.
fn name(attributes: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let sets: Vec<Vec<u8>> =
        attributes.iter().map(|(type_oid, value)| set(&[seq(&[oid(type_oid), value.clone()])])).collect();
    seq(&sets)
}

const CN: &str = "2.5.4.3";
const O: &str = "2.5.4.10";
const C: &str = "2.5.4.6";
const EMAIL: &str = "1.2.840.113549.1.9.1";
const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const GOST_2012_256: &str = "1.2.643.7.1.1.2.2";
const RSA: &str = "1.2.840.113549.1.1.1";

/// A certificate with the fields the reader looks at; the key and signature are placeholders.
fn certificate(serial: u8, issuer: &[u8], subject: &[u8]) -> Vec<u8> {
    let validity = seq(&[der(0x17, b"240101000000Z"), der(0x17, b"260101000000Z")]);
    let key = seq(&[algorithm(RSA), der(0x03, &[0, 0x30, 0x03, 0x02, 0x01, 0x03])]);
    let tbs = seq(&[
        der(0xA0, &der(0x02, &[2])),
        der(0x02, &[serial]),
        algorithm("1.2.840.113549.1.1.11"),
        issuer.to_vec(),
        validity,
        subject.to_vec(),
        key,
    ]);
    seq(&[tbs, algorithm("1.2.840.113549.1.1.11"), der(0x03, &[0, 0xAB, 0xCD])])
}

/// A SignerInfo naming its certificate by issuer and serial, with a signing-time attribute.
fn signer(serial: u8, issuer: &[u8], digest: &str, signing_time: Vec<u8>) -> Vec<u8> {
    let signing_time = seq(&[oid("1.2.840.113549.1.9.5"), set(&[signing_time])]);
    let content_type = seq(&[oid("1.2.840.113549.1.9.3"), set(&[oid("1.2.840.113549.1.7.1")])]);
    seq(&[
        der(0x02, &[1]),
        seq(&[issuer.to_vec(), der(0x02, &[serial])]),
        algorithm(digest),
        der(0xA0, &[content_type, signing_time].concat()),
        algorithm(RSA),
        der(0x04, &[0x5A; 16]),
    ])
}

/// ContentInfo { signedData, SignedData { ... } } in DER; `content` None makes a detached signature.
fn signed_data_der(digest: &str, content: Option<&[u8]>, certificates: &[Vec<u8>], signers: &[Vec<u8>]) -> Vec<u8> {
    let mut encapsulated = vec![oid("1.2.840.113549.1.7.1")];
    if let Some(content) = content {
        encapsulated.push(der(0xA0, &der(0x04, content)));
    }
    let signed = seq(&[
        der(0x02, &[1]),
        set(&[algorithm(digest)]),
        seq(&encapsulated),
        der(0xA0, &certificates.concat()),
        set(signers),
    ]);
    seq(&[oid("1.2.840.113549.1.7.2"), der(0xA0, &signed)])
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join("pkcs7");
    std::fs::create_dir_all(&dir).expect("create the fixture folder");
    let write = |file: &str, bytes: &[u8]| std::fs::write(dir.join(file), bytes).expect("write a fixture");

    let ca = name(&[(C, printable("RU")), (O, utf8("Удостоверяющий центр")), (CN, utf8("УЦ Тест"))]);
    let ivanov = name(&[
        (C, printable("RU")),
        (O, utf8("ООО «Ромашка»")),
        (CN, utf8("Иванов Иван Иванович")),
        (EMAIL, der(0x16, b"ivanov@romashka.example")),
    ]);
    let letter = "Договор поставки № 17 от 15 марта 2024 года.\nПоставщик: ООО «Ромашка».\n".as_bytes();

    // DER, one signer, GOST digest, UTCTime signing time.
    let one = signed_data_der(
        GOST_2012_256,
        Some(letter),
        &[certificate(7, &ca, &ivanov)],
        &[signer(7, &ca, GOST_2012_256, der(0x17, b"240315130509Z"))],
    );
    write("0001_der_signed.txt.p7m", &one);

    // BER as signed mail writes it: indefinite lengths everywhere, the content in three OCTET STRING chunks, a
    // BMPString subject and a GeneralizedTime.
    let petrenko = name(&[(CN, bmp("Петренко Олена")), (O, bmp("ТОВ Київбуд"))]);
    let xml = b"<?xml version=\"1.0\"?><invoice><number>42</number><buyer>Kyivbud</buyer></invoice>";
    let chunks = [der(0x04, &xml[..20]), der(0x04, &xml[20..50]), der(0x04, &xml[50..])].concat();
    let encapsulated = ber(0x30, &[oid("1.2.840.113549.1.7.1"), ber(0xA0, &ber(0x24, &chunks))].concat());
    let signed = ber(
        0x30,
        &[
            der(0x02, &[1]),
            set(&[algorithm(SHA256)]),
            encapsulated,
            ber(0xA0, &certificate(3, &ca, &petrenko)),
            set(&[signer(3, &ca, SHA256, der(0x18, b"20240401091500Z"))]),
        ]
        .concat(),
    );
    write("0002_ber_chunked.xml.p7m", &ber(0x30, &[oid("1.2.840.113549.1.7.2"), ber(0xA0, &signed)].concat()));

    // A detached signature: no eContent, only who signed and when.
    let detached = signed_data_der(
        SHA256,
        None,
        &[certificate(7, &ca, &ivanov)],
        &[signer(7, &ca, SHA256, der(0x17, b"240315130509Z"))],
    );
    write("0003_detached.p7s", &detached);

    // PEM armour around a small signed file (as `openssl smime -outform PEM` writes).
    let small = signed_data_der(SHA256, Some(b"PEM wrapped content\n"), &[], &[]);
    let base64 = base64_lines(&small);
    write("0004_pem_wrapped.txt.p7m", format!("-----BEGIN PKCS7-----\n{base64}-----END PKCS7-----\n").as_bytes());

    // Enveloped (encrypted) data: the recipient's private key would be needed.
    let enveloped = seq(&[
        oid("1.2.840.113549.1.7.3"),
        der(0xA0, &seq(&[der(0x02, &[0]), set(&[]), seq(&[oid("1.2.840.113549.1.7.1")])])),
    ]);
    write("0005_enveloped.p7m", &enveloped);

    // Cut off in the middle of the signed content.
    write("0006_truncated.txt.p7m", &one[..60]);

    // Not PKCS#7 at all.
    write("0007_not_pkcs7.p7m", b"This is a plain text file with a .p7m name.\n");

    // Hostile nesting: a signedData ContentInfo whose content is indefinite-length SEQUENCEs twenty thousand deep.
    let mut deep = [&[0x30u8, 0x80][..], &oid("1.2.840.113549.1.7.2"), &[0xA0, 0x80]].concat();
    deep.extend(std::iter::repeat_n([0x30u8, 0x80], 20_000).flatten());
    write("0008_deep_nesting.p7m", &deep);

    // Two signers whose certificates are told apart by serial number, plus the CA's certificate.
    let sidorov = name(&[(CN, utf8("Сидоров Сергей")), (O, utf8("АО «Вектор»"))]);
    let two = signed_data_der(
        SHA256,
        Some(b"Protocol of the board meeting, signed by both directors.\n"),
        &[certificate(1, &ca, &ca), certificate(7, &ca, &ivanov), certificate(9, &ca, &sidorov)],
        &[signer(9, &ca, SHA256, der(0x17, b"240316100000Z")), signer(7, &ca, SHA256, der(0x17, b"240316110000Z"))],
    );
    write("0009_two_signers.txt.p7m", &two);

    // A content length that claims more bytes than the file has.
    let mut lying = one.clone();
    lying[2] = 0xFF;
    write("0010_lying_length.txt.p7m", &lying);
    println!("fixtures written to {}", dir.display());
}

/// Standard base64 in lines of 64 characters, as PEM has it.
fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let value =
            chunk.iter().enumerate().fold(0u32, |value, (index, byte)| value | u32::from(*byte) << (16 - 8 * index));
        for index in 0..4 {
            if index <= chunk.len() {
                text.push(char::from(ALPHABET[(value >> (18 - 6 * index) & 0x3F) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    let mut lines = String::new();
    for line in text.as_bytes().chunks(64) {
        lines.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        lines.push('\n');
    }
    lines
}
