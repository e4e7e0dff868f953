//! The RTF parser: one pass over the bytes with an explicit group stack.
//!
//! RTF is a tree of `{...}` groups, but hostile files nest a million deep, so the parser never recurses: every `{`
//! pushes a copy of the current [`Group`] state onto a bounded stack and every `}` pops it. Text bytes are collected
//! into a pending buffer and decoded in runs, because double-byte codepages (Shift-JIS, GBK, Big5) spread one
//! character over two `\'hh` escapes, or over an escape and a literal letter.

use std::collections::HashMap;

use dossier_document::{Metadata, TextBuilder};
use encoding_rs::Encoding;

use crate::codepage::{FontEncoding, encoding_for_charset, encoding_for_codepage, symbol_font_char};
use crate::metafile::metafile_text;

/// Groups nested deeper than this are read with the state of the deepest kept group. Word nests a few dozen deep;
/// the limit only matters for hostile files, which then cost bounded memory.
const MAX_GROUP_DEPTH: usize = 512;
/// Document information fields are short; a field that is not is cut here.
const MAX_INFO_FIELD_BYTES: usize = 64 * 1024;
/// Control word names are at most 32 letters and parameters at most 10 digits in the specification; longer runs are
/// cut so that a hostile file cannot make one token expensive.
const MAX_CONTROL_WORD_LETTERS: usize = 32;
const MAX_PARAMETER_DIGITS: usize = 10;
const MAX_DIAGNOSTICS: usize = 50;

/// What a group's text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    /// Body text, headers, footers, field results.
    Text,
    /// Footnotes and annotations (comments): gathered apart and put after the body, so that a note anchored
    /// inside a word or sentence does not split it.
    Note,
    /// Read past: pictures, style sheets, field instructions, unknown `{\*\...}` destinations.
    Skip,
    FontTable,
    /// Inside `{\info ...}` but not inside one of its fields.
    Info,
    InfoText(&'static str),
    InfoTime(&'static str),
    /// The hex dump of an embedded OLE object.
    ObjectData,
    /// A picture in a linked object's `\\result`: the only rendition of the linked content, whose drawn text is read.
    Picture,
    /// A field's instruction (`HYPERLINK "url"`, `PAGE`): not text, but a link's target is kept.
    FieldInstruction,
}

/// The state that a `{` saves and a `}` restores.
#[derive(Debug, Clone, Copy)]
struct Group {
    destination: Destination,
    font: Option<i32>,
    /// How many fallback characters follow a `\uN` (the `\ucN` in force).
    unicode_fallback_chars: u32,
    /// Headers, footers and footnotes are set apart from the text they interrupt by a line break on both sides.
    separate_on_close: bool,
    /// This group is a field's result, after which the link target of its instruction is written.
    field_result: bool,
    /// Inside an `\\object` group, whether that object is linked (`\\objlink`, `\\objautlink`: it keeps no file), and
    /// inside its `\\result`.
    in_object: bool,
    object_linked: bool,
    object_result: bool,
}

/// What the caller wants besides text.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    pub max_text_bytes: usize,
    /// Embedded OLE objects are kept (up to this many bytes in all) so that they can be handed on; 0 skips them.
    pub max_object_bytes: usize,
}

