//! A small reader of ASN.1 BER/DER, enough for PKCS#7/CMS: tag-length-value elements over a byte slice,
//! definite and indefinite lengths, and OCTET STRINGs split into chunks (which signed mail writes).
//!
//! Everything is borrowed from the input, so a hostile length can never allocate more than the file's size;
//! indefinite lengths are resolved by walking the children, with the nesting depth bounded.

/// How deep indefinite-length and constructed elements may nest before the input is called malformed.
pub(crate) const MAX_DEPTH: u32 = 48;

pub(crate) const TAG_INTEGER: u32 = 2;
pub(crate) const TAG_OCTET_STRING: u32 = 4;
pub(crate) const TAG_OID: u32 = 6;
pub(crate) const TAG_SEQUENCE: u32 = 16;
pub(crate) const TAG_SET: u32 = 17;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Universal,
    Application,
    Context,
    Private,
}

/// Why an element could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BerError {
    /// The input ends before the element does.
    Truncated(String),
    Malformed(String),
}

/// One element: its tag and its content bytes (without the end-of-contents mark of an indefinite length).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'a> {
    pub(crate) class: Class,
    pub(crate) constructed: bool,
    pub(crate) tag: u32,
    pub(crate) content: &'a [u8],
    /// The whole encoding (header, content and, for an indefinite length, the end-of-contents mark).
    pub(crate) raw: &'a [u8],
}

impl<'a> Element<'a> {
    pub(crate) fn is(&self, class: Class, tag: u32) -> bool {
        self.class == class && self.tag == tag
    }

    pub(crate) fn is_universal(&self, tag: u32) -> bool {
        self.is(Class::Universal, tag)
    }

    /// The elements inside a constructed element. A primitive element has none.
    pub(crate) fn children(&self) -> Children<'a> {
        Children { rest: if self.constructed { self.content } else { &[] }, depth: 0 }
    }

    /// All children, or the first error met.
    pub(crate) fn child_list(&self) -> Result<Vec<Element<'a>>, BerError> {
        self.children().collect()
    }

    /// The bytes of an OCTET STRING (or any string type), joining the chunks of a constructed one.
    pub(crate) fn octets(&self) -> Result<Vec<u8>, BerError> {
        let mut out = Vec::new();
        append_octets(self, &mut out, 0)?;
        Ok(out)
    }
}

fn append_octets(element: &Element<'_>, out: &mut Vec<u8>, depth: u32) -> Result<(), BerError> {
    if !element.constructed {
        out.extend_from_slice(element.content);
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Err(BerError::Malformed(format!("string chunks nested deeper than {MAX_DEPTH}")));
    }
    for chunk in element.children() {
        append_octets(&chunk?, out, depth + 1)?;
    }
    Ok(())
}

/// Iterates over consecutive elements of a byte slice.
pub(crate) struct Children<'a> {
    rest: &'a [u8],
    depth: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Element<'a>, BerError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match parse_at_depth(self.rest, self.depth) {
            Ok((element, used)) => {
                self.rest = &self.rest[used..];
                Some(Ok(element))
            }
            Err(err) => {
                self.rest = &[];
                Some(Err(err))
            }
        }
    }
}

/// Parses the element at the start of `input`; returns it and how many bytes it takes.
pub(crate) fn parse(input: &[u8]) -> Result<(Element<'_>, usize), BerError> {
    parse_at_depth(input, 0)
}

