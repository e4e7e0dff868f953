//! EXIF metadata (camera, dates, GPS position, authorship) mapped onto dossier's metadata keys.
//!
//! Keys: `camera_make`, `camera_model`, `lens`, `software`, `created` (DateTimeOriginal, else DateTimeDigitized),
//! `modified` (DateTime), `gps_latitude`/`gps_longitude` (decimal degrees, south and west negative),
//! `gps_altitude` (metres, below sea level negative), `orientation`, `author` (Artist), `copyright`, `description`.

use std::io::Cursor;

use dossier_document::Metadata;
use exif::{DateTime, Exif, Field, In, Tag, Value};

pub(crate) fn read_into(bytes: &[u8], metadata: &mut Metadata, diagnostics: &mut Vec<String>) {
    let mut reader = exif::Reader::new();
    // A damaged maker note or one bad field must not cost the camera, date and position of the rest.
    reader.continue_on_error(true);
    let exif = match reader.read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            // kamadak-exif stops after 8 image directories: a long multipage TIFF, not damage.
            if let Some(first) = errors.iter().find(|err| !err.to_string().contains("IFD count")) {
                diagnostics.push(format!("EXIF partly unreadable: {first}"));
            }
            exif
        }
        // Most images have no EXIF at all; that is not damage.
        Err(exif::Error::NotFound(_)) | Err(exif::Error::InvalidFormat(_)) => return,
        Err(err) => {
            diagnostics.push(format!("EXIF unreadable: {err}"));
            return;
        }
    };
    let text = |tag: Tag| exif.get_field(tag, In::PRIMARY).and_then(ascii);
    for (tag, key) in [
        (Tag::Make, "camera_make"),
        (Tag::Model, "camera_model"),
        (Tag::Software, "software"),
        (Tag::Artist, "author"),
        (Tag::Copyright, "copyright"),
        (Tag::ImageDescription, "description"),
    ] {
        if let Some(value) = text(tag) {
            metadata.set(key, value);
        }
    }
    let lens = [text(Tag::LensMake), text(Tag::LensModel)].into_iter().flatten().collect::<Vec<_>>();
    // Lens models usually repeat the make ("Canon EF 50mm"); keep the model alone then.
    let lens = match lens.as_slice() {
        [make, model] if model.starts_with(make.as_str()) => model.clone(),
        _ => lens.join(" "),
    };
    metadata.set("lens", lens);
    if let Some(orientation) = exif.get_field(Tag::Orientation, In::PRIMARY).and_then(|f| f.value.get_uint(0)) {
        metadata.set("orientation", orientation.to_string());
    }
    let created = date(&exif, Tag::DateTimeOriginal, Tag::OffsetTimeOriginal)
        .or_else(|| date(&exif, Tag::DateTimeDigitized, Tag::OffsetTimeDigitized));
    if let Some(created) = created {
        metadata.set("created", created);
    }
    if let Some(modified) = date(&exif, Tag::DateTime, Tag::OffsetTime) {
        metadata.set("modified", modified);
    }
    if let Some(latitude) = coordinate(&exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, 'S', 90.0) {
        metadata.set("gps_latitude", latitude);
    }
    if let Some(longitude) = coordinate(&exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, 'W', 180.0) {
        metadata.set("gps_longitude", longitude);
    }
    if let Some(altitude) = altitude(&exif) {
        metadata.set("gps_altitude", altitude);
    }
}

/// The first string of an ASCII field, or a UTF-8 byte field (some writers put UTF-8 where ASCII belongs).
fn ascii(field: &Field) -> Option<String> {
    match &field.value {
        Value::Ascii(strings) => {
            let bytes = strings.iter().find(|s| !s.is_empty())?;
            let text = String::from_utf8_lossy(bytes);
            let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
            (!text.is_empty()).then(|| text.to_string())
        }
        _ => None,
    }
}

/// An EXIF date ("2021:03:04 05:06:07") as ISO 8601, with the zone offset when the file records one.
fn date(exif: &Exif, tag: Tag, offset_tag: Tag) -> Option<String> {
    let field = exif.get_field(tag, In::PRIMARY)?;
    let Value::Ascii(strings) = &field.value else { return None };
    let mut date = DateTime::from_ascii(strings.first()?).ok()?;
    if !(1..=12).contains(&date.month) || !(1..=31).contains(&date.day) || date.hour > 23 || date.minute > 59 {
        return None;
    }
    if let Some(Value::Ascii(offsets)) = exif.get_field(offset_tag, In::PRIMARY).map(|f| &f.value)
        && let Some(offset) = offsets.first()
    {
        let _ = date.parse_offset(offset);
    }
    let mut iso = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        date.year,
        date.month,
        date.day,
        date.hour,
        date.minute,
        date.second.min(60)
    );
    if let Some(offset) = date.offset {
        let sign = if offset < 0 { '-' } else { '+' };
        let minutes = offset.unsigned_abs();
        iso.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
    }
    Some(iso)
}

