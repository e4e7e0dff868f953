//! PKCS#7 / CMS signed data (`.p7m`, `.p7s`): the signed file inside, and who signed it when.
//!
//! A signed file is a wrapper: ContentInfo → SignedData → encapContentInfo → eContent, an OCTET STRING that holds
//! the original document (in one piece in DER, in chunks in the BER that signed mail writes). The document is
//! handed to the sink as a child, named after the wrapper without its `.p7m`, and read again by the pipeline.
//! The wrapper's own text and metadata are the signers' certificate subjects, the signing time and the digest
//! algorithms. A detached signature (`.p7s`, no eContent) is read as metadata only. Input may be DER, BER or
//! base64 (PEM armour or bare). Enveloped (encrypted) data cannot be opened without the recipient's private key.

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source, TextBuilder};

use crate::ber::{self, BerError, Class, Element, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, TAG_SET};
use crate::report::{Offer, Report};

const FORMAT: &str = "pkcs7";
/// The DER of OID 1.2.840.113549.1.7.2 (signedData): detection finds it within the first ~20 bytes of a DER/BER
/// `.p7m` (`30 82 LL LL 06 09 <these>` or `30 80 06 09 <these>`).
pub const PKCS7_SIGNED_DATA_OID_DER: [u8; 9] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
const OID_SIGNED_AND_ENVELOPED_DATA: &str = "1.2.840.113549.1.7.4";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_AUTH_ENVELOPED_DATA: &str = "1.2.840.113549.1.9.16.1.23";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
/// Certificates and signers beyond these counts are ignored: real files have a handful.
const MAX_CERTIFICATES: usize = 1000;
const MAX_SIGNERS: usize = 1000;

