//! Writes the golden-test fixtures in `test_data/`: `cargo run -p dossier-archive --example archive_make_fixtures`.
//!
//! Most fixtures come from the crates' own writers with fixed dates, so they are the same on every run. Two
//! exceptions: the AES zip and 7z fixtures contain a random salt, and the ZipCrypto fixture is made by Debian's
//! `zip` (package `zip`, Info-ZIP 3.0) as `TZ=UTC zip -X -P secret OUT.zip locked.txt` then
//! `TZ=UTC zip -X OUT.zip open.txt`, whose encryption header is random too. Their bytes change from run to run;
//! what the reader makes of them does not. ZIPs whose names must lack the UTF-8 flag, or whose CRC must be wrong,
//! are assembled by hand (`stored_zip`), since no writer makes such files on purpose.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, DateTime, ZipWriter};

type Failure = Box<dyn std::error::Error>;

/// 2024-03-01 12:00:00 in seconds since 1970, for tar, gzip and 7z dates.
const FIXED_UNIX_TIME: u64 = 1_709_294_400;

fn main() -> Result<(), Failure> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data");
    for format in ["zip", "tar", "gz", "bz2", "xz", "7z"] {
        fs::create_dir_all(root.join(format))?;
    }
    make_zip(&root.join("zip"))?;
    make_tar(&root.join("tar"))?;
    make_gz(&root.join("gz"))?;
    make_bz2(&root.join("bz2"))?;
    make_xz(&root.join("xz"))?;
    make_7z(&root.join("7z"))?;
    println!("fixtures written to {}", root.display());
    Ok(())
}

fn zip_options() -> Result<SimpleFileOptions, Failure> {
    Ok(SimpleFileOptions::default()
        .last_modified_time(DateTime::from_date_and_time(2024, 3, 1, 12, 0, 0)?)
        .compression_method(CompressionMethod::Deflated))
}

fn zip_bytes(entries: &[(&str, &[u8])], comment: Option<&str>) -> Result<Vec<u8>, Failure> {
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, zip_options()?)?;
        } else {
            writer.start_file(*name, zip_options()?)?;
            writer.write_all(content)?;
        }
    }
    if let Some(comment) = comment {
        writer.set_comment(comment);
    }
    Ok(writer.finish()?.into_inner())
}

/// One entry of a hand-made ZIP: raw name bytes, whether the UTF-8 flag is set, content, an optional wrong CRC,
/// and extra fields (the same in the local and the central header).
struct RawEntry<'a> {
    name: &'a [u8],
    utf8_flag: bool,
    content: &'a [u8],
    crc_override: Option<u32>,
    extra: Vec<u8>,
}

impl<'a> RawEntry<'a> {
    /// A plain stored entry.
    fn new(name: &'a [u8], utf8_flag: bool, content: &'a [u8]) -> RawEntry<'a> {
        RawEntry { name, utf8_flag, content, crc_override: None, extra: Vec::new() }
    }
}

/// An Info-ZIP Unicode Path extra field (0x7075): version 1, the CRC-32 of the header's name field it stands
/// for, and the name in UTF-8.
fn unicode_path_field(crc_of_stored_name: u32, name: &str) -> Vec<u8> {
    let mut field = 0x7075u16.to_le_bytes().to_vec();
    field.extend_from_slice(&((5 + name.len()) as u16).to_le_bytes());
    field.push(1);
    field.extend_from_slice(&crc_of_stored_name.to_le_bytes());
    field.extend_from_slice(name.as_bytes());
    field
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    crc.sum()
}

