//! Delimited tables (CSV, TSV): one output line per row, cells separated by tabs.
//!
//! The file is streamed: the charset and the delimiter (`,` `;` tab `|`) are chosen from the first 64 KiB, then the
//! rest is decoded chunk by chunk and parsed with RFC 4180 quoting (`""` inside quotes, line breaks inside quoted
//! cells, which become spaces so that a row stays one line). A huge file costs the text limit, not its size.

use std::fs::File;
use std::io::Read;

use dossier_document::{Context, ExtractError, Extraction, Source, TextBuilder};

const SAMPLE_BYTES: usize = 64 * 1024;
const CANDIDATES: [char; 4] = [',', ';', '\t', '|'];

/// Reads a CSV file, detecting its delimiter.
pub fn read_csv(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    read_delimited(src, ctx, None)
}

/// Reads a TSV file (tab-delimited, with the same quoting rules as CSV).
pub fn read_tsv(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    read_delimited(src, ctx, Some('\t'))
}

fn read_delimited(
    src: &Source<'_>,
    ctx: &mut Context<'_>,
    fixed_delimiter: Option<char>,
) -> Result<Extraction, ExtractError> {
    let mut file = File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    (&mut file).take(SAMPLE_BYTES as u64).read_to_end(&mut sample).map_err(|err| ExtractError::io(&err))?;
    if sample.is_empty() {
        return Err(ExtractError::Empty);
    }
    // Detect on whole lines, so that a multi-byte character cut at the sample's end does not look like bad UTF-8.
    let whole_lines = match sample.iter().rposition(|byte| *byte == b'\n') {
        Some(newline) if sample.len() == SAMPLE_BYTES => &sample[..=newline],
        _ => &sample[..],
    };
    let detected = dossier_text::decode(whole_lines, None);
    let encoding = encoding_rs::Encoding::for_label(detected.charset.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    let delimiter = fixed_delimiter.unwrap_or_else(|| detect_delimiter(&detected.text));

    let mut table = Table::new(delimiter, ctx.limits.max_text_bytes);
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut had_errors = false;
    let mut chunk = sample;
    let mut decoded = String::new();
    loop {
        let last = chunk.is_empty();
        decoded.clear();
        decoded.reserve(decoder.max_utf8_buffer_length(chunk.len()).unwrap_or(chunk.len() * 3 + 16));
        let (_, _, errors) = decoder.decode_to_string(&chunk, &mut decoded, last);
        had_errors |= errors;
        table.feed(&decoded);
        if last || table.out.is_full() {
            break;
        }
        chunk.clear();
        (&mut file).take(SAMPLE_BYTES as u64).read_to_end(&mut chunk).map_err(|err| ExtractError::io(&err))?;
    }
    table.end();

    let mut extraction = Extraction::default();
    extraction.metadata.set("charset", encoding.name());
    extraction.metadata.set("delimiter", delimiter_name(delimiter));
    extraction.metadata.set("rows", table.rows.to_string());
    extraction.metadata.set("columns", table.max_columns.to_string());
    if had_errors {
        extraction
            .diagnostics
            .push(format!("some bytes are not valid {} and were replaced by U+FFFD", encoding.name()));
    }
    if let Some(line) = table.unclosed_quote_line {
        extraction.diagnostics.push(format!("quoted cell opened on line {line} is never closed"));
    }
    let truncated = table.out.is_full();
    let (text, cut) = table.out.finish();
    extraction.text = text;
    if truncated {
        extraction.metadata.set("rows", format!("{} (counted before the text limit)", table.rows));
    }
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

fn delimiter_name(delimiter: char) -> &'static str {
    match delimiter {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        '|' => "pipe",
        _ => "other",
    }
}

/// Picks the candidate that splits the sampled rows into the same number (more than one) of cells most often.
fn detect_delimiter(sample: &str) -> char {
    let mut best = (',', 0usize, 0usize);
    for candidate in CANDIDATES {
        let counts = cells_per_row(sample, candidate, 100);
        let mut frequency: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for count in &counts {
            if *count > 1 {
                *frequency.entry(*count).or_default() += 1;
            }
        }
        // The most frequent cell count; rows agreeing on it, then more cells, break ties.
        if let Some((&cells, &rows)) = frequency.iter().max_by_key(|(cells, rows)| (**rows, **cells))
            && (rows, cells) > (best.1, best.2)
        {
            best = (candidate, rows, cells);
        }
    }
    best.0
}

/// Cells in each of the first `max_rows` rows when split on `delimiter` with CSV quoting.
fn cells_per_row(sample: &str, delimiter: char, max_rows: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut cells = 1;
    let mut in_quotes = false;
    let mut at_cell_start = true;
    let mut row_has_content = false;
    let mut chars = sample.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                in_quotes = true;
                at_cell_start = false;
                row_has_content = true;
            }
            '\n' | '\r' => {
                if row_has_content {
                    counts.push(cells);
                    if counts.len() >= max_rows {
                        return counts;
                    }
                }
                cells = 1;
                at_cell_start = true;
                row_has_content = false;
            }
            c if c == delimiter => {
                cells += 1;
                at_cell_start = true;
                row_has_content = true;
            }
            _ => {
                at_cell_start = false;
                row_has_content = true;
            }
        }
    }
    if row_has_content {
        counts.push(cells);
    }
    counts
}

