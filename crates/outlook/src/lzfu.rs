//! Compressed RTF (MS-OXRTFCP): the "LZFu" dictionary compression Outlook applies to RTF message bodies, and its
//! "MELA" uncompressed variant.
//!
//! The decompressor is bounded by the size the header declares and by a caller-given maximum, so a hostile header
//! cannot make it allocate more than the caller allows. The compressor exists so that this project can write its own
//! test fixtures.

/// The dictionary's initial contents, fixed by the specification.
const INITIAL_DICTIONARY: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

const DICTIONARY_SIZE: usize = 4096;
const HEADER_SIZE: usize = 16;
const MAGIC_COMPRESSED: u32 = 0x7546_5A4C; // "LZFu"
const MAGIC_UNCOMPRESSED: u32 = 0x414C_454D; // "MELA"

/// Decompressed RTF, and what was wrong with the stream if anything (the bytes are still worth reading then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decompressed {
    pub rtf: Vec<u8>,
    pub problems: Vec<String>,
}

/// Why a compressed RTF stream could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LzfuError {
    TooShort,
    UnknownMagic(u32),
}

impl std::fmt::Display for LzfuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LzfuError::TooShort => f.write_str("compressed RTF shorter than its 16-byte header"),
            LzfuError::UnknownMagic(magic) => write!(f, "compressed RTF with unknown signature 0x{magic:08X}"),
        }
    }
}

fn le_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    if let Some(slice) = bytes.get(at..at + 4) {
        word.copy_from_slice(slice);
    }
    u32::from_le_bytes(word)
}

/// The CRC-32 variant of MS-OXRTFCP: the usual table (polynomial 0xEDB88320) but starting from 0 with no final
/// inversion.
pub fn crc(bytes: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in bytes {
        let mut value = (crc ^ u32::from(byte)) & 0xFF;
        for _ in 0..8 {
            value = if value & 1 != 0 { (value >> 1) ^ 0xEDB8_8320 } else { value >> 1 };
        }
        crc = value ^ (crc >> 8);
    }
    crc
}

/// Decompresses a PR_RTF_COMPRESSED stream, producing at most `max_output` bytes.
pub fn decompress(stream: &[u8], max_output: usize) -> Result<Decompressed, LzfuError> {
    if stream.len() < HEADER_SIZE {
        return Err(LzfuError::TooShort);
    }
    let compressed_size = le_u32(stream, 0) as usize;
    let raw_size = le_u32(stream, 4) as usize;
    let magic = le_u32(stream, 8);
    let declared_crc = le_u32(stream, 12);
    let mut problems = Vec::new();
    // The compressed size counts the header's last 12 bytes.
    let payload_end = compressed_size.saturating_add(4);
    let payload = if payload_end > stream.len() {
        problems.push(format!(
            "compressed RTF declares {compressed_size} bytes but the stream holds {}",
            stream.len().saturating_sub(4)
        ));
        &stream[HEADER_SIZE..]
    } else {
        &stream[HEADER_SIZE..payload_end.max(HEADER_SIZE)]
    };
    let limit = raw_size.min(max_output);
    match magic {
        MAGIC_UNCOMPRESSED => {
            let rtf = payload.get(..limit).unwrap_or(payload).to_vec();
            if rtf.len() < raw_size.min(max_output) {
                problems.push(format!("uncompressed RTF cut short: {} of {raw_size} bytes", rtf.len()));
            }
            Ok(Decompressed { rtf, problems })
        }
        MAGIC_COMPRESSED => {
            let actual_crc = crc(payload);
            if actual_crc != declared_crc {
                problems.push(format!(
                    "compressed RTF checksum mismatch (declared 0x{declared_crc:08X}, computed 0x{actual_crc:08X})"
                ));
            }
            let (rtf, ended_cleanly) = expand(payload, limit);
            if !ended_cleanly && rtf.len() < limit {
                problems.push(format!("compressed RTF cut short: {} of {raw_size} bytes", rtf.len()));
            }
            Ok(Decompressed { rtf, problems })
        }
        other => Err(LzfuError::UnknownMagic(other)),
    }
}