/// A ZIP of stored (uncompressed) entries, written field by field (APPNOTE 4.3).
fn stored_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
    const DOS_TIME: u16 = 12 << 11; // 12:00:00
    const DOS_DATE: u16 = ((2024 - 1980) << 9) | (3 << 5) | 1; // 2024-03-01
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let crc = entry.crc_override.unwrap_or(crc32(entry.content));
        let flags: u16 = if entry.utf8_flag { 0x0800 } else { 0 };
        let offset = out.len() as u32;
        let size = entry.content.len() as u32;
        let name_len = entry.name.len() as u16;
        let extra_len = entry.extra.len() as u16;

        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&DOS_TIME.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&extra_len.to_le_bytes());
        out.extend_from_slice(entry.name);
        out.extend_from_slice(&entry.extra);
        out.extend_from_slice(entry.content);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // made by: MS-DOS
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&flags.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&DOS_TIME.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&extra_len.to_le_bytes());
        central.extend_from_slice(&[0u8; 10]); // comment, disk, internal and external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(entry.name);
        central.extend_from_slice(&entry.extra);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn make_zip(dir: &Path) -> Result<(), Failure> {
    let plain = zip_bytes(
        &[
            ("docs/", b""),
            ("docs/letter.txt", "Уважаемый Иван Петрович,\nсчёт прилагаю.\n".as_bytes()),
            ("readme.md", b"# Readme\n"),
        ],
        Some("Архив бухгалтерии"),
    )?;
    fs::write(dir.join("0001_plain.zip"), &plain)?;

    let inner = zip_bytes(&[("inner.txt", b"inside the inner zip\n")], None)?;
    let nested = zip_bytes(&[("inner.zip", &inner), ("outer.txt", b"outside\n")], None)?;
    fs::write(dir.join("0002_nested.zip"), nested)?;

    // Names as a Russian Windows archiver writes them: IBM866 without the UTF-8 flag. Alone, "№1.txt" or
    // "Я.doc" could be anything; together with the others they are plainly IBM866. One flagged UTF-8 name beside.
    let cp866_names = ["Отчёт за 2015 год.txt", "Бухгалтерия/Счета.txt", "№1.txt", "Акт №1.txt", "Я.doc"];
    let cp866_names: Vec<Vec<u8>> =
        cp866_names.iter().map(|name| encoding_rs::IBM866.encode(name).0.into_owned()).collect();
    let mut entries: Vec<RawEntry<'_>> =
        cp866_names.iter().map(|name| RawEntry::new(name, false, b"report\n")).collect();
    entries.push(RawEntry::new("Звіт.txt".as_bytes(), true, b"flagged UTF-8\n"));
    fs::write(dir.join("0003_cp866_names.zip"), stored_zip(&entries))?;
    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in ["secret-1.txt", "secret-2.txt"] {
        writer.start_file(name, zip_options()?.with_aes_encryption(AesMode::Aes256, "secret"))?;
        writer.write_all(b"the secret\n")?;
    }
    fs::write(dir.join("0004_all_encrypted_aes.zip"), writer.finish()?.into_inner())?;

    make_zipcrypto_with_debian_zip(&dir.join("0005_some_encrypted_zipcrypto.zip"))?;

    // Cut inside the central directory: the local headers are whole, so the entries can be recovered.
    let truncated = &plain[..plain.len() - 40];
    fs::write(dir.join("0006_truncated.zip"), truncated)?;

    let corrupt = stored_zip(&[
        RawEntry {
            crc_override: Some(0xdead_beef),
            ..RawEntry::new(b"damaged.txt", false, b"these bytes do not match the CRC\n")
        },
        RawEntry::new(b"fine.txt", false, b"fine\n"),
    ]);
    fs::write(dir.join("0007_corrupt_member.zip"), corrupt)?;

    // 10 MB of zeros in about 10 KB: a bomb in miniature. Default limits accept it (it is under the ratio
    // floor); the unit tests read it with tight limits and expect a refusal.
    let zeros = vec![0u8; 10 << 20];
    let bomb = zip_bytes(&[("zeros.bin", &zeros)], None)?;
    fs::write(dir.join("0008_small_bomb.zip"), bomb)?;

    fs::write(dir.join("0009_not_a_zip.zip"), b"This is plain text with a .zip name.\n")?;
    fs::write(dir.join("0010_empty.zip"), b"")?;

    let mut writer = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.start_file("target.txt", zip_options()?)?;
    writer.write_all(b"target\n")?;
    writer.add_symlink("link-to-passwd", "../../etc/passwd", zip_options()?)?;
    fs::write(dir.join("0011_symlink.zip"), writer.finish()?.into_inner())?;

    let cp1251_names = ["Договір поставки.xlsx", "Приказ №1.txt", "Їжачок і єнот.doc"];
    let cp1251_names: Vec<Vec<u8>> =
        cp1251_names.iter().map(|name| encoding_rs::WINDOWS_1251.encode(name).0.into_owned()).collect();
    let entries: Vec<RawEntry<'_>> =
        cp1251_names.iter().map(|name| RawEntry::new(name, false, b"windows-1251\n")).collect();
    fs::write(dir.join("0012_cp1251_names.zip"), stored_zip(&entries))?;

    // IBM437, the specification's code page, as DOS and Western Windows archivers write it.
    let entries = [
        RawEntry::new(b"caf\x82.txt", false, b"e-acute\n"),
        RawEntry::new(b"R\x82sum\x82.doc", false, b"e-acute twice\n"),
        RawEntry::new(b"\x9aberblick.xls", false, b"U-umlaut\n"),
    ];
    fs::write(dir.join("0013_cp437_names.zip"), stored_zip(&entries))?;

    // An Info-ZIP Unicode Path field beside an IBM866 name: the field wins when its CRC matches the stored name.
    let stored = encoding_rs::IBM866.encode("Отчёт.txt").0.into_owned();
    let entries = [RawEntry {
        extra: unicode_path_field(crc32(&stored), "Отчёт (Unicode).txt"),
        ..RawEntry::new(&stored, false, b"unicode path field\n")
    }];
    fs::write(dir.join("0014_unicode_path_field.zip"), stored_zip(&entries))?;
    Ok(())
}

