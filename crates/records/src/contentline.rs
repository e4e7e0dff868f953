//! The "content line" syntax iCalendar and vCard share: `GROUP.NAME;PARAM=VALUE;PARAM:value`, folded over several
//! physical lines, values escaped (`\n`, `\,`, `\;`) or, in vCard 2.1 and vCalendar 1.0, quoted-printable in a
//! charset named per property (`CHARSET=windows-1251`). Lines are parsed as bytes so that each value can be decoded in
//! its own charset.

/// One property of a content-line file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Property {
    /// Upper case, without its group prefix ("TEL", not "item1.tel").
    pub name: String,
    /// Parameter names upper case; bare 2.1 parameters (`TEL;WORK;VOICE`) come as `("TYPE", "WORK")`.
    pub params: Vec<(String, String)>,
    /// The raw value bytes, undecoded.
    pub raw: Vec<u8>,
}

impl Property {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The values of every `TYPE` parameter, lower case, comma lists split.
    pub fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(key, _)| key == "TYPE")
            .flat_map(|(_, value)| value.split(','))
            .map(|value| value.trim().trim_matches('"').to_lowercase())
            .filter(|value| !value.is_empty() && value != "pref" && value != "internet")
            .collect()
    }

    fn is_quoted_printable(&self) -> bool {
        self.params
            .iter()
            .any(|(key, value)| (key == "ENCODING" || key == "TYPE") && value.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    }

    /// True for inline binary data (photos, sounds, keys) that is not text.
    pub fn is_binary(&self) -> bool {
        self.params.iter().any(|(key, value)| {
            (key == "ENCODING" && (value.eq_ignore_ascii_case("b") || value.eq_ignore_ascii_case("base64")))
                || (key == "VALUE" && value.eq_ignore_ascii_case("binary"))
                || (key == "TYPE" && value.eq_ignore_ascii_case("base64"))
        })
    }

    /// The value as text: quoted-printable undone, then decoded in the property's CHARSET or else the file's.
    /// Backslash escapes are left in place (structured values must be split on unescaped `;` first).
    pub fn text(&self, file_charset: &'static encoding_rs::Encoding) -> String {
        let bytes = if self.is_quoted_printable() { quoted_printable(&self.raw) } else { self.raw.clone() };
        match self.param("CHARSET") {
            Some(charset) if encoding_rs::Encoding::for_label(charset.as_bytes()).is_some() => {
                dossier_text::decode(&bytes, Some(charset)).text
            }
            _ => file_charset.decode_without_bom_handling(&bytes).0.into_owned(),
        }
    }
}

/// Splits `bytes` into logical lines: CRLF or LF line ends, a line starting with a space or tab continues the previous
/// one (RFC 5545/6350 folding), and a quoted-printable value ending in `=` continues on the next line (vCard 2.1).
pub(crate) fn unfold(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut continues_soft_break = false;
    for physical in bytes.split(|byte| *byte == b'\n') {
        let physical = physical.strip_suffix(b"\r").unwrap_or(physical);
        if continues_soft_break && let Some(last) = lines.last_mut() {
            last.pop(); // the soft-break '='
            last.extend_from_slice(physical);
        } else if matches!(physical.first(), Some(b' ' | b'\t')) && !lines.is_empty() {
            if let Some(last) = lines.last_mut() {
                last.extend_from_slice(&physical[1..]);
            }
        } else {
            lines.push(physical.to_vec());
        }
        continues_soft_break = lines.last().is_some_and(|line| {
            line.ends_with(b"=") && {
                let upper = String::from_utf8_lossy(&line[..line.len().min(200)]).to_ascii_uppercase();
                let head = upper.split(':').next().unwrap_or("");
                head.contains("QUOTED-PRINTABLE")
            }
        });
    }
    lines
}