/// The streaming parser: characters in, tab-separated rows out.
struct Table {
    delimiter: char,
    out: TextBuilder,
    /// The current row's cells so far (bounded by the text limit through `out`'s room).
    row: String,
    row_cells: usize,
    row_has_content: bool,
    in_quotes: bool,
    at_cell_start: bool,
    /// The previous character was a quote inside a quoted cell: either an escaped quote or the cell's end.
    quote_pending: bool,
    /// The previous character was a CR (a following LF belongs to the same line end).
    after_cr: bool,
    line: usize,
    quote_opened_line: usize,
    rows: usize,
    max_columns: usize,
    unclosed_quote_line: Option<usize>,
    row_limit: usize,
}

impl Table {
    fn new(delimiter: char, limit: usize) -> Table {
        Table {
            delimiter,
            out: TextBuilder::new(limit),
            row: String::new(),
            row_cells: 1,
            row_has_content: false,
            in_quotes: false,
            at_cell_start: true,
            quote_pending: false,
            after_cr: false,
            line: 1,
            quote_opened_line: 0,
            rows: 0,
            max_columns: 0,
            unclosed_quote_line: None,
            row_limit: limit.saturating_add(4),
        }
    }

    fn feed(&mut self, text: &str) {
        for c in text.chars() {
            self.char(c);
            if self.out.is_full() {
                return;
            }
        }
    }

    fn push_cell_char(&mut self, c: char) {
        // A row longer than the whole text limit (an unclosed quote over a huge file) stops growing.
        if self.row.len() < self.row_limit {
            self.row.push(match c {
                '\t' | '\n' | '\r' => ' ',
                c => c,
            });
        }
        self.row_has_content = true;
    }

    fn char(&mut self, c: char) {
        let after_cr = std::mem::take(&mut self.after_cr);
        if c == '\n' {
            if after_cr {
                return;
            }
            self.line += 1;
        } else if c == '\r' {
            self.after_cr = true;
            self.line += 1;
        }
        if self.quote_pending {
            self.quote_pending = false;
            if c == '"' {
                self.push_cell_char('"');
                return;
            }
            self.in_quotes = false;
        }
        if self.in_quotes {
            if c == '"' {
                self.quote_pending = true;
            } else if c == '\r' || c == '\n' {
                // A line break inside a quoted cell: keep the row on one line.
                if !self.row.ends_with(' ') {
                    self.push_cell_char(' ');
                }
            } else {
                self.push_cell_char(c);
            }
            return;
        }
        match c {
            '"' if self.at_cell_start => {
                self.in_quotes = true;
                self.at_cell_start = false;
                self.row_has_content = true;
                self.quote_opened_line = self.line;
            }
            '\n' | '\r' => self.end_row(),
            c if c == self.delimiter => {
                self.row.push('\t');
                self.row_cells += 1;
                self.at_cell_start = true;
                self.row_has_content = true;
            }
            c => {
                self.at_cell_start = false;
                self.push_cell_char(c);
            }
        }
    }

    fn end_row(&mut self) {
        let has_text = self.row.chars().any(|c| c != '\t' && !c.is_whitespace());
        if self.row_has_content && has_text {
            self.rows += 1;
            self.max_columns = self.max_columns.max(self.row_cells);
            self.out.push(self.row.trim_end_matches(['\t', ' ']));
            self.out.push("\n");
        }
        self.row.clear();
        self.row_cells = 1;
        self.row_has_content = false;
        self.at_cell_start = true;
    }

    fn end(&mut self) {
        if self.in_quotes && !self.quote_pending {
            self.unclosed_quote_line = Some(self.quote_opened_line);
        }
        self.in_quotes = false;
        self.quote_pending = false;
        self.end_row();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, delimiter: char) -> (String, usize, usize) {
        let mut table = Table::new(delimiter, 1 << 20);
        table.feed(text);
        table.end();
        let (rows, columns) = (table.rows, table.max_columns);
        (table.out.finish().0, rows, columns)
    }

    #[test]
    fn quotes_escaped_quotes_and_line_breaks_inside_cells() {
        let (text, rows, columns) = parse("a;\"b \"\"x\"\"\";c\r\n1;\"two\r\nlines\";3\r\n\r\n", ';');
        assert_eq!(text, "a\tb \"x\"\tc\n1\ttwo lines\t3\n");
        assert_eq!((rows, columns), (2, 3));
    }

    #[test]
    fn delimiters_are_detected_from_consistent_rows() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), ',');
        assert_eq!(detect_delimiter("name;amount\n\"Smith, J\";1,5\nIvanov;2,75\n"), ';');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), '\t');
        assert_eq!(detect_delimiter("a|b|c\n1|2|3\n"), '|');
        assert_eq!(detect_delimiter("just one column\nof words\n"), ',');
    }

    #[test]
    fn chunks_split_anywhere_give_the_same_rows() {
        let input = "x,\"y\"\"\r\nz\",w\r\n1,2,3\r\n";
        let (whole, _, _) = parse(input, ',');
        for split in 0..input.len() {
            let mut table = Table::new(',', 1 << 20);
            table.feed(&input[..split]);
            table.feed(&input[split..]);
            table.end();
            assert_eq!(table.out.finish().0, whole, "split at {split}");
        }
    }
}
