//! readpst's messages made a function of the mailbox alone.
//!
//! readpst 0.6.76 (Debian 12 and 13) names each message's MIME boundaries `--boundary-LibPST-iamunique-N_-_-` and
//! each meeting request's calendar attachment `iN.ics`, with N from `rand()` seeded by the clock (upstream replaced
//! them with block identifiers in 2023, after that release). The same mailbox thus gave different `.eml` bytes,
//! hence different hashes, on every run. Each such number is replaced here by one derived from the message itself:
//! a hash of the message with those numbers blanked out, and the number's rank among them. A body cannot contain
//! a boundary derived from its own hash, so the boundaries stay as unique as readpst's were.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read as _, Write};
use std::path::Path;

use aho_corasick::AhoCorasick;

const BOUNDARY_PARAMETER: &[u8] = b"boundary=\"";
const BOUNDARY_PREFIX: &[u8] = b"--boundary-LibPST-iamunique-";
const BOUNDARY_SUFFIX: &[u8] = b"_-_-";
const ICS_PARAMETER: &[u8] = b"filename=\"i";
const ICS_SUFFIX: &[u8] = b".ics\"";
/// readpst writes these header lines in full; longer lines are message content and are not looked into.
const MAX_HEADER_LINE: u64 = 1024;
/// A message has one boundary per nested message and one calendar file per meeting request; more than this is
/// a hostile mailbox, whose extra numbers are left as they are.
const MAX_NUMBERS: usize = 1024;

/// A number readpst drew, as the full token it appears in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `--boundary-LibPST-iamunique-N_-_-`, in the Content-Type parameter and on every delimiter line.
    Boundary(Vec<u8>),
    /// `"iN.ics"`, the calendar attachment's name and file name parameters.
    CalendarFile(Vec<u8>),
}

impl Token {
    fn bytes(&self) -> &[u8] {
        match self {
            Token::Boundary(bytes) | Token::CalendarFile(bytes) => bytes,
        }
    }

    fn with_number(&self, number: &str) -> Vec<u8> {
        match self {
            Token::Boundary(_) => [BOUNDARY_PREFIX, number.as_bytes(), BOUNDARY_SUFFIX].concat(),
            Token::CalendarFile(_) => format!("\"i{number}.ics\"").into_bytes(),
        }
    }
}

/// Writes `message` to `output` with readpst's random numbers replaced by numbers derived from the message.
/// Returns false, writing nothing, when the message has none.
pub(crate) fn make_deterministic(message: &Path, output: &Path) -> io::Result<bool> {
    let tokens = random_tokens(message)?;
    if tokens.is_empty() {
        return Ok(false);
    }
    let searcher = AhoCorasick::new(tokens.iter().map(Token::bytes)).map_err(io::Error::other)?;
    let blanked: Vec<Vec<u8>> = tokens.iter().map(|token| token.with_number("")).collect();
    let mut hasher = blake3::Hasher::new();
    searcher.try_stream_replace_all(BufReader::new(File::open(message)?), &mut hasher, &blanked)?;
    let digest = hasher.finalize();
    let replacements: Vec<Vec<u8>> = tokens
        .iter()
        .enumerate()
        .map(|(rank, token)| {
            let mut number_hasher = blake3::Hasher::new();
            number_hasher.update(digest.as_bytes());
            number_hasher.update(&(rank as u64).to_le_bytes());
            let number = number_hasher.finalize();
            let number = u64::from_le_bytes(number.as_bytes()[..8].try_into().expect("a hash has 32 bytes"));
            token.with_number(&number.to_string())
        })
        .collect();
    let mut writer = BufWriter::new(File::create(output)?);
    searcher.try_stream_replace_all(BufReader::new(File::open(message)?), &mut writer, &replacements)?;
    writer.flush()?;
    Ok(true)
}

/// The random tokens of a message, in order of first appearance, found on the header lines readpst writes them
/// on (`\tboundary="..."`, `Content-Disposition: attachment; filename="iN.ics"`).
fn random_tokens(message: &Path) -> io::Result<Vec<Token>> {
    let mut reader = BufReader::new(File::open(message)?);
    let mut tokens = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut reader).take(MAX_HEADER_LINE).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            skip_rest_of_line(&mut reader)?;
        }
        for token in [boundary_in(&line), calendar_file_in(&line)].into_iter().flatten() {
            if !tokens.contains(&token) && tokens.len() < MAX_NUMBERS {
                tokens.push(token);
            }
        }
    }
    Ok(tokens)
}

fn skip_rest_of_line(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|byte| *byte == b'\n') {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let length = buffer.len();
                reader.consume(length);
            }
        }
    }
}