/// Whether `head` (the file's first bytes, 128 are plenty) starts like a PKCS#7/CMS signed file: a DER/BER
/// SEQUENCE with the signedData OID within its first 24 bytes, PEM armour (`-----BEGIN PKCS7-----`,
/// `-----BEGIN CMS-----`), or bare base64 of such DER (Italian `.p7m` files often are).
pub fn looks_like_pkcs7(head: &[u8]) -> bool {
    if starts_like_signed_data(head) {
        return true;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = &text[text.iter().position(|byte| !byte.is_ascii_whitespace()).unwrap_or(text.len())..];
    if text.starts_with(b"-----BEGIN PKCS7-----") || text.starts_with(b"-----BEGIN CMS-----") {
        return true;
    }
    // Bare base64: decode the first 32 characters (24 bytes) and look again.
    let characters: Vec<u8> = text.iter().copied().filter(|byte| !byte.is_ascii_whitespace()).take(32).collect();
    characters.len() == 32
        && characters.iter().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/'))
        && unwrap_base64(&characters).is_some_and(|der| starts_like_signed_data(&der))
}

fn starts_like_signed_data(head: &[u8]) -> bool {
    let start = &head[..head.len().min(24)];
    head.first() == Some(&0x30)
        && start.windows(PKCS7_SIGNED_DATA_OID_DER.len()).any(|window| window == PKCS7_SIGNED_DATA_OID_DER)
}

/// Reads a PKCS#7/CMS signed file: the signed content as a child, signers and signing time as metadata.
pub fn read_pkcs7(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let der = unwrap_base64(&bytes).unwrap_or(bytes);
    // Every ContentInfo starts with a SEQUENCE and its content type OID (1.2.840.113549.1.7.x) within a few bytes;
    // without them, a parse error would only say "truncated" about what is not PKCS#7 at all.
    let head = &der[..der.len().min(24)];
    if der.first() != Some(&0x30) || !head.windows(8).any(|window| window == &PKCS7_SIGNED_DATA_OID_DER[..8]) {
        return Err(ExtractError::malformed(FORMAT, "no PKCS#7 ContentInfo (SEQUENCE with a 1.2.840.113549.1.7 type)"));
    }
    let (content_info, _) = ber::parse(&der).map_err(ber_error)?;
    if !content_info.is_universal(TAG_SEQUENCE) {
        return Err(ExtractError::malformed(FORMAT, "does not start with a ContentInfo SEQUENCE"));
    }
    let parts = content_info.child_list().map_err(ber_error)?;
    let content_type = match parts.first() {
        Some(oid) if oid.is_universal(TAG_OID) => ber::oid_text(oid.content),
        _ => return Err(ExtractError::malformed(FORMAT, "ContentInfo has no content type")),
    };
    match content_type.as_str() {
        OID_SIGNED_DATA => {}
        OID_ENVELOPED_DATA | OID_SIGNED_AND_ENVELOPED_DATA | OID_AUTH_ENVELOPED_DATA => {
            return Err(ExtractError::Encrypted(Some(
                "PKCS#7 enveloped data, encrypted for its recipients' private keys".to_string(),
            )));
        }
        OID_ENCRYPTED_DATA => {
            return Err(ExtractError::Encrypted(Some("PKCS#7 encrypted data".to_string())));
        }
        other => return Err(ExtractError::Unsupported(format!("PKCS#7 content type {}", content_type_name(other)))),
    }
    let signed_data = explicit_content(&parts)?;
    if !signed_data.is_universal(TAG_SEQUENCE) {
        return Err(ExtractError::malformed(FORMAT, "SignedData is not a SEQUENCE"));
    }

    let mut report = Report::new(ctx);
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    let mut signed = SignedData::default();
    if let Err(err) = parse_signed_data(&signed_data, &mut signed) {
        // What was read before the damage (often the content and certificates) is kept.
        report.diagnose(format!("SignedData is damaged: {}", describe(&err)));
        if signed.content.is_none() && signed.certificates.is_empty() {
            return Err(ber_error(err));
        }
    }

    for signer in &signed.signers {
        if let Some(digest) = &signer.digest_algorithm
            && !signed.digest_algorithms.contains(digest)
        {
            signed.digest_algorithms.push(digest.clone());
        }
    }
    for digest in &signed.digest_algorithms {
        report.metadata.push("digest_algorithm", digest.clone());
    }
    report.metadata.set("content_type", content_type_name(&signed.content_type));
    report.metadata.set("certificates", signed.certificates.len().to_string());
    report.metadata.set("signers", signed.signers.len().to_string());

    match signed.content.take() {
        Some(content) => {
            let name = child_name(src);
            text.push(&format!("signed content: {name} ({} bytes)\n", content.len()));
            report.metadata.set("signed_content", name.clone());
            let meta = ChildMeta::new(name.clone(), ChildKind::Embedded);
            if let Offer::Refused(err) = Report::offer(ctx, meta, &mut content.as_slice())? {
                report.diagnose(format!("signed content {name} not kept: {err}"));
            }
        }
        None if signed.signers.is_empty() => {
            // A "degenerate" SignedData (.p7b/.p7c): a bundle of certificates, nothing signed.
            text.push("certificate bundle: no signed content and no signers\n");
        }
        None => {
            text.push("detached signature: the signed content is not in this file\n");
            report.metadata.set("detached", "true");
        }
    }

    let mut signer_subjects = Vec::new();
    for signer in &signed.signers {
        let subject = signed
            .certificates
            .iter()
            .find(|certificate| signer.matches(certificate))
            .map(|certificate| certificate.subject.clone())
            .or_else(|| (signed.certificates.len() == 1).then(|| signed.certificates[0].subject.clone()));
        let shown = match &subject {
            Some(subject) => subject.to_string(),
            None => "(certificate not included)".to_string(),
        };
        text.push(&format!("signer: {shown}\n"));
        if let Some(subject) = &subject {
            signer_subjects.push(subject.to_string());
            report.metadata.push("signer", subject.to_string());
            if let Some(email) = &subject.email {
                report.metadata.push("signer_email", email.clone());
            }
        }
        if let Some(time) = &signer.signing_time {
            text.push(&format!("signing time: {time}\n"));
            report.metadata.push("signing_time", time.clone());
        }
    }
    // The other certificates (issuers, co-signers' chains) are searchable names too.
    for certificate in &signed.certificates {
        let subject = certificate.subject.to_string();
        if !signer_subjects.contains(&subject) {
            text.push(&format!("certificate: {subject}\n"));
        }
    }

    let mut extraction = report.finish();
    // The archive listing metadata ("entries") means nothing for a signature wrapper.
    extraction.metadata.0.remove("entries");
    let (body, cut) = text.finish();
    extraction.text = body;
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

/// The name of the signed file: the wrapper's name without `.p7m` ("contract.pdf.p7m" holds "contract.pdf").
fn child_name(src: &Source<'_>) -> String {
    let name = src
        .name
        .map(str::to_string)
        .or_else(|| src.path.file_name().and_then(|name| name.to_str()).map(str::to_string));
    let base = name.as_deref().map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name));
    match base {
        Some(base) if base.len() > 4 && base.to_ascii_lowercase().ends_with(".p7m") => {
            base[..base.len() - 4].to_string()
        }
        _ => "signed-content".to_string(),
    }
}