/// Degrees, minutes and seconds as signed decimal degrees with six decimals (about 10 cm).
fn coordinate(exif: &Exif, tag: Tag, reference_tag: Tag, negative: char, bound: f64) -> Option<String> {
    let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else { return None };
    let part = |index: usize| parts.get(index).filter(|r| r.denom != 0).map(|r| r.to_f64()).unwrap_or(0.0);
    if parts.is_empty() || parts[0].denom == 0 {
        return None;
    }
    let mut degrees = part(0) + part(1) / 60.0 + part(2) / 3600.0;
    let reference = exif.get_field(reference_tag, In::PRIMARY).and_then(ascii).unwrap_or_default();
    if reference.trim().starts_with(negative) {
        degrees = -degrees;
    }
    if !degrees.is_finite() || degrees.abs() > bound {
        return None;
    }
    Some(format!("{degrees:.6}"))
}

fn altitude(exif: &Exif) -> Option<String> {
    let Value::Rational(parts) = &exif.get_field(Tag::GPSAltitude, In::PRIMARY)?.value else { return None };
    let value = parts.first().filter(|r| r.denom != 0)?.to_f64();
    let below_sea_level = exif.get_field(Tag::GPSAltitudeRef, In::PRIMARY).and_then(|f| f.value.get_uint(0)) == Some(1);
    let value = if below_sea_level { -value } else { value };
    Some(format!("{value:.1}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use exif::Rational;

    fn exif_bytes(fields: &[Field]) -> Vec<u8> {
        let mut writer = exif::experimental::Writer::new();
        for field in fields {
            writer.push_field(field);
        }
        let mut out = Cursor::new(Vec::new());
        writer.write(&mut out, false).expect("EXIF writes to memory");
        out.into_inner()
    }

    fn field(tag: Tag, value: Value) -> Field {
        Field { tag, ifd_num: In::PRIMARY, value }
    }

    #[test]
    fn dates_and_southern_western_positions_are_converted() {
        let rational = |num, denom| Rational { num, denom };
        let tiff = exif_bytes(&[
            field(Tag::DateTimeOriginal, Value::Ascii(vec![b"2021:03:04 05:06:07".to_vec()])),
            field(Tag::OffsetTimeOriginal, Value::Ascii(vec![b"+03:00".to_vec()])),
            field(Tag::GPSLatitudeRef, Value::Ascii(vec![b"S".to_vec()])),
            field(Tag::GPSLatitude, Value::Rational(vec![rational(33, 1), rational(51, 1), rational(3600, 100)])),
            field(Tag::GPSLongitudeRef, Value::Ascii(vec![b"W".to_vec()])),
            field(Tag::GPSLongitude, Value::Rational(vec![rational(70, 1), rational(30, 1), rational(0, 0)])),
            field(Tag::GPSAltitudeRef, Value::Byte(vec![1])),
            field(Tag::GPSAltitude, Value::Rational(vec![rational(125, 10)])),
        ]);
        let mut metadata = Metadata::default();
        let mut diagnostics = Vec::new();
        read_into(&tiff, &mut metadata, &mut diagnostics);
        assert_eq!(diagnostics, Vec::<String>::new());
        assert_eq!(metadata.get_str("created").as_deref(), Some("2021-03-04T05:06:07+03:00"));
        assert_eq!(metadata.get_str("gps_latitude").as_deref(), Some("-33.860000"));
        assert_eq!(metadata.get_str("gps_longitude").as_deref(), Some("-70.500000"));
        assert_eq!(metadata.get_str("gps_altitude").as_deref(), Some("-12.5"));
    }

    #[test]
    fn blank_dates_and_zero_denominators_are_dropped() {
        let tiff = exif_bytes(&[
            field(Tag::DateTimeOriginal, Value::Ascii(vec![b"    :  :     :  :  ".to_vec()])),
            field(Tag::GPSLatitude, Value::Rational(vec![Rational { num: 1, denom: 0 }])),
        ]);
        let mut metadata = Metadata::default();
        read_into(&tiff, &mut metadata, &mut Vec::new());
        assert!(metadata.is_empty(), "{metadata:?}");
    }
}