/// Runs the LZ77 expansion; returns the output and whether the end marker was reached.
fn expand(payload: &[u8], limit: usize) -> (Vec<u8>, bool) {
    let mut dictionary = [0u8; DICTIONARY_SIZE];
    dictionary[..INITIAL_DICTIONARY.len()].copy_from_slice(INITIAL_DICTIONARY);
    let mut write_at = INITIAL_DICTIONARY.len();
    let mut output = Vec::with_capacity(limit.min(1 << 20));
    let mut at = 0;
    while at < payload.len() {
        let control = payload[at];
        at += 1;
        for bit in 0..8 {
            if output.len() >= limit {
                return (output, true);
            }
            if control & (1 << bit) == 0 {
                let Some(&literal) = payload.get(at) else { return (output, false) };
                at += 1;
                output.push(literal);
                dictionary[write_at] = literal;
                write_at = (write_at + 1) % DICTIONARY_SIZE;
            } else {
                let Some(pair) = payload.get(at..at + 2) else { return (output, false) };
                at += 2;
                let reference = u16::from_be_bytes([pair[0], pair[1]]);
                let offset = usize::from(reference >> 4);
                let length = usize::from(reference & 0x0F) + 2;
                if offset == write_at {
                    return (output, true);
                }
                // Copy byte by byte: a reference may overlap the bytes it is writing, which repeats them.
                for step in 0..length {
                    if output.len() >= limit {
                        return (output, true);
                    }
                    let byte = dictionary[(offset + step) % DICTIONARY_SIZE];
                    output.push(byte);
                    dictionary[write_at] = byte;
                    write_at = (write_at + 1) % DICTIONARY_SIZE;
                }
            }
        }
    }
    (output, false)
}

/// Compresses `rtf` into a PR_RTF_COMPRESSED stream (greedy longest match against the dictionary).
pub fn compress(rtf: &[u8]) -> Vec<u8> {
    let mut dictionary = [0u8; DICTIONARY_SIZE];
    dictionary[..INITIAL_DICTIONARY.len()].copy_from_slice(INITIAL_DICTIONARY);
    let mut write_at = INITIAL_DICTIONARY.len();
    // How many dictionary slots hold data: matches must not read slots never written.
    let mut filled = INITIAL_DICTIONARY.len();
    let mut payload = Vec::new();
    let mut at = 0;
    let mut finished = false;
    while !finished {
        let control_at = payload.len();
        payload.push(0u8);
        let mut control = 0u8;
        for bit in 0..8 {
            if at >= rtf.len() {
                // The end marker is a reference to the current write position.
                control |= 1 << bit;
                let reference = (write_at as u16) << 4;
                payload.extend_from_slice(&reference.to_be_bytes());
                finished = true;
                break;
            }
            let (best_offset, best_length) = longest_match(&dictionary, filled, write_at, &rtf[at..]);
            if best_length >= 2 {
                control |= 1 << bit;
                let reference = ((best_offset as u16) << 4) | (best_length as u16 - 2);
                payload.extend_from_slice(&reference.to_be_bytes());
                for &byte in &rtf[at..at + best_length] {
                    dictionary[write_at] = byte;
                    write_at = (write_at + 1) % DICTIONARY_SIZE;
                    filled = (filled + 1).min(DICTIONARY_SIZE);
                }
                at += best_length;
            } else {
                payload.push(rtf[at]);
                dictionary[write_at] = rtf[at];
                write_at = (write_at + 1) % DICTIONARY_SIZE;
                filled = (filled + 1).min(DICTIONARY_SIZE);
                at += 1;
            }
        }
        payload[control_at] = control;
    }
    let mut stream = Vec::with_capacity(HEADER_SIZE + payload.len());
    stream.extend_from_slice(&((payload.len() + 12) as u32).to_le_bytes());
    stream.extend_from_slice(&(rtf.len() as u32).to_le_bytes());
    stream.extend_from_slice(&MAGIC_COMPRESSED.to_le_bytes());
    stream.extend_from_slice(&crc(&payload).to_le_bytes());
    stream.extend_from_slice(&payload);
    stream
}

