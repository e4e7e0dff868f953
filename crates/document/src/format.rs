//! The formats dossier can name, with their MIME types.

use serde::{Deserialize, Serialize};

/// A file format as detected from content. Formats dossier can name but not yet read still get a variant, so that
/// a failure says "unsupported format application/msword" rather than "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Text,
    Csv,
    Tsv,
    Json,
    Ics,
    Vcf,
    Fb2,
    Html,
    Xml,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
    Eml,
    Mbox,
    Zip,
    Tar,
    Gzip,
    Bzip2,
    Xz,
    SevenZip,
    Rar,
    /// An OLE2 compound file (legacy Office, Outlook MSG...).
    Ole,
    Doc,
    Xls,
    Ppt,
    Msg,
    Pst,
    Rtf,
    Epub,
    Jpeg,
    Png,
    Gif,
    Tiff,
    Bmp,
    Webp,
    /// Excel binary workbook (BIFF12 parts in a ZIP package).
    Xlsb,
    /// A password-protected DOCX/XLSX/PPTX: an OLE2 file holding EncryptionInfo and EncryptedPackage.
    EncryptedOoxml,
    /// A dBASE table.
    Dbf,
    /// A PKCS#7 / CMS signed message (.p7m, .p7s), possibly wrapping the signed document.
    Pkcs7,
    /// A Microsoft Works word-processor document (an OLE2 file, but not Word's format).
    Works,
    WordPerfect,
    Jpeg2000,
    /// A Microsoft Access database.
    Access,
    Djvu,
    /// An MPEG-4 / QuickTime media file (audio or video).
    Mp4,
    /// A RIFF WAVE sound recording.
    Wav,
    /// An MPEG audio file (with an ID3 tag or a bare frame header).
    Mp3,
    /// An Ogg container (Vorbis or Opus voice messages).
    Ogg,
    Flac,
    /// An AMR voice recording, as phones save them.
    Amr,
    Avi,
    /// The resource fork and Finder data macOS puts beside a file in archives (`__MACOSX/._name`).
    AppleDouble,
    /// A web archive (WARC) file.
    Warc,
    /// A Windows enhanced metafile (vector picture) and its 16-bit predecessor.
    Emf,
    Wmf,
    /// Bytes dossier cannot name: binary data of no known format.
    Binary,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Text,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Ics,
        Format::Vcf,
        Format::Fb2,
        Format::Html,
        Format::Xml,
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Pptx,
        Format::Odt,
        Format::Ods,
        Format::Odp,
        Format::Eml,
        Format::Mbox,
        Format::Zip,
        Format::Tar,
        Format::Gzip,
        Format::Bzip2,
        Format::Xz,
        Format::SevenZip,
        Format::Rar,
        Format::Ole,
        Format::Doc,
        Format::Xls,
        Format::Ppt,
        Format::Msg,
        Format::Pst,
        Format::Rtf,
        Format::Epub,
        Format::Jpeg,
        Format::Png,
        Format::Gif,
        Format::Tiff,
        Format::Bmp,
        Format::Webp,
        Format::Xlsb,
        Format::EncryptedOoxml,
        Format::Dbf,
        Format::Pkcs7,
        Format::Works,
        Format::WordPerfect,
        Format::Jpeg2000,
        Format::Access,
        Format::Djvu,
        Format::Mp4,
        Format::Wav,
        Format::Mp3,
        Format::Ogg,
        Format::Flac,
        Format::Amr,
        Format::Avi,
        Format::AppleDouble,
        Format::Warc,
        Format::Emf,
        Format::Wmf,
        Format::Binary,
    ];

    pub fn mime(self) -> &'static str {
        match self {
            Format::Text => "text/plain",
            Format::Csv => "text/csv",
            Format::Tsv => "text/tab-separated-values",
            Format::Json => "application/json",
            Format::Ics => "text/calendar",
            Format::Vcf => "text/vcard",
            Format::Fb2 => "application/x-fictionbook+xml",
            Format::Html => "text/html",
            Format::Xml => "application/xml",
            Format::Pdf => "application/pdf",
            Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            Format::Odt => "application/vnd.oasis.opendocument.text",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Odp => "application/vnd.oasis.opendocument.presentation",
            Format::Eml => "message/rfc822",
            Format::Mbox => "application/mbox",
            Format::Zip => "application/zip",
            Format::Tar => "application/x-tar",
            Format::Gzip => "application/gzip",
            Format::Bzip2 => "application/x-bzip2",
            Format::Xz => "application/x-xz",
            Format::SevenZip => "application/x-7z-compressed",
            Format::Rar => "application/vnd.rar",
            Format::Ole => "application/x-ole-storage",
            Format::Doc => "application/msword",
            Format::Xls => "application/vnd.ms-excel",
            Format::Ppt => "application/vnd.ms-powerpoint",
            Format::Msg => "application/vnd.ms-outlook",
            Format::Pst => "application/vnd.ms-outlook-pst",
            Format::Rtf => "application/rtf",
            Format::Epub => "application/epub+zip",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::Tiff => "image/tiff",
            Format::Bmp => "image/bmp",
            Format::Webp => "image/webp",
            Format::Xlsb => "application/vnd.ms-excel.sheet.binary.macroenabled.12",
            Format::EncryptedOoxml => "application/x-tika-ooxml-protected",
            Format::Dbf => "application/x-dbf",
            Format::Pkcs7 => "application/pkcs7-mime",
            Format::Works => "application/vnd.ms-works",
            Format::WordPerfect => "application/vnd.wordperfect",
            Format::Jpeg2000 => "image/jp2",
            Format::Access => "application/x-msaccess",
            Format::Djvu => "image/vnd.djvu",
            Format::Mp4 => "video/mp4",
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
            Format::Ogg => "audio/ogg",
            Format::Flac => "audio/flac",
            Format::Amr => "audio/amr",
            Format::Avi => "video/x-msvideo",
            Format::AppleDouble => "application/applefile",
            Format::Warc => "application/warc",
            Format::Emf => "image/emf",
            Format::Wmf => "image/wmf",
            Format::Binary => "application/octet-stream",
        }
    }

    /// A short lower-case name for reports ("pdf", "docx", "7z").
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Ics => "ics",
            Format::Vcf => "vcf",
            Format::Fb2 => "fb2",
            Format::Html => "html",
            Format::Xml => "xml",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Odt => "odt",
            Format::Ods => "ods",
            Format::Odp => "odp",
            Format::Eml => "eml",
            Format::Mbox => "mbox",
            Format::Zip => "zip",
            Format::Tar => "tar",
            Format::Gzip => "gz",
            Format::Bzip2 => "bz2",
            Format::Xz => "xz",
            Format::SevenZip => "7z",
            Format::Rar => "rar",
            Format::Ole => "ole",
            Format::Doc => "doc",
            Format::Xls => "xls",
            Format::Ppt => "ppt",
            Format::Msg => "msg",
            Format::Pst => "pst",
            Format::Rtf => "rtf",
            Format::Epub => "epub",
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Tiff => "tiff",
            Format::Bmp => "bmp",
            Format::Webp => "webp",
            Format::Xlsb => "xlsb",
            Format::EncryptedOoxml => "ooxml-encrypted",
            Format::Dbf => "dbf",
            Format::Pkcs7 => "p7m",
            Format::Works => "wps",
            Format::WordPerfect => "wpd",
            Format::Jpeg2000 => "jp2",
            Format::Access => "mdb",
            Format::Djvu => "djvu",
            Format::Mp4 => "mp4",
            Format::Wav => "wav",
            Format::Mp3 => "mp3",
            Format::Ogg => "ogg",
            Format::Flac => "flac",
            Format::Amr => "amr",
            Format::Avi => "avi",
            Format::AppleDouble => "appledouble",
            Format::Warc => "warc",
            Format::Emf => "emf",
            Format::Wmf => "wmf",
            Format::Binary => "binary",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|format| format.name() == name)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for &format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        let mut names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Format::ALL.len());
    }
}