/// What one parse produced.
#[derive(Debug, Default)]
pub struct Parsed {
    pub text: String,
    pub metadata: Metadata,
    pub diagnostics: Vec<String>,
    /// The decoded `\objdata` of each embedded object, in document order.
    pub objects: Vec<Vec<u8>>,
    /// Whether the input started like RTF at all.
    pub looks_like_rtf: bool,
    /// The document's ANSI codepage (`\\ansicpgN`), in which the names inside embedded objects are written.
    pub document_encoding: Option<&'static Encoding>,
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
    options: ParseOptions,
    stack: Vec<Group>,
    current: Group,
    /// Groups opened past [`MAX_GROUP_DEPTH`], which only count braces.
    overflow_depth: usize,
    /// A `\\*` was read right after a `{`, so the next control word names an ignorable destination.
    ignorable_pending: bool,
    /// Nothing but a `{` (and maybe `\\*`) has been read in the current group yet: only there does `\\*` mark a
    /// destination. Writers such as StarOffice put a stray `\\*` before an ordinary control word mid-group
    /// (`{\\f2\\*\\cs7 text}`), and treating that as a destination would drop the text that follows.
    at_group_start: bool,
    document_encoding: &'static Encoding,
    default_font: Option<i32>,
    fonts: HashMap<i32, FontEncoding>,
    font_being_defined: Option<i32>,
    /// Text bytes waiting to be decoded together, and the font encoding they were written in.
    pending_bytes: Vec<u8>,
    pending_encoding: Option<FontEncoding>,
    /// Fallback characters of the last `\uN` still to be skipped.
    fallback_to_skip: u32,
    high_surrogate: Option<u16>,
    text: TextBuilder,
    notes: TextBuilder,
    info_field: String,
    field_instruction: String,
    /// The target of the last HYPERLINK field, written after its result.
    field_link: Option<String>,
    info_time: [i32; 6],
    metadata: Metadata,
    diagnostics: Vec<String>,
    object: Vec<u8>,
    object_half_byte: Option<u8>,
    object_bytes_total: usize,
    objects: Vec<Vec<u8>>,
    /// The bytes of the picture being read (see [`Destination::Picture`]).
    picture: Vec<u8>,
    root_closed: bool,
}

/// Parses RTF held in memory.
pub fn parse(input: &[u8], options: ParseOptions) -> Parsed {
    let start = input.iter().position(|b| !b.is_ascii_whitespace() && *b != 0).unwrap_or(input.len());
    let body = &input[start..];
    let looks_like_rtf = body.len() >= 5 && body[..5].eq_ignore_ascii_case(b"{\\rtf");
    if !looks_like_rtf {
        return Parsed { looks_like_rtf, ..Parsed::default() };
    }
    let mut parser = Parser {
        input: body,
        pos: 0,
        options,
        stack: Vec::new(),
        current: Group {
            destination: Destination::Text,
            font: None,
            unicode_fallback_chars: 1,
            separate_on_close: false,
            field_result: false,
            in_object: false,
            object_linked: false,
            object_result: false,
        },
        overflow_depth: 0,
        ignorable_pending: false,
        at_group_start: false,
        document_encoding: encoding_rs::WINDOWS_1252,
        default_font: None,
        fonts: HashMap::new(),
        font_being_defined: None,
        pending_bytes: Vec::new(),
        pending_encoding: None,
        fallback_to_skip: 0,
        high_surrogate: None,
        text: TextBuilder::new(options.max_text_bytes),
        notes: TextBuilder::new(options.max_text_bytes),
        info_field: String::new(),
        field_instruction: String::new(),
        field_link: None,
        info_time: [0; 6],
        metadata: Metadata::default(),
        diagnostics: Vec::new(),
        object: Vec::new(),
        object_half_byte: None,
        object_bytes_total: 0,
        objects: Vec::new(),
        picture: Vec::new(),
        root_closed: false,
    };
    parser.run();
    parser.finish()
}