/// Base64 input (PEM armour such as `-----BEGIN PKCS7-----`, or bare base64 as some mail tools save it) decoded;
/// `None` when the bytes are not base64 (DER starts with 0x30, which is `0` in base64 but is followed by binary).
fn unwrap_base64(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_start();
    let body: String = if trimmed.starts_with("-----BEGIN") {
        trimmed
            .lines()
            .skip(1)
            .take_while(|line| !line.starts_with("-----END"))
            .filter(|line| !line.contains(':'))
            .collect()
    } else {
        trimmed.to_string()
    };
    let body: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')) {
        return None;
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    engine.decode(body.trim_end_matches('=')).ok().filter(|der| der.first() == Some(&0x30))
}

fn ber_error(err: BerError) -> ExtractError {
    match err {
        BerError::Truncated(detail) => ExtractError::truncated(FORMAT, detail),
        BerError::Malformed(detail) => ExtractError::malformed(FORMAT, detail),
    }
}

fn describe(err: &BerError) -> String {
    match err {
        BerError::Truncated(detail) => format!("truncated: {detail}"),
        BerError::Malformed(detail) => detail.clone(),
    }
}

/// The `[0] EXPLICIT` content that follows a content type OID.
fn explicit_content<'a>(parts: &[Element<'a>]) -> Result<Element<'a>, ExtractError> {
    let wrapper = parts
        .get(1)
        .filter(|part| part.is(Class::Context, 0))
        .ok_or_else(|| ExtractError::malformed(FORMAT, "ContentInfo has no content"))?;
    let mut inner = wrapper.children();
    match inner.next() {
        Some(element) => element.map_err(ber_error),
        None => Err(ExtractError::malformed(FORMAT, "ContentInfo content is empty")),
    }
}

#[derive(Default)]
struct SignedData {
    digest_algorithms: Vec<String>,
    content_type: String,
    content: Option<Vec<u8>>,
    certificates: Vec<Certificate>,
    signers: Vec<Signer>,
}

struct Certificate {
    serial: Vec<u8>,
    issuer: Vec<u8>,
    subject: Subject,
}

/// The parts of a distinguished name people search for.
#[derive(Default, Clone)]
struct Subject {
    common_name: Option<String>,
    organization: Option<String>,
    email: Option<String>,
    /// Everything else (country, locality, unit, INN/OGRN...), for a subject with no common name.
    other: Vec<String>,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(name) = &self.common_name {
            parts.push(format!("CN={name}"));
        }
        if let Some(organization) = &self.organization {
            parts.push(format!("O={organization}"));
        }
        if let Some(email) = &self.email {
            parts.push(format!("E={email}"));
        }
        if parts.is_empty() {
            parts.extend(self.other.iter().cloned());
        }
        if parts.is_empty() {
            return write!(f, "(empty subject)");
        }
        write!(f, "{}", parts.join(", "))
    }
}

struct Signer {
    /// Issuer name and serial number of the signer's certificate (the usual identifier).
    issuer_and_serial: Option<(Vec<u8>, Vec<u8>)>,
    digest_algorithm: Option<String>,
    signing_time: Option<String>,
}