/// The longest dictionary run (at most 17 bytes) equal to the start of `input`. Matches overlapping the write
/// position are skipped to keep the compressor simple and obviously correct.
fn longest_match(dictionary: &[u8; DICTIONARY_SIZE], filled: usize, write_at: usize, input: &[u8]) -> (usize, usize) {
    let max_length = input.len().min(17);
    let mut best = (0, 0);
    for start in 0..filled {
        let mut length = 0;
        while length < max_length {
            let slot = (start + length) % DICTIONARY_SIZE;
            // Never read the slot about to be written, nor past what has been filled.
            if slot == write_at || (filled < DICTIONARY_SIZE && slot >= filled) {
                break;
            }
            if dictionary[slot] != input[length] {
                break;
            }
            length += 1;
        }
        if length > best.1 {
            best = (start, length);
            if length == max_length {
                break;
            }
        }
    }
    best
}

/// Wraps `rtf` in the "MELA" uncompressed form.
pub fn store_uncompressed(rtf: &[u8]) -> Vec<u8> {
    let mut stream = Vec::with_capacity(HEADER_SIZE + rtf.len());
    stream.extend_from_slice(&((rtf.len() + 12) as u32).to_le_bytes());
    stream.extend_from_slice(&(rtf.len() as u32).to_le_bytes());
    stream.extend_from_slice(&MAGIC_UNCOMPRESSED.to_le_bytes());
    stream.extend_from_slice(&0u32.to_le_bytes());
    stream.extend_from_slice(rtf);
    stream
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of MS-OXRTFCP section 4.1.
    const SPEC_EXAMPLE: [u8; 43] = [
        0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00,
        0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09,
        0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c,
    ];

    #[test]
    fn the_specification_example_decompresses() {
        let mut stream = SPEC_EXAMPLE.to_vec();
        stream.extend_from_slice(&[0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0]);
        let result = decompress(&stream, 1 << 20).expect("valid header");
        assert_eq!(String::from_utf8_lossy(&result.rtf), "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
        assert!(result.problems.is_empty(), "{:?}", result.problems);
    }

    #[test]
    fn compression_round_trips() {
        let rtf = b"{\\rtf1\\ansi\\ansicpg1251 \\pard hello hello hello world \\'e0\\'e1\\'e2 \\par}".repeat(40);
        let stream = compress(&rtf);
        assert!(stream.len() < rtf.len() / 4, "repetitive text compresses: {} bytes", stream.len());
        let result = decompress(&stream, 1 << 20).expect("valid header");
        assert_eq!(result.rtf, rtf);
        assert!(result.problems.is_empty(), "{:?}", result.problems);
    }

    #[test]
    fn damage_is_reported_not_fatal() {
        let mut stream = compress(b"{\\rtf1 some text that is long enough}");
        let last = stream.len() - 3;
        stream[last] ^= 0x55;
        let result = decompress(&stream, 1 << 20).expect("header intact");
        assert!(result.problems.iter().any(|p| p.contains("checksum")), "{:?}", result.problems);

        let truncated = &compress(b"{\\rtf1 some text that is long enough}")[..24];
        let result = decompress(truncated, 1 << 20).expect("header intact");
        assert!(!result.problems.is_empty());
        assert_eq!(decompress(b"short", 10), Err(LzfuError::TooShort));
    }

    #[test]
    fn output_is_bounded_by_the_caller() {
        let stream = compress(&b"a".repeat(10_000));
        let result = decompress(&stream, 100).expect("valid header");
        assert_eq!(result.rtf.len(), 100);
    }

    #[test]
    fn uncompressed_form_is_read() {
        let result = decompress(&store_uncompressed(b"{\\rtf1 plain}"), 1 << 20).expect("valid header");
        assert_eq!(result.rtf, b"{\\rtf1 plain}");
        assert!(result.problems.is_empty());
    }
}