impl Parser<'_> {
    fn run(&mut self) {
        // The root group's `{` is read like any other, so the stack holds a state for "outside the document".
        while self.pos < self.input.len() && !self.root_closed {
            let byte = self.input[self.pos];
            self.pos += 1;
            match byte {
                b'{' => self.open_group(),
                b'}' => self.close_group(),
                b'\\' => self.read_control(),
                b'\r' | b'\n' | 0 => {}
                b'\t' => self.control_word("tab", None),
                _ => self.text_byte(byte),
            }
        }
    }

    fn finish(mut self) -> Parsed {
        self.flush_pending();
        self.finish_object();
        let open_groups = self.stack.len() + self.overflow_depth;
        if !self.root_closed {
            // The root group itself is on the stack too; a complete file closes every group.
            self.diagnostics.push(format!("truncated: the file ends inside {open_groups} unclosed group(s)"));
        }
        let (notes, _) = std::mem::replace(&mut self.notes, TextBuilder::new(0)).finish();
        if !notes.trim().is_empty() {
            self.text.end_paragraph();
            self.text.push(&notes);
        }
        let (text, cut) = self.text.finish();
        self.diagnostics.extend(cut);
        Parsed {
            text,
            metadata: self.metadata,
            diagnostics: self.diagnostics,
            objects: self.objects,
            looks_like_rtf: true,
            document_encoding: Some(self.document_encoding),
        }
    }

    fn open_group(&mut self) {
        self.flush_pending();
        self.fallback_to_skip = 0;
        if self.stack.len() >= MAX_GROUP_DEPTH {
            if self.overflow_depth == 0 {
                self.diagnose(format!("groups nested deeper than {MAX_GROUP_DEPTH} were read flat"));
            }
            self.overflow_depth += 1;
            return;
        }
        self.at_group_start = true;
        self.stack.push(self.current);
        self.current.separate_on_close = false;
        self.current.field_result = false;
    }

    fn close_group(&mut self) {
        self.flush_pending();
        self.fallback_to_skip = 0;
        self.ignorable_pending = false;
        self.at_group_start = false;
        if self.overflow_depth > 0 {
            self.overflow_depth -= 1;
            return;
        }
        let Some(outer) = self.stack.pop() else {
            self.diagnose(format!("unbalanced closing brace at byte {} ignored", self.pos));
            return;
        };
        let inner = self.current;
        self.current = outer;
        if inner.destination != outer.destination {
            self.finish_destination(inner.destination);
        }
        if inner.field_result
            && let Some(link) = self.field_link.take()
        {
            self.append(&format!(" <{link}>"));
        }
        if inner.separate_on_close {
            match inner.destination {
                Destination::Text => self.text.end_line(),
                Destination::Note => self.notes.end_line(),
                _ => {}
            }
        }
        if self.stack.is_empty() {
            // A stray `}` in the middle of a document closes the root group early; the text after it is still
            // the document's, so reading goes on as if the brace were not there.
            let rest = &self.input[self.pos..];
            if rest.iter().any(|b| !b.is_ascii_whitespace() && *b != 0) {
                self.diagnose(format!("unbalanced closing brace at byte {} ignored", self.pos));
                self.stack.push(self.current);
            } else {
                self.root_closed = true;
            }
        }
    }

    /// Records a diagnostic; a damaged file repeats the same fault thousands of times, so the list is bounded.
    fn diagnose(&mut self, diagnostic: String) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else if self.diagnostics.len() == MAX_DIAGNOSTICS {
            self.diagnostics.push("further diagnostics omitted".to_string());
        }
    }

    /// Stores what a field of `\info` or an object collected once its group ends.
    fn finish_destination(&mut self, destination: Destination) {
        match destination {
            Destination::InfoText(key) => {
                let mut value = std::mem::take(&mut self.info_field);
                // \*\generator ends with the `;` that separates generator names.
                if key == "creator_tool" {
                    value = value.trim().trim_end_matches(';').to_string();
                }
                if key == "keywords" {
                    for keyword in value.split([';', ',']) {
                        self.metadata.push(key, keyword);
                    }
                } else {
                    self.metadata.set(key, value);
                }
            }
            Destination::InfoTime(key) => {
                let [year, month, day, hour, minute, second] = self.info_time;
                self.info_time = [0; 6];
                // LibreOffice writes \yr0\mo0\dy0 for "never"; such dates are no dates.
                if (1601..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day) {
                    let time = format!(
                        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
                        hour.clamp(0, 23),
                        minute.clamp(0, 59),
                        second.clamp(0, 59)
                    );
                    self.metadata.set(key, time);
                }
            }
            Destination::ObjectData => self.finish_object(),
            Destination::Picture => self.finish_picture(),
            Destination::FieldInstruction => {
                let instruction = std::mem::take(&mut self.field_instruction);
                self.field_link = hyperlink_target(&instruction);
            }
            _ => {}
        }
    }

    fn finish_object(&mut self) {
        self.object_half_byte = None;
        if !self.object.is_empty() {
            self.objects.push(std::mem::take(&mut self.object));
        }
    }

    /// Writes the text drawn in an object's picture where the picture was.
    fn finish_picture(&mut self) {
        self.object_half_byte = None;
        let picture = std::mem::take(&mut self.picture);
        let drawn = metafile_text(&picture, self.document_encoding);
        if !drawn.is_empty() {
            self.flush_pending();
            self.append("\n");
            self.append(&drawn);
            self.append("\n");
        }
    }

    fn read_control(&mut self) {
        let Some(&first) = self.input.get(self.pos) else {
            self.diagnose("truncated: the file ends after a backslash".to_string());
            return;
        };
        if !first.is_ascii_alphabetic() {
            self.pos += 1;
            self.control_symbol(first);
            return;
        }
        let name_start = self.pos;
        while self.pos < self.input.len() && self.input[self.pos].is_ascii_alphabetic() {
            self.pos += 1;
        }
        let name_end = self.pos.min(name_start + MAX_CONTROL_WORD_LETTERS);
        // Letters are ASCII, so this cannot fail; an empty name would just match nothing.
        let name = std::str::from_utf8(&self.input[name_start..name_end]).unwrap_or("");
        let mut parameter = None;
        let negative =
            self.input.get(self.pos) == Some(&b'-') && self.input.get(self.pos + 1).is_some_and(|b| b.is_ascii_digit());
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        let mut value: i64 = 0;
        while self.pos < self.input.len() && self.input[self.pos].is_ascii_digit() {
            if self.pos - digits_start < MAX_PARAMETER_DIGITS {
                value = value * 10 + i64::from(self.input[self.pos] - b'0');
            }
            self.pos += 1;
        }
        if self.pos > digits_start {
            let value = if negative { -value } else { value };
            parameter = Some(value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
        }
        // One space ends a control word and belongs to it.
        if self.input.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
        self.control_word(name, parameter);
    }

    fn control_symbol(&mut self, symbol: u8) {
        if symbol == b'\'' {
            self.hex_escape();
            return;
        }
        if symbol == b'*' {
            self.ignorable_pending = self.at_group_start;
            return;
        }
        self.at_group_start = false;
        if self.skip_fallback() {
            return;
        }
        match symbol {
            b'\\' | b'{' | b'}' => self.text_byte(symbol),
            b'~' => self.emit_char('\u{a0}'),
            b'_' => self.emit_char('-'),
            b'\r' | b'\n' => self.control_word("par", None),
            // `\-` is an optional hyphen and `\:`, `\|` are index and formula marks: nothing to read.
            _ => {}
        }
    }

    fn hex_escape(&mut self) {
        let digits = self.input.get(self.pos..self.pos + 2);
        let byte = digits.and_then(|digits| {
            let high = (digits[0] as char).to_digit(16)?;
            let low = (digits[1] as char).to_digit(16)?;
            Some((high * 16 + low) as u8)
        });
        match byte {
            Some(byte) => {
                self.pos += 2;
                if matches!(self.current.destination, Destination::ObjectData | Destination::Picture) {
                    return;
                }
                self.text_byte_unescaped(byte);
            }
            None => {
                // Keep the bad digits as text: they are more likely text than anything else.
                if self.current.destination == Destination::Text {
                    self.diagnose(format!("invalid hex escape at byte {}", self.pos));
                }
            }
        }
    }

    /// A literal byte of text (or of object data).
    fn text_byte(&mut self, byte: u8) {
        if matches!(self.current.destination, Destination::ObjectData | Destination::Picture) {
            self.object_hex_digit(byte);
            return;
        }
        self.text_byte_unescaped(byte);
    }

    fn text_byte_unescaped(&mut self, byte: u8) {
        self.ignorable_pending = false;
        self.at_group_start = false;
        if self.fallback_to_skip > 0 {
            self.fallback_to_skip -= 1;
            return;
        }
        match self.current.destination {
            Destination::Text | Destination::Note | Destination::InfoText(_) | Destination::FieldInstruction => {}
            _ => return,
        }
        let encoding = self.font_encoding();
        if self.pending_encoding != Some(encoding) {
            self.flush_pending();
            self.pending_encoding = Some(encoding);
        }
        self.pending_bytes.push(byte);
    }

    fn font_encoding(&self) -> FontEncoding {
        self.current
            .font
            .or(self.default_font)
            .and_then(|font| self.fonts.get(&font).copied())
            .unwrap_or(FontEncoding::Document)
    }

    fn flush_pending(&mut self) {
        if self.pending_bytes.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut self.pending_bytes);
        let encoding = match self.pending_encoding.unwrap_or(FontEncoding::Document) {
            FontEncoding::Symbol => {
                let decoded: String = bytes.iter().filter_map(|byte| symbol_font_char(*byte)).collect();
                self.emit_str(&decoded);
                return;
            }
            FontEncoding::Fixed(encoding) => encoding,
            FontEncoding::Document => self.document_encoding,
        };
        let (decoded, _) = encoding.decode_without_bom_handling(&bytes);
        self.emit_str(&decoded);
    }

    /// Text decoded from a run of bytes. A high surrogate still waiting for its pair never gets one now.
    fn emit_str(&mut self, s: &str) {
        if self.high_surrogate.take().is_some() {
            self.append("\u{fffd}");
        }
        self.append(s);
    }

    /// One character that is not from the byte run (a `\uN`, a `\tab`): pending bytes come first.
    fn emit_char(&mut self, c: char) {
        self.flush_pending();
        if self.high_surrogate.take().is_some() {
            self.append("\u{fffd}");
        }
        self.route(c);
    }

    fn route(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.append(c.encode_utf8(&mut buf));
    }

    /// Sends text where the current destination wants it.
    fn append(&mut self, s: &str) {
        match self.current.destination {
            Destination::Text => self.text.push(s),
            Destination::Note => self.notes.push(s),
            Destination::FieldInstruction if self.field_instruction.len() + s.len() <= MAX_INFO_FIELD_BYTES => {
                self.field_instruction.push_str(s);
            }
            Destination::InfoText(_) if self.info_field.len() + s.len() <= MAX_INFO_FIELD_BYTES => {
                self.info_field.push_str(s);
            }
            _ => {}
        }
    }

    fn unicode(&mut self, parameter: i32) {
        self.flush_pending();
        // Parameters are signed 16-bit: \u-1040 is U+FBD0.
        let unit = (parameter as i64).rem_euclid(65536) as u16;
        self.fallback_to_skip = self.current.unicode_fallback_chars;
        match unit {
            0xd800..=0xdbff => {
                if self.high_surrogate.replace(unit).is_some() {
                    self.route('\u{fffd}');
                }
            }
            0xdc00..=0xdfff => match self.high_surrogate.take() {
                Some(high) => {
                    let code = 0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                    self.route(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                None => self.route('\u{fffd}'),
            },
            0 => {}
            // Word writes Symbol-font glyphs as \u-3913 (U+F0B7): private-use code points that mean the Symbol byte.
            0xf020..=0xf0ff => {
                let c = symbol_font_char((unit & 0xff) as u8).unwrap_or('\u{fffd}');
                self.emit_char(c);
            }
            _ => {
                let c = char::from_u32(u32::from(unit)).unwrap_or('\u{fffd}');
                self.emit_char(c);
            }
        }
    }

    /// Within the fallback of a `\uN`, a control word counts as one character and is dropped.
    fn skip_fallback(&mut self) -> bool {
        if self.fallback_to_skip > 0 {
            self.fallback_to_skip -= 1;
            return true;
        }
        false
    }

    fn object_hex_digit(&mut self, byte: u8) {
        let Some(value) = (byte as char).to_digit(16) else { return };
        let value = value as u8;
        match self.object_half_byte.take() {
            None => self.object_half_byte = Some(value),
            Some(high) => self.object_byte(high << 4 | value),
        }
    }

    fn object_byte(&mut self, byte: u8) {
        if self.object_bytes_total >= self.options.max_object_bytes {
            return;
        }
        self.object_bytes_total += 1;
        if self.current.destination == Destination::Picture {
            self.picture.push(byte);
        } else {
            self.object.push(byte);
        }
    }

    fn control_word(&mut self, name: &str, parameter: Option<i32>) {
        let ignorable = std::mem::take(&mut self.ignorable_pending);
        self.at_group_start = false;
        if name == "bin" {
            self.binary(parameter.unwrap_or(0));
            return;
        }
        if name == "u" {
            if let Some(parameter) = parameter {
                self.unicode(parameter);
            }
            return;
        }
        if self.destination_word(name, ignorable) {
            return;
        }
        if ignorable {
            // An ignorable destination we do not know: its whole group is read past.
            self.flush_pending();
            self.current.destination = Destination::Skip;
            return;
        }
        if self.skip_fallback() {
            return;
        }
        match self.current.destination {
            Destination::Text | Destination::Note | Destination::InfoText(_) => self.text_control_word(name, parameter),
            Destination::FontTable => self.font_table_word(name, parameter),
            Destination::Info => self.info_word(name, parameter),
            Destination::InfoTime(_) => {
                let slot = match name {
                    "yr" => 0,
                    "mo" => 1,
                    "dy" => 2,
                    "hr" => 3,
                    "min" => 4,
                    "sec" => 5,
                    _ => return,
                };
                self.info_time[slot] = parameter.unwrap_or(0);
            }
            Destination::Skip | Destination::ObjectData | Destination::Picture | Destination::FieldInstruction => {}
        }
    }

    fn binary(&mut self, length: i32) {
        let length = usize::try_from(length).unwrap_or(0);
        let end = self.pos.saturating_add(length).min(self.input.len());
        if self.pos + length > self.input.len() {
            self.diagnose(format!("truncated: \\bin{length} runs past the end of the file"));
        }
        if matches!(self.current.destination, Destination::ObjectData | Destination::Picture) {
            for index in self.pos..end {
                self.object_byte(self.input[index]);
            }
        }
        self.pos = end;
    }

    /// Handles a control word that starts a destination; returns whether it was one.
    fn destination_word(&mut self, name: &str, ignorable: bool) -> bool {
        let destination = match name {
            "fonttbl" => Destination::FontTable,
            "info" => Destination::Info,
            "colortbl" | "stylesheet" | "listtable" | "listoverridetable" | "revtbl" | "rsidtbl" | "themedata"
            | "colorschememapping" | "datastore" | "latentstyles" | "xmlnstbl" | "filetbl" | "nonshppict"
            | "objclass" | "objname" | "pgdsctbl" | "mmathPr" | "xmlopen" | "fchars" | "lchars" | "pnseclvl"
            | "bkmkstart" | "bkmkend" | "protusertbl" | "userprops" | "docvar" | "passwordhash" | "wgrffmtfilter"
            | "atnid" | "atnauthor" | "atndate" | "atnref" | "atnparent" | "atrfstart" | "atrfend" | "template"
            | "falt" | "panose" | "fname" | "listtext" => Destination::Skip,
            // A picture is only read as the rendition of a linked object, whose content is nowhere else in the file
            // (an embedded object's file goes to the sink, and its picture would repeat it); \\shppict (Word 97's
            // wrapper of a picture, whose \\nonshppict twin is skipped) is as if it were not there.
            "pict" => {
                let in_result = self.current.object_result
                    && self.current.object_linked
                    && self.current.destination == Destination::Text;
                if in_result && self.options.max_object_bytes > 0 {
                    self.picture.clear();
                    self.object_half_byte = None;
                    Destination::Picture
                } else {
                    Destination::Skip
                }
            }
            "shppict" => return true,
            "objdata" => {
                self.finish_object();
                if self.options.max_object_bytes > 0 { Destination::ObjectData } else { Destination::Skip }
            }
            "generator" => Destination::InfoText("creator_tool"),
            "footnote" | "annotation" => {
                if self.current.destination != Destination::Text {
                    return true;
                }
                self.flush_pending();
                self.notes.end_line();
                self.current.separate_on_close = true;
                Destination::Note
            }
            // \upr holds a field twice, in ANSI and then in `{\*\ud ...}` in Unicode; reading \ud as if it were
            // not there lets the Unicode value, which comes last, win.
            "ud" => return true,
            "header" | "headerl" | "headerr" | "headerf" | "footer" | "footerl" | "footerr" | "footerf" => {
                // Text-like destinations only inherit text-ness: a header inside a skipped group stays skipped.
                if self.current.destination != Destination::Text {
                    return true;
                }
                self.flush_pending();
                self.text.end_line();
                self.current.separate_on_close = true;
                Destination::Text
            }
            "fldinst" => {
                self.field_instruction.clear();
                self.field_link = None;
                Destination::FieldInstruction
            }
            "fldrslt" => {
                if self.current.destination == Destination::Text || self.current.destination == Destination::Note {
                    self.current.field_result = true;
                }
                Destination::Text
            }
            _ if self.current.destination == Destination::Info || ignorable => match info_field(name) {
                Some(destination) => destination,
                None => return false,
            },
            _ => return false,
        };
        if destination == Destination::Text && self.current.destination != Destination::Text {
            return true;
        }
        // \listtext holds the number or bullet Word drew for a list item; it is a convenience copy of the list
        // format, but readers expect to see "1." before the item, so it is kept as text.
        if name == "listtext" && self.current.destination == Destination::Text {
            return true;
        }
        self.flush_pending();
        self.current.destination = destination;
        if let Destination::InfoText(_) = destination {
            self.info_field.clear();
        }
        true
    }

    fn text_control_word(&mut self, name: &str, parameter: Option<i32>) {
        match name {
            "par" | "line" | "sect" | "row" | "nestrow" | "lbr" => self.emit_char('\n'),
            "tab" | "cell" | "nestcell" => self.emit_char('\t'),
            "page" => self.emit_char('\u{c}'),
            "emdash" => self.emit_char('—'),
            "endash" => self.emit_char('–'),
            "emspace" | "enspace" | "qmspace" => self.emit_char(' '),
            "lquote" => self.emit_char('‘'),
            "rquote" => self.emit_char('’'),
            "ldblquote" => self.emit_char('“'),
            "rdblquote" => self.emit_char('”'),
            "bullet" => self.emit_char('•'),
            "object" => self.current.in_object = true,
            "objlink" | "objautlink" if self.current.in_object => self.current.object_linked = true,
            "result" if self.current.in_object => self.current.object_result = true,
            "uc" => self.current.unicode_fallback_chars = parameter.unwrap_or(1).clamp(0, 16) as u32,
            "f" => {
                self.flush_pending();
                self.current.font = parameter;
            }
            "plain" => {
                self.flush_pending();
                self.current.font = None;
            }
            "ansicpg" => self.document_codepage(parameter),
            "deff" => self.default_font = parameter,
            "mac" => self.document_encoding = encoding_rs::MACINTOSH,
            "pc" | "pca" => self.document_encoding = encoding_rs::WINDOWS_1252,
            _ => {}
        }
    }

    fn document_codepage(&mut self, parameter: Option<i32>) {
        self.flush_pending();
        match parameter.and_then(encoding_for_codepage) {
            Some(encoding) => self.document_encoding = encoding,
            None => self.diagnose(format!("unknown codepage {parameter:?}; read as windows-1252")),
        }
    }

    fn font_table_word(&mut self, name: &str, parameter: Option<i32>) {
        match (name, parameter) {
            ("f", Some(font)) => {
                self.font_being_defined = Some(font);
                self.fonts.entry(font).or_insert(FontEncoding::Document);
            }
            ("fcharset", Some(charset)) => {
                if let Some(font) = self.font_being_defined {
                    self.fonts.insert(font, encoding_for_charset(charset));
                }
            }
            ("cpg", Some(codepage)) => {
                if let (Some(font), Some(encoding)) = (self.font_being_defined, encoding_for_codepage(codepage)) {
                    self.fonts.insert(font, FontEncoding::Fixed(encoding));
                }
            }
            _ => {}
        }
    }

    fn info_word(&mut self, name: &str, parameter: Option<i32>) {
        let key = match name {
            "version" => "revision",
            "nofpages" => "pages",
            "nofwords" => "words",
            "nofchars" => "characters",
            "edmins" => "total_edit_time",
            _ => return,
        };
        if let Some(value) = parameter {
            self.metadata.set(key, value.to_string());
        }
    }
}

/// The destination of a field of `{\info ...}` (some of which Word marks ignorable: `{\*\company ...}`).
fn info_field(name: &str) -> Option<Destination> {
    let destination = match name {
        "title" => Destination::InfoText("title"),
        "subject" => Destination::InfoText("subject"),
        "author" => Destination::InfoText("author"),
        "operator" => Destination::InfoText("last_modified_by"),
        "keywords" => Destination::InfoText("keywords"),
        "doccomm" => Destination::InfoText("description"),
        "company" => Destination::InfoText("company"),
        "manager" => Destination::InfoText("manager"),
        "category" => Destination::InfoText("category"),
        "hlinkbase" => Destination::InfoText("hyperlink_base"),
        "creatim" => Destination::InfoTime("created"),
        "revtim" => Destination::InfoTime("modified"),
        "printim" => Destination::InfoTime("last_printed"),
        "buptim" => Destination::Skip,
        _ => return None,
    };
    Some(destination)
}

/// The target of a `HYPERLINK "target"` field instruction. Links within the document (`\l "_Toc12"`) are no
/// evidence and give `None`.
fn hyperlink_target(instruction: &str) -> Option<String> {
    let rest = instruction.trim_start().strip_prefix("HYPERLINK")?;
    let rest = rest.trim_start();
    if rest.starts_with("\\l") {
        return None;
    }
    let target = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => rest.split_whitespace().next()?,
    };
    let target = target.trim();
    (!target.is_empty()).then(|| target.to_string())
}