/// ZipCrypto cannot be written with the zip crate (it only reads it), so Debian's Info-ZIP `zip` makes it.
fn make_zipcrypto_with_debian_zip(out: &Path) -> Result<(), Failure> {
    let work = tempfile::tempdir()?;
    fs::write(work.path().join("locked.txt"), b"locked with ZipCrypto\n")?;
    fs::write(work.path().join("open.txt"), b"not encrypted\n")?;
    let fixed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(FIXED_UNIX_TIME);
    for name in ["locked.txt", "open.txt"] {
        fs::File::options().write(true).open(work.path().join(name))?.set_modified(fixed)?;
    }
    let _ = fs::remove_file(out);
    let out = std::path::absolute(out)?;
    for args in [vec!["-X", "-q", "-P", "secret"], vec!["-X", "-q"]] {
        let file = if args.contains(&"-P") { "locked.txt" } else { "open.txt" };
        let status =
            Command::new("zip").env("TZ", "UTC").current_dir(work.path()).args(&args).arg(&out).arg(file).status()?;
        if !status.success() {
            return Err(format!("zip {args:?} failed: {status}").into());
        }
    }
    Ok(())
}

fn tar_header(size: u64, entry_type: tar::EntryType) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(FIXED_UNIX_TIME);
    header.set_entry_type(entry_type);
    header
}

