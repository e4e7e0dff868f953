//! Writes the golden-test fixtures of crates/outlook/test_data/ (deterministically: run it again and nothing changes).
//!
//! `cargo run -p dossier-outlook --example outlook_make_fixtures`
//!
//! MSG fixtures are compound files built with the `cfb` crate, laid out as Outlook lays out an item (MS-OXMSG):
//! `__substg1.0_IIIITTTT` streams for variable-size properties, `__properties_version1.0` for fixed-size ones,
//! `__recip_version1.0_#N` and `__attach_version1.0_#N` storages. Compressed RTF bodies are written with this
//! crate's own LZFu compressor. PST fixtures are only the broken kinds (no tool on Debian writes a PST).

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use cfb::CompoundFile;
use dossier_outlook::lzfu;

type Compound = CompoundFile<Cursor<Vec<u8>>>;

const PT_LONG: u16 = 0x0003;
const PT_OBJECT: u16 = 0x000D;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_SYSTIME: u16 = 0x0040;
const PT_BINARY: u16 = 0x0102;

/// 2024-03-05 14:30:00 UTC as a FILETIME.
const MARCH_2024: u64 = (1_709_649_000 + 11_644_473_600) * 10_000_000;

/// One object's properties: variable-size values become streams, fixed-size ones entries of the property stream.
#[derive(Default)]
struct Object {
    streams: Vec<(u16, u16, Vec<u8>)>,
    fixed: Vec<(u16, u16, [u8; 8])>,
}

impl Object {
    fn unicode(mut self, id: u16, text: &str) -> Object {
        let mut bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.extend_from_slice(&[0, 0]);
        self.streams.push((id, PT_UNICODE, bytes));
        self
    }

    fn string8(mut self, id: u16, text: &str, encoding: &'static encoding_rs::Encoding) -> Object {
        let mut bytes = encoding.encode(text).0.into_owned();
        bytes.push(0);
        self.streams.push((id, PT_STRING8, bytes));
        self
    }

    fn binary(mut self, id: u16, bytes: &[u8]) -> Object {
        self.streams.push((id, PT_BINARY, bytes.to_vec()));
        self
    }

    fn long(mut self, id: u16, value: u32) -> Object {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&value.to_le_bytes());
        self.fixed.push((id, PT_LONG, bytes));
        self
    }

    fn time(mut self, id: u16, filetime: u64) -> Object {
        self.fixed.push((id, PT_SYSTIME, filetime.to_le_bytes()));
        self
    }

    /// Writes the object into `storage`; `header` is the size of the property stream's header (32 for a top-level
    /// message, 24 for an embedded one, 8 for recipients and attachments).
    fn write(&self, file: &mut Compound, storage: &Path, header: usize) {
        for (id, property_type, bytes) in &self.streams {
            let path = storage.join(format!("__substg1.0_{id:04X}{property_type:04X}"));
            file.create_stream(&path).expect("stream").write_all(bytes).expect("write");
        }
        let mut properties = vec![0u8; header];
        for (id, property_type, value) in &self.fixed {
            properties.extend_from_slice(&property_type.to_le_bytes());
            properties.extend_from_slice(&id.to_le_bytes());
            properties.extend_from_slice(&6u32.to_le_bytes()); // readable + writable
            properties.extend_from_slice(value);
        }
        file.create_stream(storage.join("__properties_version1.0"))
            .expect("stream")
            .write_all(&properties)
            .expect("write");
    }
}

fn new_compound() -> Compound {
    CompoundFile::create(Cursor::new(Vec::new())).expect("in-memory compound file")
}

