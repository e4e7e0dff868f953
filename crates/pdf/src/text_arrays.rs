//! Repair of content streams whose arrays hold operators, such as `[(Quarterly) -250 (report) 0 g] TJ`.
//!
//! Some generators write an operator inside the array a `TJ` shows. MuPDF stops at the first such operator with a
//! syntax error and drops the whole array, so the line's text is lost (after enough of them, the rest of the page);
//! pdftotext (poppler) keeps the array's strings and numbers and skips each element that is neither, with a
//! warning. To read what pdftotext reads, a page's content is scanned for operators inside arrays; if it has any,
//! the content is rewritten in the opened document (in memory only, never on disk) without them, and the page is
//! read again. `Tw` and `Tc` stay, because MuPDF already applies those where they stand.

use mupdf::pdf::{PdfDocument, PdfObject};

/// Content larger than this (all of a page's streams together) is not scanned: the repair is for ordinary pages.
const MAX_CONTENT_BYTES: usize = 16 << 20;

/// Rewrites the content of page `page_index` without the operators that stand inside arrays. Returns how many were
/// removed (0: the page is left as it was).
pub fn repair_page(doc: &PdfDocument, page_index: i32) -> Result<usize, mupdf::Error> {
    let page = doc.find_page(page_index)?;
    let Some(contents) = page.get_dict("Contents")? else {
        return Ok(0);
    };
    let mut streams: Vec<PdfObject> = Vec::new();
    if contents.is_array()? {
        for index in 0..contents.len()? {
            if let Some(stream) = contents.get_array(i32::try_from(index)?)?
                && stream.is_stream()?
            {
                streams.push(stream);
            }
        }
    } else if contents.is_stream()? {
        streams.push(contents);
    }
    let mut content = Vec::new();
    for stream in &streams {
        content.extend(stream.read_stream()?);
        // The streams of a page are one content stream split anywhere between tokens.
        content.push(b'\n');
        if content.len() > MAX_CONTENT_BYTES {
            return Ok(0);
        }
    }
    let (repaired, removed) = without_operators_in_arrays(&content);
    if removed == 0 {
        return Ok(0);
    }
    let mut streams = streams.into_iter();
    if let Some(mut first) = streams.next() {
        first.write_stream_buffer(&mupdf::Buffer::from_bytes(&repaired)?)?;
    }
    for mut rest in streams {
        rest.write_stream_buffer(&mupdf::Buffer::new())?;
    }
    Ok(removed)
}

/// `content` with every operator inside an array (other than `Tw` and `Tc`) replaced by a space, and in a text
/// object (between BT and ET) every name, `true`, `false` and `null` inside an array too, and how many were. An
/// operator's numeric operands stay, as kerning of no visible width, as in pdftotext. Strings, comments and inline
/// image data are skipped as such, so their bytes are never taken for operators.
pub fn without_operators_in_arrays(content: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(content.len());
    let mut removed = 0;
    let mut depth = 0usize;
    // Between BT and ET, where an array is the operand of TJ.
    let mut in_text = false;
    let mut at = 0;
    while at < content.len() {
        let byte = content[at];
        let start = at;
        match byte {
            b'(' => at = skip_literal_string(content, at),
            b'%' => {
                while at < content.len() && content[at] != b'\n' && content[at] != b'\r' {
                    at += 1;
                }
            }
            b'<' if content.get(at + 1) == Some(&b'<') => at += 2,
            b'>' if content.get(at + 1) == Some(&b'>') => at += 2,
            b'<' => {
                while at < content.len() && content[at] != b'>' {
                    at += 1;
                }
                at = (at + 1).min(content.len());
            }
            b'[' => {
                depth += 1;
                at += 1;
            }
            b']' => {
                depth = depth.saturating_sub(1);
                at += 1;
            }
            b'/' => {
                at += 1;
                while at < content.len() && is_regular(content[at]) {
                    at += 1;
                }
                // In a text object MuPDF reads arrays as TJ arrays, which may hold only strings and numbers (and
                // Tw, Tc): a name there (the `/F1` of `/F1 12 Tf`) drops the array as an operator does.
                if depth > 0 && in_text {
                    removed += 1;
                    out.push(b' ');
                    continue;
                }
            }
            _ if is_regular(byte) => {
                while at < content.len() && is_regular(content[at]) {
                    at += 1;
                }
                let token = &content[start..at];
                if depth == 0 && token == b"BT" {
                    in_text = true;
                } else if depth == 0 && token == b"ET" {
                    in_text = false;
                }
                let keyword_object = matches!(token, b"true" | b"false" | b"null");
                if depth > 0 && in_text && keyword_object {
                    removed += 1;
                    out.push(b' ');
                    continue;
                }
                if is_operator(token) {
                    if depth > 0 && token != b"Tw" && token != b"Tc" {
                        removed += 1;
                        out.push(b' ');
                        continue;
                    }
                    if token == b"ID" {
                        // Inline image data: binary up to the `EI` that ends it.
                        at = end_of_inline_image(content, at);
                    }
                }
            }
            _ => at += 1,
        }
        out.extend_from_slice(&content[start..at]);
    }
    (out, removed)
}

