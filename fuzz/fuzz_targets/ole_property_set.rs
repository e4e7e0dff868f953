//! OLE property sets (`\u{5}SummaryInformation`, `\u{5}DocumentSummaryInformation`), the metadata streams of every
//! legacy Office file and MSI/Works document, read as both kinds since the ids mean different things in each.
#![no_main]

use dossier_document::Metadata;
use dossier_legacy::{PropertySetKind, property_set_metadata};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut metadata = Metadata::default();
    property_set_metadata(data, PropertySetKind::Summary, &mut metadata);
    property_set_metadata(data, PropertySetKind::DocumentSummary, &mut metadata);
});