/// The digits right after `prefix` somewhere in `line` and right before `suffix`.
fn number_between<'a>(line: &'a [u8], prefix: &[u8], suffix: &[u8]) -> Option<&'a [u8]> {
    let start = line.windows(prefix.len()).position(|window| window == prefix)? + prefix.len();
    let rest = &line[start..];
    let digits = rest.iter().take_while(|byte| byte.is_ascii_digit()).count();
    (1..=20).contains(&digits).then_some(())?;
    rest[digits..].starts_with(suffix).then(|| &rest[..digits])
}

fn boundary_in(line: &[u8]) -> Option<Token> {
    let prefix = [BOUNDARY_PARAMETER, BOUNDARY_PREFIX].concat();
    let digits = number_between(line, &prefix, BOUNDARY_SUFFIX)?;
    Some(Token::Boundary([BOUNDARY_PREFIX, digits, BOUNDARY_SUFFIX].concat()))
}

fn calendar_file_in(line: &[u8]) -> Option<Token> {
    let digits = number_between(line, ICS_PARAMETER, ICS_SUFFIX)?;
    Some(Token::CalendarFile([b"\"i", digits, ICS_SUFFIX].concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message as readpst 0.6.76 writes it, with `outer` and `nested` as its random numbers.
    fn readpst_message(outer: u32, nested: u32) -> String {
        format!(
            "From: a@example.org\nSubject: Meeting\nMIME-Version: 1.0\nContent-Type: multipart/mixed;\n\
             \tboundary=\"--boundary-LibPST-iamunique-{outer}_-_-\"\n\n\
             ----boundary-LibPST-iamunique-{outer}_-_-\nContent-Type: text/plain; charset=\"utf-8\"\n\n\
             The body mentions --boundary-LibPST-iamunique-7_-_- in passing.\n\n\
             ----boundary-LibPST-iamunique-{outer}_-_-\n\
             Content-Type: text/calendar; charset=\"utf-8\"; name=\"i{outer}.ics\"\n\
             Content-Disposition: attachment; filename=\"i{outer}.ics\"\n\nBEGIN:VCALENDAR\n\n\
             ----boundary-LibPST-iamunique-{outer}_-_-\nContent-Type: message/rfc822\n\n\
             Subject: Inner\nContent-Type: multipart/mixed;\n\
             \tboundary=\"--boundary-LibPST-iamunique-{nested}_-_-\"\n\n\
             ----boundary-LibPST-iamunique-{nested}_-_-\nContent-Type: text/plain\n\ninner\n\n\
             ----boundary-LibPST-iamunique-{nested}_-_---\n\n\
             ----boundary-LibPST-iamunique-{outer}_-_---\n\n"
        )
    }

    fn normalised(message: &str) -> String {
        let dir = tempfile::tempdir().expect("temp folder");
        let input = dir.path().join("1.eml");
        let output = dir.path().join("1.out");
        std::fs::write(&input, message).expect("write");
        assert!(make_deterministic(&input, &output).expect("rewrites"));
        std::fs::read_to_string(&output).expect("read")
    }

    #[test]
    fn readpst_random_boundaries_give_the_same_message_bytes_on_every_run() {
        let first = normalised(&readpst_message(1_804_289_383, 846_930_886));
        let second = normalised(&readpst_message(1_681_692_777, 1_714_636_915));
        assert_eq!(first, second);
        for number in ["1804289383", "846930886"] {
            assert!(!first.contains(number), "{number} is still there:\n{first}");
        }
        // Two boundaries stay two, the calendar file keeps its shape, and a body's own text is untouched.
        let boundaries: std::collections::BTreeSet<&str> =
            first.lines().filter_map(|line| line.strip_prefix("\tboundary=")).collect();
        assert_eq!(boundaries.len(), 2, "{first}");
        assert!(first.contains("filename=\"i") && first.contains(".ics\""), "{first}");
        assert!(first.contains("mentions --boundary-LibPST-iamunique-7_-_- in passing"), "{first}");
    }

    #[test]
    fn different_messages_get_different_boundaries() {
        let first = normalised(&readpst_message(1, 2));
        let other = normalised(&readpst_message(1, 2).replace("inner", "other"));
        let boundary = |text: &str| text.lines().find(|line| line.starts_with("\tboundary=")).map(str::to_string);
        assert_ne!(boundary(&first), boundary(&other));
    }

    #[test]
    fn a_message_without_random_numbers_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp folder");
        let input = dir.path().join("1.eml");
        std::fs::write(&input, "Subject: plain\n\nJust text.\n").expect("write");
        assert!(!make_deterministic(&input, &dir.path().join("1.out")).expect("reads"));
    }
}
