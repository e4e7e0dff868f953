//! Regenerates crates/image/test_data deterministically: tiny images written with the `image` crate's encoders,
//! EXIF blocks written with kamadak-exif's writer and spliced in by hand, a two-page TIFF written byte by byte,
//! damaged copies, and one page of printed text rendered by poppler from the OCR crate's hand-written PDF
//! (`pdftoppm -r 150 -gray -png -singlefile ../ocr/test_data/0001_english_text.pdf png/0005_english_text`).
//!
//! `cargo run -p dossier-image --example make_fixtures`, then `DOSSIER_UPDATE_GOLDEN=1 cargo test -p dossier-image`
//! and review the `.expected` files.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use exif::{Field, In, Rational, Tag, Value};
use image::ExtendedColorType;
use image::ImageEncoder;

const WIDTH: u32 = 24;
const HEIGHT: u32 = 16;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data");
    let write = |folder: &str, name: &str, bytes: &[u8]| {
        let dir = root.join(folder);
        std::fs::create_dir_all(&dir).expect("test_data is writable");
        std::fs::write(dir.join(name), bytes).expect("fixture is writable");
    };

    let jpeg = jpeg_plain();
    let with_exif = splice_after_soi(&jpeg, &app1(b"Exif\0\0", &camera_exif()));
    write("jpeg", "0001_camera_exif_gps.jpg", &with_exif);
    write(
        "jpeg",
        "0002_photoshop_xmp.jpg",
        &splice_after_soi(&jpeg, &app1(b"http://ns.adobe.com/xap/1.0/\0", XMP.as_bytes())),
    );
    write("jpeg", "0003_truncated.jpg", &with_exif[..with_exif.len() * 2 / 3]);
    write("jpeg", "0004_header_only.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0x00]);
    write("jpeg", "0005_empty.jpg", &[]);
    write("jpeg", "0006_no_metadata.jpg", &jpeg);

    let png = png_plain();
    write("png", "0001_plain.png", &png);
    write("png", "0002_exif_chunk.png", &splice_png_chunk(&png, b"eXIf", &camera_exif()));
    write("png", "0003_truncated.png", &png[..png.len() - 20]);
    write("png", "0004_not_png_inside.png", b"\x89PNG\r\n\x1a\nthis is not a chunk");
    render_text_page(&root.join("png/0005_english_text"));

    write("tiff", "0001_two_pages.tif", &two_page_tiff());
    let tiff = two_page_tiff();
    write("tiff", "0002_cut_in_second_page.tif", &tiff[..tiff.len() - 40]);

    let mut gif = Vec::new();
    image::codecs::gif::GifEncoder::new(&mut gif)
        .encode(&rgba_pixels(), WIDTH, HEIGHT, ExtendedColorType::Rgba8)
        .expect("GIF encodes");
    write("gif", "0001_plain.gif", &gif);
    write("gif", "0002_truncated.gif", &gif[..gif.len() - 10]);

    let mut bmp = Vec::new();
    image::codecs::bmp::BmpEncoder::new(&mut bmp)
        .encode(&gray_pixels(), WIDTH, HEIGHT, ExtendedColorType::L8)
        .expect("BMP encodes");
    write("bmp", "0001_plain.bmp", &bmp);

    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(&rgba_pixels(), WIDTH, HEIGHT, ExtendedColorType::Rgba8)
        .expect("WebP encodes");
    write("webp", "0001_lossless.webp", &webp);
    write("webp", "0002_riff_wave_not_webp.webp", b"RIFF\x04\0\0\0WAVE");
}

/// A soft gradient: no shapes Tesseract could take for letters.
fn gray_pixels() -> Vec<u8> {
    (0..WIDTH * HEIGHT).map(|i| 160 + (i % WIDTH) as u8 * 2).collect()
}

fn rgba_pixels() -> Vec<u8> {
    gray_pixels().into_iter().flat_map(|g| [g, g / 2, 255 - g, 255]).collect()
}

fn jpeg_plain() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode(&gray_pixels(), WIDTH, HEIGHT, ExtendedColorType::L8)
        .expect("JPEG encodes");
    jpeg
}

fn png_plain() -> Vec<u8> {
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&gray_pixels(), WIDTH, HEIGHT, ExtendedColorType::L8)
        .expect("PNG encodes");
    png
}

fn ascii(tag: Tag, text: &str) -> Field {
    Field { tag, ifd_num: In::PRIMARY, value: Value::Ascii(vec![text.as_bytes().to_vec()]) }
}