fn parse_at_depth(input: &[u8], depth: u32) -> Result<(Element<'_>, usize), BerError> {
    if depth >= MAX_DEPTH {
        return Err(BerError::Malformed(format!("elements nested deeper than {MAX_DEPTH}")));
    }
    let truncated = || BerError::Truncated("the data ends inside an element header".to_string());
    let first = *input.first().ok_or_else(truncated)?;
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut at = 1;
    let mut tag = u32::from(first & 0x1F);
    if tag == 0x1F {
        // High tag numbers: base-128 digits, at most four of them here (no real schema needs more).
        tag = 0;
        loop {
            let byte = *input.get(at).ok_or_else(truncated)?;
            at += 1;
            if at > 5 {
                return Err(BerError::Malformed("tag number too long".to_string()));
            }
            tag = (tag << 7) | u32::from(byte & 0x7F);
            if byte & 0x80 == 0 {
                break;
            }
        }
    }
    let length_byte = *input.get(at).ok_or_else(truncated)?;
    at += 1;
    if length_byte == 0x80 {
        if !constructed {
            return Err(BerError::Malformed("indefinite length on a primitive element".to_string()));
        }
        // Walk the children until the end-of-contents mark (two zero bytes).
        let start = at;
        loop {
            let rest = &input[at..];
            if rest.len() >= 2 && rest[0] == 0 && rest[1] == 0 {
                let element = Element { class, constructed, tag, content: &input[start..at], raw: &input[..at + 2] };
                return Ok((element, at + 2));
            }
            if rest.is_empty() {
                return Err(BerError::Truncated("the data ends before an indefinite-length element does".to_string()));
            }
            let (_, used) = parse_at_depth(rest, depth + 1)?;
            at += used;
        }
    }
    let length = if length_byte & 0x80 == 0 {
        usize::from(length_byte)
    } else {
        let count = usize::from(length_byte & 0x7F);
        if count > 8 || count == 0x7F {
            return Err(BerError::Malformed(format!("length of {count} bytes")));
        }
        let bytes = input.get(at..at + count).ok_or_else(truncated)?;
        at += count;
        let length = bytes.iter().fold(0u64, |length, byte| (length << 8) | u64::from(*byte));
        usize::try_from(length).map_err(|_| BerError::Malformed(format!("length {length}")))?
    };
    let end = at.checked_add(length).ok_or_else(|| BerError::Malformed(format!("length {length}")))?;
    if end > input.len() {
        return Err(BerError::Truncated(format!(
            "an element of {length} bytes, but only {} bytes are left",
            input.len() - at
        )));
    }
    Ok((Element { class, constructed, tag, content: &input[at..end], raw: &input[..end] }, end))
}

/// An OBJECT IDENTIFIER's content as dotted text ("1.2.840.113549.1.7.2").
pub(crate) fn oid_text(content: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for byte in content {
        value = (value << 7) | u64::from(byte & 0x7F);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
        if value > u64::MAX >> 8 {
            // A hostile arc longer than 56 bits: stop rather than overflow.
            break;
        }
    }
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite_lengths_give_the_same_octets() {
        // SEQUENCE { OCTET STRING "hi" } in DER, and a constructed OCTET STRING of two chunks, indefinite.
        let der = [0x30, 0x04, 0x04, 0x02, b'h', b'i'];
        let (element, used) = parse(&der).expect("valid DER");
        assert_eq!(used, 6);
        assert_eq!(element.child_list().expect("children")[0].octets().expect("octets"), b"hi");

        let ber = [0x24, 0x80, 0x04, 0x01, b'h', 0x04, 0x01, b'i', 0x00, 0x00];
        let (element, used) = parse(&ber).expect("valid BER");
        assert_eq!(used, ber.len());
        assert_eq!(element.octets().expect("octets"), b"hi");
    }

    #[test]
    fn hostile_lengths_and_nesting_are_errors_not_panics() {
        assert!(matches!(parse(&[0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]), Err(BerError::Truncated(_))));
        assert!(matches!(parse(&[0x04, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]), Err(BerError::Malformed(_))));
        assert!(matches!(parse(&[0x30, 0x80, 0x04, 0x00]), Err(BerError::Truncated(_))));
        let deep: Vec<u8> = std::iter::repeat_n([0x30, 0x80], 10_000).flatten().collect();
        assert!(matches!(parse(&deep), Err(BerError::Malformed(_))));
        assert!(parse(&[]).is_err());
    }

    #[test]
    fn oids_read_as_dotted_text() {
        assert_eq!(oid_text(&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]), "1.2.840.113549.1.7.2");
        assert_eq!(oid_text(&[0x55, 0x04, 0x03]), "2.5.4.3");
    }
}