fn make_tar(dir: &Path) -> Result<(), Failure> {
    let long_name = format!("{}/протокол заседания.txt", "очень-длинный-каталог".repeat(4));
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar_header(0, tar::EntryType::Directory);
    builder.append_data(&mut header, "folder/", std::io::empty())?;
    let content = "Протокол № 7\n".as_bytes();
    let mut header = tar_header(content.len() as u64, tar::EntryType::Regular);
    builder.append_data(&mut header, &long_name, content)?;
    let mut header = tar_header(6, tar::EntryType::Regular);
    builder.append_data(&mut header, "folder/short.txt", &b"short\n"[..])?;
    let mut header = tar_header(0, tar::EntryType::Symlink);
    builder.append_link(&mut header, "folder/link", "../../etc/shadow")?;
    let mut header = tar_header(0, tar::EntryType::Link);
    builder.append_link(&mut header, "folder/hardlink", "folder/short.txt")?;
    let long_names = builder.into_inner()?;
    fs::write(dir.join("0001_long_names.tar"), &long_names)?;

    // Cut in the middle of the second member's data.
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar_header(5, tar::EntryType::Regular);
    builder.append_data(&mut header, "first.txt", &b"first"[..])?;
    let big = vec![b'x'; 4096];
    let mut header = tar_header(big.len() as u64, tar::EntryType::Regular);
    builder.append_data(&mut header, "second.txt", &big[..])?;
    let whole = builder.into_inner()?;
    fs::write(dir.join("0002_truncated.tar"), &whole[..512 + 512 + 512 + 1000])?;

    fs::write(dir.join("0003_not_a_tar.tar"), vec![b'?'; 1024])?;
    fs::write(dir.join("0004_empty_archive.tar"), vec![0u8; 1024])?;

    // An old Russian Unix archive: KOI8-R names (bytes, as ustar and GNU store them), a link to one of them, and
    // one name in a PAX header, which is UTF-8 whatever the others are.
    use std::os::unix::ffi::OsStrExt as _;
    let koi8 = |name: &str| std::path::PathBuf::from(std::ffi::OsStr::from_bytes(&encoding_rs::KOI8_R.encode(name).0));
    let mut builder = tar::Builder::new(Vec::new());
    for name in ["Отчёт.txt", "бухгалтерия/Смета 2015.txt", "Я.txt"] {
        let mut header = tar_header(6, tar::EntryType::Regular);
        builder.append_data(&mut header, koi8(name), &b"koi8r\n"[..])?;
    }
    let mut header = tar_header(0, tar::EntryType::Symlink);
    builder.append_link(&mut header, koi8("ссылка"), koi8("Отчёт.txt"))?;
    builder.append_pax_extensions([("path", "Звіт (PAX).txt".as_bytes())])?;
    let mut header = tar_header(4, tar::EntryType::Regular);
    builder.append_data(&mut header, "pax-name-follows.txt", &b"pax\n"[..])?;
    fs::write(dir.join("0005_koi8_r_names.tar"), builder.into_inner()?)?;
    Ok(())
}

fn gzip(name: Option<&str>, content: &[u8]) -> Result<Vec<u8>, Failure> {
    let mut builder = flate2::GzBuilder::new().mtime(FIXED_UNIX_TIME as u32);
    if let Some(name) = name {
        builder = builder.filename(name.as_bytes());
    }
    let mut encoder = builder.write(Vec::new(), flate2::Compression::default());
    encoder.write_all(content)?;
    Ok(encoder.finish()?)
}

fn make_gz(dir: &Path) -> Result<(), Failure> {
    let text = "Служебная записка\n".repeat(20);
    let named = gzip(Some("записка.txt"), text.as_bytes())?;
    fs::write(dir.join("0001_with_name.gz"), &named)?;

    let mut multi = gzip(None, b"first member\n")?;
    multi.extend(gzip(None, b"second member\n")?);
    fs::write(dir.join("0002_multi_member.gz"), multi)?;

    fs::write(dir.join("0003_truncated.gz"), &named[..named.len() / 2])?;

    let mut trailing = gzip(None, b"content\n")?;
    trailing.extend_from_slice(b"junk after the stream");
    fs::write(dir.join("0004_trailing_junk.gz"), trailing)?;

    let mut padded = gzip(None, b"tape\n")?;
    padded.extend_from_slice(&[0u8; 512]);
    fs::write(dir.join("0005_zero_padded.txt.gz"), padded)?;

    fs::write(dir.join("0006_not_gzip.gz"), b"plain text\n")?;
    Ok(())
}

fn bzip2_bytes(content: &[u8]) -> Result<Vec<u8>, Failure> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    encoder.write_all(content)?;
    Ok(encoder.finish()?)
}

