//! Detects a file's format by content and hands it to the reader for that format.
//!
//! This is the only crate that knows every reader; the readers know nothing of each other. It does not recurse into
//! children: a reader streams them into the [`ChildSink`](dossier_document::ChildSink), and whoever owns the sink
//! (the ingest pipeline, `dossier extract`) decides whether and how to read them in turn.

mod detect;

pub use detect::detect_file;

use dossier_document::{Context, ExtractError, Extraction, Format, ReadFn, Source};

/// The reader for `format`, or `None` where dossier cannot read that format yet.
pub fn reader_for(format: Format) -> Option<ReadFn> {
    let read: ReadFn = match format {
        Format::Text => dossier_text::read_text,
        Format::Html => dossier_text::read_html,
        Format::Xml => dossier_text::read_xml,
        Format::Csv => dossier_records::read_csv,
        Format::Tsv => dossier_records::read_tsv,
        Format::Json => dossier_records::read_json,
        Format::Ics => dossier_records::read_ics,
        Format::Vcf => dossier_records::read_vcf,
        Format::Fb2 => dossier_ebook::read_fb2,
        Format::Epub => dossier_ebook::read_epub,
        Format::Pdf => dossier_pdf::read_pdf,
        Format::Docx => dossier_office::read_docx,
        Format::Xlsx => dossier_office::read_xlsx,
        Format::Pptx => dossier_office::read_pptx,
        Format::Odt => dossier_office::read_odt,
        Format::Ods => dossier_office::read_ods,
        Format::Odp => dossier_office::read_odp,
        Format::Doc => dossier_legacy::read_doc,
        Format::Xls => dossier_legacy::read_xls,
        Format::Ppt => dossier_legacy::read_ppt,
        Format::Works => dossier_legacy::read_works,
        Format::Rtf => dossier_rtf::read_rtf,
        Format::Msg => dossier_outlook::read_msg,
        Format::Pst => dossier_outlook::read_pst,
        Format::Eml => dossier_mail::read_eml,
        Format::Mbox => dossier_mail::read_mbox,
        Format::Zip => dossier_archive::read_zip,
        Format::Tar => dossier_archive::read_tar,
        Format::Gzip => dossier_archive::read_gzip,
        Format::Bzip2 => dossier_archive::read_bzip2,
        Format::Xz => dossier_archive::read_xz,
        Format::SevenZip => dossier_archive::read_7z,
        Format::EncryptedOoxml => dossier_office::read_encrypted_ooxml,
        Format::Jpeg | Format::Png | Format::Gif | Format::Tiff | Format::Bmp | Format::Webp | Format::Jpeg2000 => {
            dossier_image::read_image
        }
        Format::Xlsb => dossier_office::read_xlsb,
        Format::Dbf => dossier_records::read_dbf,
        Format::Pkcs7 => dossier_archive::read_pkcs7,
        Format::Rar => dossier_archive::read_rar,
        Format::WordPerfect => dossier_wordperfect::read_wordperfect,
        Format::Emf | Format::Wmf => dossier_legacy::read_metafile,
        // Named so that a failure says what the file is, but not read (yet).
        Format::Ole
        | Format::Access
        | Format::Djvu
        | Format::Mp4
        | Format::Wav
        | Format::Mp3
        | Format::Ogg
        | Format::Flac
        | Format::Amr
        | Format::Avi
        | Format::AppleDouble
        | Format::Warc
        | Format::Binary => return None,
    };
    Some(read)
}

/// Detects the format of `src` and reads it. The format is returned even when reading fails, so that a failure
/// can say what the file was.
pub fn extract(src: &Source<'_>, ctx: &mut Context<'_>) -> (Option<Format>, Result<Extraction, ExtractError>) {
    let len = match std::fs::metadata(src.path) {
        Ok(metadata) => metadata.len(),
        Err(err) => return (None, Err(ExtractError::io(&err))),
    };
    if len == 0 {
        return (None, Err(ExtractError::Empty));
    }
    let format = match detect_file(src.path) {
        Ok(format) => format,
        Err(err) => return (None, Err(ExtractError::io(&err))),
    };
    let result = match reader_for(format) {
        Some(read) => read(src, ctx),
        None => Err(ExtractError::Unsupported(format.mime().to_string())),
    };
    (Some(format), result)
}