/// PDF's white-space and delimiter characters end a token; every other byte is "regular".
fn is_regular(byte: u8) -> bool {
    !matches!(
        byte,
        b'\0'
            | b'\t'
            | b'\n'
            | b'\x0c'
            | b'\r'
            | b' '
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

/// A regular token that is neither a number nor one of the three keyword objects is an operator.
fn is_operator(token: &[u8]) -> bool {
    let is_number = token.iter().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'));
    !is_number && token != b"true" && token != b"false" && token != b"null"
}

/// The position after the literal string that starts at `at` (balanced parentheses, backslash escapes).
fn skip_literal_string(content: &[u8], mut at: usize) -> usize {
    let mut nesting = 0usize;
    while at < content.len() {
        match content[at] {
            b'\\' => at += 1,
            b'(' => nesting += 1,
            b')' => {
                nesting -= 1;
                if nesting == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    content.len()
}

/// The position just after the `EI` that ends inline image data starting at `at` (white space before and after it).
fn end_of_inline_image(content: &[u8], at: usize) -> usize {
    let mut position = at;
    while position + 2 <= content.len() {
        if &content[position..position + 2] == b"EI"
            && position > at
            && content[position - 1].is_ascii_whitespace()
            && content.get(position + 2).is_none_or(|b| b.is_ascii_whitespace())
        {
            return position + 2;
        }
        position += 1;
    }
    content.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(content: &str) -> (String, usize) {
        let (bytes, removed) = without_operators_in_arrays(content.as_bytes());
        (String::from_utf8(bytes).expect("ASCII in, ASCII out"), removed)
    }

    #[test]
    fn operators_inside_arrays_go_and_everything_else_stays() {
        let (text, removed) = repaired("BT [(Quarterly) -250 (report) 0 g (for) 5 Tw] TJ ET");
        assert_eq!(removed, 1);
        assert_eq!(text, "BT [(Quarterly) -250 (report) 0   (for) 5 Tw] TJ ET");
    }

    /// `[(Payments) -250 /F1 12 Tf (to)] TJ` lost its line: removing `Tf` left the name `/F1`, which MuPDF does not
    /// accept in a TJ array either. Outside text objects arrays of names are left alone.
    #[test]
    fn names_inside_text_arrays_go_with_the_operator() {
        let (text, removed) = repaired("BT [(Payments) -250 /F1 12 Tf (to)] TJ ET [/DeviceRGB] cs");
        assert_eq!(removed, 2);
        assert_eq!(text, "BT [(Payments) -250   12   (to)] TJ ET [/DeviceRGB] cs");
    }

    #[test]
    fn strings_comments_and_inline_images_are_not_read_as_operators() {
        let content = "[(a g] b) <414243> /Name] TJ % [x g]\nBI /W 1 /H 1 ID [xx g]\nEI [(c)] TJ";
        assert_eq!(repaired(content), (content.to_string(), 0));
    }

    #[test]
    fn a_well_formed_page_is_left_alone() {
        let content = "q 1 0 0 1 0 0 cm BT /F1 12 Tf [(Hello) -120 (world)] TJ ET [3 2] 0 d Q";
        assert_eq!(repaired(content), (content.to_string(), 0));
    }
}