fn finish(mut file: Compound) -> Vec<u8> {
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

fn recipient(file: &mut Compound, parent: &Path, index: u32, name: &str, address: &str, kind: u32) {
    let storage = parent.join(format!("__recip_version1.0_#{index:08X}"));
    file.create_storage(&storage).expect("storage");
    Object::default()
        .unicode(0x3001, name)
        .unicode(0x3003, address)
        .unicode(0x3002, "SMTP")
        .long(0x0C15, kind)
        .write(file, &storage, 8);
}

fn attachment(file: &mut Compound, parent: &Path, index: u32, long_name: &str, data: &[u8]) {
    let storage = parent.join(format!("__attach_version1.0_#{index:08X}"));
    file.create_storage(&storage).expect("storage");
    Object::default()
        .unicode(0x3707, long_name)
        .unicode(0x3704, "ATTACH~1.TXT")
        .binary(0x3701, data)
        .long(0x3705, 1)
        .time(0x3008, MARCH_2024)
        .write(file, &storage, 8);
}

/// A Russian letter in windows-1251 PT_STRING8 properties, with recipients, transport headers and an attachment.
fn cp1251_plain() -> Vec<u8> {
    let cp1251 = encoding_rs::WINDOWS_1251;
    let mut file = new_compound();
    let root = Path::new("/");
    Object::default()
        .string8(0x0037, "Отчёт о поставках за февраль", cp1251)
        .string8(0x1000, "Добрый день!\r\n\r\nВысылаю отчёт о поставках.\r\nС уважением,\r\nИван Петров\r\n", cp1251)
        .string8(0x0C1A, "Иван Петров", cp1251)
        .string8(0x5D01, "i.petrov@example.ru", cp1251)
        .string8(0x0E04, "Мария Сидорова", cp1251)
        .string8(0x001A, "IPM.Note", cp1251)
        .string8(0x1035, "<20240305143000.1234@example.ru>", cp1251)
        .string8(0x1042, "<20240301090000.99@example.ru>", cp1251)
        .string8(
            0x007D,
            "Received: from mail.example.ru (mail.example.ru [192.0.2.10])\r\n\tby mx.example.org with ESMTP id 42;\r\n\tTue, 5 Mar 2024 14:30:05 +0000\r\nReceived: from [10.0.0.5] by mail.example.ru;\r\n Tue, 5 Mar 2024 17:30:01 +0300\r\nX-Mailer: Microsoft Outlook 16.0\r\nSubject: ignored here\r\n\r\n",
            cp1251,
        )
        .long(0x3FFD, 1251)
        .time(0x0039, MARCH_2024)
        .time(0x0E06, MARCH_2024 + 50_000_000)
        .write(&mut file, root, 32);
    recipient(&mut file, root, 0, "Мария Сидорова", "m.sidorova@example.org", 1);
    recipient(&mut file, root, 1, "Бухгалтерия", "buh@example.org", 2);
    attachment(&mut file, root, 0, "отчёт.csv", "товар;количество\nцемент;40\n".as_bytes());
    finish(file)
}

const RTF_CYRILLIC: &str = "{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\\pard\\f0\\fs20 \
\\'c4\\'ee\\'e3\\'ee\\'e2\\'ee\\'f0 \\'b9 17 \\'ef\\'ee\\'e4\\'ef\\'e8\\'f1\\'e0\\'ed.\\par \
Contract No. 17 is signed; the same words again: contract contract contract.\\par }";

/// A Unicode subject and a body only as compressed RTF (as Outlook stores rich-text mail).
fn compressed_rtf() -> Vec<u8> {
    let mut file = new_compound();
    Object::default()
        .unicode(0x0037, "Договор № 17")
        .unicode(0x0C1A, "Олена Коваленко")
        .unicode(0x0C1F, "/O=EXAMPLE/OU=FIRST ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=OKOVALENKO")
        .unicode(0x0065, "o.kovalenko@example.com.ua")
        .unicode(0x0E04, "Legal; Accounts")
        .binary(0x1009, &lzfu::compress(RTF_CYRILLIC.as_bytes()))
        .time(0x0E06, MARCH_2024)
        .write(&mut file, Path::new("/"), 32);
    finish(file)
}

/// An HTML body encapsulated in RTF (`\fromhtml1`), stored in the uncompressed "MELA" form.
fn encapsulated_html_mela() -> Vec<u8> {
    let rtf = "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\
{\\*\\htmltag19 <html>}{\\*\\htmltag34 <body>}{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Meeting moved to \\u1055?\\u1085?, 10:00\
\\htmlrtf }\\htmlrtf0 {\\*\\htmltag72 </p>}\\htmlrtf \\par \\htmlrtf0 {\\*\\htmltag64 <p>}Bring the \\'93blue\\'94 folder.\
{\\*\\htmltag72 </p>}{\\*\\htmltag42 </body>}{\\*\\htmltag27 </html>}}";
    let mut file = new_compound();
    Object::default()
        .unicode(0x0037, "Meeting")
        .unicode(0x0C1A, "Anna Schmidt")
        .unicode(0x5D01, "anna@example.de")
        .binary(0x1009, &lzfu::store_uncompressed(rtf.as_bytes()))
        .time(0x0039, MARCH_2024)
        .write(&mut file, Path::new("/"), 32);
    finish(file)
}

/// An HTML body and an attached Outlook item (PR_ATTACH_METHOD 5), which must come out as a readable `.msg`.
fn html_with_embedded_message() -> Vec<u8> {
    let mut file = new_compound();
    let root = Path::new("/");
    Object::default()
        .unicode(0x0037, "FW: Накладная")
        .unicode(0x0C1A, "Office")
        .unicode(0x5D01, "office@example.org")
        .binary(
            0x1013,
            "<html><head><meta charset=\"utf-8\"><style>p{color:red}</style></head><body><p>See the forwarded \
message below.</p><p>Пересылаю накладную.</p></body></html>"
                .as_bytes(),
        )
        .long(0x3FDE, 65001)
        .time(0x0039, MARCH_2024)
        .write(&mut file, root, 32);
    recipient(&mut file, root, 0, "Warehouse", "warehouse@example.org", 1);

    let storage = PathBuf::from("/__attach_version1.0_#00000000");
    file.create_storage(&storage).expect("storage");
    Object::default().unicode(0x3001, "Накладная 5").long(0x3705, 5).write(&mut file, &storage, 8);
    let inner = storage.join(format!("__substg1.0_3701{PT_OBJECT:04X}"));
    file.create_storage(&inner).expect("storage");
    Object::default()
        .unicode(0x0037, "Накладная 5")
        .unicode(0x1000, "Накладная № 5 на 40 мешков цемента.")
        .unicode(0x0C1A, "Склад")
        .unicode(0x5D01, "sklad@example.ru")
        .time(0x0039, MARCH_2024 - 864_000_000_000)
        .write(&mut file, &inner, 24);
    attachment(&mut file, &inner, 0, "scan.txt", b"inner attachment");
    finish(file)
}

/// A compressed RTF body whose checksum does not match: the text is still read, the document is partial.
fn bad_rtf_checksum() -> Vec<u8> {
    let mut compressed = lzfu::compress(RTF_CYRILLIC.as_bytes());
    compressed[12] ^= 0xFF;
    let mut file = new_compound();
    Object::default().unicode(0x0037, "Checksum damaged").binary(0x1009, &compressed).write(
        &mut file,
        Path::new("/"),
        32,
    );
    finish(file)
}

/// A compound file that is not an Outlook item (a stray stream, no properties).
fn not_a_message() -> Vec<u8> {
    let mut file = new_compound();
    file.create_stream("/WordDocument").expect("stream").write_all(&[0u8; 600]).expect("write");
    finish(file)
}

fn main() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let msg_dir = crate_dir.join("test_data/msg");
    let pst_dir = crate_dir.join("test_data/pst");
    std::fs::create_dir_all(&msg_dir).expect("msg dir");
    std::fs::create_dir_all(&pst_dir).expect("pst dir");

    let plain = cp1251_plain();
    let fixtures: Vec<(&str, Vec<u8>)> = vec![
        ("0001_cp1251_plain.msg", plain.clone()),
        ("0002_compressed_rtf.msg", compressed_rtf()),
        ("0003_encapsulated_html_mela.msg", encapsulated_html_mela()),
        ("0004_html_with_embedded_message.msg", html_with_embedded_message()),
        ("0005_bad_rtf_checksum.msg", bad_rtf_checksum()),
        ("0006_truncated_header.msg", plain[..300].to_vec()),
        ("0007_truncated_half.msg", plain[..plain.len() / 2].to_vec()),
        ("0008_not_a_message.msg", not_a_message()),
        ("0009_not_ole.msg", b"This is a text file that someone named .msg\n".to_vec()),
        ("0010_empty.msg", Vec::new()),
    ];
    for (name, bytes) in fixtures {
        std::fs::write(msg_dir.join(name), bytes).expect("write fixture");
    }

    let mut zero_filled = b"!BDN".to_vec();
    zero_filled.resize(4096, 0);
    let pst_fixtures: Vec<(&str, Vec<u8>)> = vec![
        ("0001_empty.pst", Vec::new()),
        ("0002_not_a_pst.pst", b"From: someone\r\n\r\nnot a mailbox\r\n".to_vec()),
        ("0003_truncated_header.pst", b"!BDN\x00\x00\x00\x00SM".to_vec()),
    ];
    for (name, bytes) in pst_fixtures {
        std::fs::write(pst_dir.join(name), bytes).expect("write fixture");
    }
    // Needs readpst, whose messages are not ours to freeze in a golden dump: checked by a test of its own.
    let readpst_dir = crate_dir.join("test_data/pst_readpst");
    std::fs::create_dir_all(&readpst_dir).expect("pst_readpst dir");
    std::fs::write(readpst_dir.join("0001_zero_filled.pst"), zero_filled).expect("write fixture");
}