/// Parses one logical line; `None` for blank lines and lines without a `:`.
pub(crate) fn parse(line: &[u8]) -> Option<Property> {
    // The value starts at the first ':' outside a double-quoted parameter value.
    let mut in_quotes = false;
    let mut colon = None;
    for (index, byte) in line.iter().enumerate() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b':' if !in_quotes => {
                colon = Some(index);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let head = String::from_utf8_lossy(&line[..colon]);
    let mut parts = split_unquoted(&head, ';').into_iter();
    let name = parts.next()?.trim().to_ascii_uppercase();
    let name = match name.rfind('.') {
        Some(dot) => name[dot + 1..].to_string(),
        None => name,
    };
    if name.is_empty() {
        return None;
    }
    let mut params = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part.split_once('=') {
            Some((key, value)) => {
                params.push((key.trim().to_ascii_uppercase(), value.trim().trim_matches('"').to_string()))
            }
            None => params.push(("TYPE".to_string(), part.to_string())),
        }
    }
    Some(Property { name, params, raw: line[colon + 1..].to_vec() })
}

fn split_unquoted(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == separator && !in_quotes {
            parts.push(&text[start..index]);
            start = index + 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Undoes quoted-printable (`=D0=96`, soft breaks already joined); malformed escapes are kept literally.
pub(crate) fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut index = 0;
    while index < raw.len() {
        if raw[index] == b'='
            && let (Some(high), Some(low)) =
                (raw.get(index + 1).and_then(|b| hex(*b)), raw.get(index + 2).and_then(|b| hex(*b)))
        {
            out.push(high * 16 + low);
            index += 3;
            continue;
        }
        out.push(raw[index]);
        index += 1;
    }
    out
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

/// Splits a structured value (N, ADR, ORG) on unescaped `;` and unescapes each component.
pub(crate) fn components(value: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => push_escaped(parts.last_mut().expect("parts starts non-empty"), next),
                None => parts.last_mut().expect("parts starts non-empty").push('\\'),
            },
            ';' => parts.push(String::new()),
            c => parts.last_mut().expect("parts starts non-empty").push(c),
        }
    }
    parts
}

/// Undoes the backslash escapes of a text value: `\n` and `\N` are line breaks, `\,` `\;` `\\` the characters.
pub(crate) fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next) => push_escaped(&mut out, next),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn push_escaped(out: &mut String, escaped: char) {
    match escaped {
        'n' | 'N' => out.push('\n'),
        ',' | ';' | '\\' | ':' | '"' => out.push(escaped),
        other => {
            out.push('\\');
            out.push(other);
        }
    }
}

/// The charset of a whole content-line file, for values that name none: UTF-8 when valid, else detected.
pub(crate) fn file_charset(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let decoded = dossier_text::decode(bytes, None);
    encoding_rs::Encoding::for_label(decoded.charset.as_bytes()).unwrap_or(encoding_rs::UTF_8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_and_soft_breaks_are_joined() {
        let lines = unfold(b"SUMMARY:Long\r\n  line\r\nNOTE;ENCODING=QUOTED-PRINTABLE:=D0=\r\n=96\r\nEND:X");
        assert_eq!(lines[0], b"SUMMARY:Long line");
        assert_eq!(lines[1], b"NOTE;ENCODING=QUOTED-PRINTABLE:=D0=96");
        assert_eq!(lines[2], b"END:X");
    }

    #[test]
    fn parameters_quotes_groups_and_bare_types() {
        let property = parse(b"item1.TEL;WORK;VOICE;X-A=\"a:b\":+7 495").expect("a property");
        assert_eq!(property.name, "TEL");
        assert_eq!(property.types(), vec!["work".to_string(), "voice".to_string()]);
        assert_eq!(property.param("X-A"), Some("a:b"));
        assert_eq!(property.raw, b"+7 495");
    }

    #[test]
    fn quoted_printable_in_windows_1251() {
        let property =
            parse(b"FN;CHARSET=windows-1251;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED =CF=E5=F2=F0=EE=E2").expect("FN");
        assert_eq!(property.text(encoding_rs::UTF_8), "Иван Петров");
        assert_eq!(quoted_printable(b"a=4"), b"a=4");
    }

    #[test]
    fn escapes_and_components() {
        assert_eq!(unescape("a\\, b\\nc\\;d"), "a, b\nc;d");
        assert_eq!(components("Doe;John\\;Jr;;"), vec!["Doe", "John;Jr", "", ""]);
    }
}