fn make_bz2(dir: &Path) -> Result<(), Failure> {
    let one = bzip2_bytes("Докладная записка\n".repeat(10).as_bytes())?;
    fs::write(dir.join("0001_text.txt.bz2"), &one)?;
    let mut multi = bzip2_bytes(b"stream one\n")?;
    multi.extend(bzip2_bytes(b"stream two\n")?);
    fs::write(dir.join("0002_multistream.bz2"), multi)?;
    fs::write(dir.join("0003_truncated.bz2"), &one[..one.len() / 2])?;
    Ok(())
}

fn xz_bytes(content: &[u8]) -> Result<Vec<u8>, Failure> {
    let mut writer = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6))?;
    writer.write_all(content)?;
    Ok(writer.finish()?)
}

fn make_xz(dir: &Path) -> Result<(), Failure> {
    let text = "Пояснительная записка\n".repeat(50);
    let one = xz_bytes(text.as_bytes())?;
    fs::write(dir.join("0001_text.txt.xz"), &one)?;
    fs::write(dir.join("0002_truncated.xz"), &one[..one.len() / 2])?;
    let mut corrupt = one.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0xff;
    fs::write(dir.join("0003_corrupt.xz"), corrupt)?;
    let mut multi = xz_bytes(b"stream one\n")?;
    multi.extend(xz_bytes(b"stream two\n")?);
    fs::write(dir.join("0004_multistream.xz"), multi)?;
    Ok(())
}

fn sevenz_entry(name: &str, directory: bool) -> sevenz_rust2::ArchiveEntry {
    let mut entry = if directory {
        sevenz_rust2::ArchiveEntry::new_directory(name)
    } else {
        sevenz_rust2::ArchiveEntry::new_file(name)
    };
    // FILETIME: 100 ns ticks since 1601.
    entry.last_modified_date = ((FIXED_UNIX_TIME + 11_644_473_600) * 10_000_000).into();
    entry.has_last_modified_date = true;
    entry
}

fn sevenz_solid(entries: &[(&str, &[u8])], encryption: Option<(&str, bool)>) -> Result<Vec<u8>, Failure> {
    let mut writer = sevenz_rust2::ArchiveWriter::new(std::io::Cursor::new(Vec::new()))?;
    if let Some((password, encrypt_header)) = encryption {
        writer.set_content_methods(vec![
            sevenz_rust2::encoder_options::AesEncoderOptions::new(password.into()).into(),
            sevenz_rust2::encoder_options::Lzma2Options::from_level(6).into(),
        ]);
        writer.set_encrypt_header(encrypt_header);
    }
    writer.push_archive_entry::<&[u8]>(sevenz_entry("folder", true), None)?;
    let files: Vec<_> = entries.iter().map(|(name, _)| sevenz_entry(name, false)).collect();
    let readers: Vec<_> = entries.iter().map(|(_, content)| sevenz_rust2::SourceReader::new(*content)).collect();
    writer.push_archive_entries(files, readers)?;
    Ok(writer.finish()?.into_inner())
}

fn make_7z(dir: &Path) -> Result<(), Failure> {
    let entries: [(&str, &[u8]); 3] =
        [("folder/приказ.txt", "Приказ № 12\n".as_bytes()), ("folder/notes.txt", b"notes\n"), ("empty.txt", b"")];
    let solid = sevenz_solid(&entries, None)?;
    fs::write(dir.join("0001_solid.7z"), &solid)?;
    fs::write(dir.join("0002_truncated.7z"), &solid[..solid.len() - 20])?;
    let encrypted = sevenz_solid(&entries[..2], Some(("secret", false)))?;
    fs::write(dir.join("0003_encrypted_content.7z"), encrypted)?;
    let encrypted_header = sevenz_solid(&entries[..2], Some(("secret", true)))?;
    fs::write(dir.join("0004_encrypted_header.7z"), encrypted_header)?;
    fs::write(dir.join("0005_not_7z.7z"), b"plain text\n")?;
    Ok(())
}