fn rationals(tag: Tag, values: &[(u32, u32)]) -> Field {
    let values = values.iter().map(|&(num, denom)| Rational { num, denom }).collect();
    Field { tag, ifd_num: In::PRIMARY, value: Value::Rational(values) }
}

/// A camera's EXIF block: Kyiv, 2022-02-24 05:30, 179 m above sea level.
fn camera_exif() -> Vec<u8> {
    let fields = [
        ascii(Tag::Make, "Canon"),
        ascii(Tag::Model, "Canon EOS 5D Mark IV"),
        ascii(Tag::Software, "Firmware Version 1.2.1"),
        ascii(Tag::Artist, "Ivan Petrenko"),
        ascii(Tag::Copyright, "(c) 2022 Example Press"),
        ascii(Tag::ImageDescription, "Checkpoint on the Zhytomyr highway"),
        Field { tag: Tag::Orientation, ifd_num: In::PRIMARY, value: Value::Short(vec![6]) },
        ascii(Tag::DateTime, "2022:02:25 10:00:00"),
        ascii(Tag::DateTimeOriginal, "2022:02:24 05:30:15"),
        ascii(Tag::OffsetTimeOriginal, "+02:00"),
        ascii(Tag::LensMake, "Canon"),
        ascii(Tag::LensModel, "Canon EF 24-70mm f/2.8L II USM"),
        ascii(Tag::GPSLatitudeRef, "N"),
        rationals(Tag::GPSLatitude, &[(50, 1), (27, 1), (1234, 100)]),
        ascii(Tag::GPSLongitudeRef, "E"),
        rationals(Tag::GPSLongitude, &[(30, 1), (31, 1), (2400, 100)]),
        Field { tag: Tag::GPSAltitudeRef, ifd_num: In::PRIMARY, value: Value::Byte(vec![0]) },
        rationals(Tag::GPSAltitude, &[(1790, 10)]),
    ];
    let mut writer = exif::experimental::Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, false).expect("EXIF writes to memory");
    out.into_inner()
}

const XMP: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
 xmp:CreatorTool="Adobe Photoshop 24.1 (Windows)" xmp:CreateDate="2023-01-10T09:15:00+02:00"
 xmp:ModifyDate="2023-01-11T18:40:00+02:00">
<xmpMM:History><rdf:Seq>
<rdf:li stEvt:action="created" stEvt:softwareAgent="Adobe Photoshop 24.1 (Windows)"/>
<rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop 24.1 (Windows)"/>
</rdf:Seq></xmpMM:History>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;

fn app1(signature: &[u8], payload: &[u8]) -> Vec<u8> {
    let length = u16::try_from(2 + signature.len() + payload.len()).expect("APP1 segment fits 64 KB");
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(signature);
    segment.extend_from_slice(payload);
    segment
}

fn splice_after_soi(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    [&jpeg[..2], segment, &jpeg[2..]].concat()
}

/// Inserts a chunk right after IHDR (signature 8 bytes + IHDR 25 bytes).
fn splice_png_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    [&png[..33], &chunk, &png[33..]].concat()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A little-endian TIFF with two 8x8 uncompressed grayscale pages; the first names its scanner.
fn two_page_tiff() -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let page_pixels = [200u8; 64];
    let make = b"ScanCo\0\0";
    // Each directory: 10 entries (2 + 120 + 4 = 126 bytes), then its pixels and the make string.
    let mut next = 8u32;
    for page in 0..2u32 {
        let directory = next;
        let pixels = directory + 126;
        let make_at = pixels + 64;
        next = if page == 0 { make_at + 8 } else { 0 };
        let entries: [(u16, u16, u32, u32); 10] = [
            (256, 3, 1, 8),
            (257, 3, 1, 8),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (271, 2, make.len() as u32, make_at),
            (273, 4, 1, pixels),
            (277, 3, 1, 1),
            (278, 3, 1, 8),
            (279, 4, 1, 64),
        ];
        tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in entries {
            tiff.extend_from_slice(&tag.to_le_bytes());
            tiff.extend_from_slice(&kind.to_le_bytes());
            tiff.extend_from_slice(&count.to_le_bytes());
            tiff.extend_from_slice(&value.to_le_bytes());
        }
        tiff.extend_from_slice(&next.to_le_bytes());
        tiff.extend_from_slice(&page_pixels);
        tiff.extend_from_slice(make);
    }
    tiff
}

fn render_text_page(output_prefix: &Path) {
    let pdf = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ocr/test_data/0001_english_text.pdf");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(output_prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success(), "pdftoppm failed");
}