impl Signer {
    fn matches(&self, certificate: &Certificate) -> bool {
        match &self.issuer_and_serial {
            Some((issuer, serial)) => *issuer == certificate.issuer && *serial == certificate.serial,
            None => false,
        }
    }
}

fn parse_signed_data(signed_data: &Element<'_>, out: &mut SignedData) -> Result<(), BerError> {
    let mut parts = signed_data.children();
    let _version = next_element(&mut parts, "version")?;
    let digests = next_element(&mut parts, "digest algorithms")?;
    for algorithm in digests.children().take(16) {
        if let Some(name) = algorithm_name(&algorithm?) {
            if !out.digest_algorithms.contains(&name) {
                out.digest_algorithms.push(name);
            }
        }
    }
    let encapsulated = next_element(&mut parts, "encapsulated content")?;
    let mut encapsulated_parts = encapsulated.children();
    if let Some(oid) = encapsulated_parts.next() {
        out.content_type = ber::oid_text(oid?.content);
    }
    if let Some(wrapper) = encapsulated_parts.next() {
        let wrapper = wrapper?;
        if let Some(content) = wrapper.children().next() {
            let content = content?;
            // PKCS#7 v1.5 allowed any type here; CMS always has an OCTET STRING. Non-strings are kept whole.
            out.content =
                Some(if content.is_universal(TAG_OCTET_STRING) { content.octets()? } else { content.raw.to_vec() });
        }
    }
    for part in parts {
        let part = part?;
        if part.is(Class::Context, 0) {
            for certificate in part.children().take(MAX_CERTIFICATES) {
                if let Some(certificate) = parse_certificate(&certificate?)? {
                    out.certificates.push(certificate);
                }
            }
        } else if part.is_universal(TAG_SET) {
            for signer in part.children().take(MAX_SIGNERS) {
                out.signers.push(parse_signer(&signer?)?);
            }
        }
    }
    Ok(())
}

fn next_element<'a>(parts: &mut ber::Children<'a>, what: &str) -> Result<Element<'a>, BerError> {
    parts.next().unwrap_or_else(|| Err(BerError::Malformed(format!("SignedData has no {what}"))))
}

/// An X.509 certificate's serial number, issuer and subject (other certificate formats are skipped).
fn parse_certificate(certificate: &Element<'_>) -> Result<Option<Certificate>, BerError> {
    if !certificate.is_universal(TAG_SEQUENCE) {
        return Ok(None);
    }
    let Some(tbs) = certificate.children().next() else { return Ok(None) };
    let tbs = tbs?;
    let mut fields = tbs.child_list()?.into_iter().peekable();
    if fields.peek().is_some_and(|field| field.is(Class::Context, 0)) {
        fields.next();
    }
    let (Some(serial), Some(_signature), Some(issuer), Some(_validity), Some(subject)) =
        (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Ok(None);
    };
    if !serial.is_universal(TAG_INTEGER) {
        return Ok(None);
    }
    Ok(Some(Certificate {
        serial: serial.content.to_vec(),
        issuer: issuer.raw.to_vec(),
        subject: parse_name(&subject)?,
    }))
}

/// A Name: SEQUENCE OF SET OF { type OID, value }.
fn parse_name(name: &Element<'_>) -> Result<Subject, BerError> {
    let mut subject = Subject::default();
    for set in name.children() {
        for attribute in set?.children() {
            let attribute = attribute?;
            let mut parts = attribute.children();
            let (Some(oid), Some(value)) = (parts.next(), parts.next()) else { continue };
            let (oid, value) = (oid?, value?);
            let text = string_value(&value);
            if text.trim().is_empty() {
                continue;
            }
            match ber::oid_text(oid.content).as_str() {
                "2.5.4.3" => subject.common_name = subject.common_name.or(Some(text)),
                "2.5.4.10" => subject.organization = subject.organization.or(Some(text)),
                "1.2.840.113549.1.9.1" => subject.email = subject.email.or(Some(text)),
                other => {
                    if subject.other.len() < 16 {
                        subject.other.push(format!("{}={text}", attribute_label(other)));
                    }
                }
            }
        }
    }
    Ok(subject)
}

fn attribute_label(oid: &str) -> &str {
    match oid {
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.11" => "OU",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "G",
        "2.5.4.5" => "serialNumber",
        "1.2.643.3.131.1.1" => "INN",
        "1.2.643.100.1" => "OGRN",
        "1.2.643.100.3" => "SNILS",
        other => other,
    }
}

/// The text of a directory string: UTF8String, PrintableString, IA5String, TeletexString (read as Latin-1),
/// BMPString (UTF-16BE) or UniversalString (UTF-32BE).
fn string_value(value: &Element<'_>) -> String {
    let bytes = value.content;
    let text = match value.tag {
        30 => {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        28 => bytes
            .chunks_exact(4)
            .map(|quad| char::from_u32(u32::from_be_bytes([quad[0], quad[1], quad[2], quad[3]])).unwrap_or('\u{FFFD}'))
            .collect(),
        20 => bytes.iter().map(|byte| char::from(*byte)).collect(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

fn parse_signer(signer: &Element<'_>) -> Result<Signer, BerError> {
    let mut parsed = Signer { issuer_and_serial: None, digest_algorithm: None, signing_time: None };
    let mut parts = signer.children();
    let _version = parts.next().transpose()?;
    if let Some(identifier) = parts.next().transpose()?
        && identifier.is_universal(TAG_SEQUENCE)
    {
        let mut fields = identifier.children();
        if let (Some(issuer), Some(serial)) = (fields.next().transpose()?, fields.next().transpose()?) {
            parsed.issuer_and_serial = Some((issuer.raw.to_vec(), serial.content.to_vec()));
        }
    }
    if let Some(algorithm) = parts.next().transpose()? {
        parsed.digest_algorithm = algorithm_name(&algorithm);
    }
    if let Some(attributes) = parts.next().transpose()?
        && attributes.is(Class::Context, 0)
    {
        for attribute in attributes.children().take(256) {
            let attribute = attribute?;
            let mut fields = attribute.children();
            let (Some(oid), Some(values)) = (fields.next().transpose()?, fields.next().transpose()?) else { continue };
            if ber::oid_text(oid.content) == OID_SIGNING_TIME
                && let Some(time) = values.children().next().transpose()?
            {
                parsed.signing_time = asn1_time(&time);
            }
        }
    }
    Ok(parsed)
}

/// UTCTime (`YYMMDDHHMM[SS]Z`, years 50-99 are 19xx) or GeneralizedTime (`YYYYMMDDHHMM[SS]Z`) as ISO 8601.
fn asn1_time(time: &Element<'_>) -> Option<String> {
    let text = std::str::from_utf8(time.content).ok()?;
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let (year, rest) = match time.tag {
        23 if digits.len() >= 10 => {
            let short: u32 = digits[..2].parse().ok()?;
            (if short >= 50 { 1900 + short } else { 2000 + short }, &digits[2..])
        }
        24 if digits.len() >= 12 => (digits[..4].parse().ok()?, &digits[4..]),
        _ => return None,
    };
    let field = |at: usize| rest.get(at..at + 2).and_then(|two| two.parse::<u32>().ok());
    let (month, day, hour, minute) = (field(0)?, field(2)?, field(4)?, field(6)?);
    let second = field(8).unwrap_or(0);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let zone = if text.ends_with('Z') { "Z" } else { "" };
    Some(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{zone}"))
}

/// The name of an AlgorithmIdentifier's algorithm (digests, including the Russian GOST ones).
fn algorithm_name(algorithm: &Element<'_>) -> Option<String> {
    let oid = algorithm.children().next()?.ok()?;
    if !oid.is_universal(TAG_OID) {
        return None;
    }
    let oid = ber::oid_text(oid.content);
    let name = match oid.as_str() {
        "1.2.840.113549.2.5" => "md5",
        "1.3.14.3.2.26" => "sha1",
        "2.16.840.1.101.3.4.2.4" => "sha224",
        "2.16.840.1.101.3.4.2.1" => "sha256",
        "2.16.840.1.101.3.4.2.2" => "sha384",
        "2.16.840.1.101.3.4.2.3" => "sha512",
        "2.16.840.1.101.3.4.2.8" => "sha3-256",
        "2.16.840.1.101.3.4.2.10" => "sha3-512",
        "1.2.643.2.2.9" => "GOST R 34.11-94",
        "1.2.643.7.1.1.2.2" => "GOST R 34.11-2012 (256 bit)",
        "1.2.643.7.1.1.2.3" => "GOST R 34.11-2012 (512 bit)",
        _ => return Some(oid),
    };
    Some(name.to_string())
}

fn content_type_name(oid: &str) -> String {
    match oid {
        OID_DATA => "data".to_string(),
        OID_SIGNED_DATA => "signed data".to_string(),
        "1.2.840.113549.1.9.16.1.9" => "compressed data".to_string(),
        "1.2.840.113549.1.9.16.1.4" => "timestamp token info".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(bytes: &[u8]) -> Element<'_> {
        ber::parse(bytes).expect("valid test element").0
    }

    #[test]
    fn utc_and_generalized_times_become_iso8601() {
        assert_eq!(asn1_time(&element(b"\x17\x0d240315130509Z")).as_deref(), Some("2024-03-15T13:05:09Z"));
        assert_eq!(asn1_time(&element(b"\x17\x0d991231235959Z")).as_deref(), Some("1999-12-31T23:59:59Z"));
        assert_eq!(asn1_time(&element(b"\x18\x0f20240315130509Z")).as_deref(), Some("2024-03-15T13:05:09Z"));
        assert_eq!(asn1_time(&element(b"\x17\x0d241315130509Z")), None);
    }

    #[test]
    fn pem_and_bare_base64_are_unwrapped_but_der_is_not() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(unwrap_base64(b"-----BEGIN PKCS7-----\nMAMCAQU=\n-----END PKCS7-----\n"), Some(der.to_vec()));
        assert_eq!(unwrap_base64(b"MAMCAQU\n"), Some(der.to_vec()));
        assert_eq!(unwrap_base64(&der), None);
        assert_eq!(unwrap_base64(b"plain words"), None);
    }

    /// Every truncation and many single-byte corruptions of a BER fixture are read or refused, never a panic.
    #[test]
    fn damaged_input_never_panics() {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/pkcs7/0002_ber_chunked.xml.p7m");
        let bytes = std::fs::read(fixture).expect("fixture");
        let dir = tempfile::tempdir().expect("temp folder");
        let path = dir.path().join("x.p7m");
        let limits = dossier_document::Limits::default();
        let options = dossier_document::Options::default();
        let mut variants: Vec<Vec<u8>> = (1..bytes.len()).map(|end| bytes[..end].to_vec()).collect();
        for at in (0..bytes.len()).step_by(3) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x81;
            variants.push(damaged);
        }
        for variant in variants {
            std::fs::write(&path, &variant).expect("write");
            let mut sink = dossier_document::MemorySink::new(&limits, 1);
            let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
            let _ = read_pkcs7(&Source { path: &path, name: None }, &mut ctx);
        }
    }

    #[test]
    fn detection_sees_der_ber_and_pem() {
        assert!(looks_like_pkcs7(&[0x30, 0x82, 0x06, 0x22, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 1, 7, 2]));
        assert!(looks_like_pkcs7(&[0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 1, 7, 2, 0xA0]));
        assert!(looks_like_pkcs7(b"\n-----BEGIN PKCS7-----\nMII..."));
        assert!(looks_like_pkcs7(b"MIIGIgYJKoZIhvcNAQcCoIIGEzCCBg8CAQExDTALBglghkgBZQMEAgEw"));
        assert!(looks_like_pkcs7(b"MIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgEwgAYJKoZI"));
        assert!(!looks_like_pkcs7(b"TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu"));
        assert!(!looks_like_pkcs7(&[0x30, 0x82, 0x06, 0x22, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 1, 7, 3]));
        assert!(!looks_like_pkcs7(b"PK\x03\x04"));
    }

    #[test]
    fn bmp_strings_decode() {
        assert_eq!(string_value(&element(&[0x1E, 0x04, 0x04, 0x10, 0x04, 0x11])), "АБ");
    }
}
