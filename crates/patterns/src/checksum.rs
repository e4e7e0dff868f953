//! Check digits of the identifiers the finder knows, each written from its official definition (cited per function),
//! plus the functions that compute the check digits, which the property tests use to build valid numbers.
//!
//! Every `*_is_valid` takes the compact form (digits only, or upper-case letters and digits for an IBAN) and answers
//! `false` for a wrong length or a stray character rather than panicking: the input is whatever a document said.

/// The digits of `text` as numbers, if `text` is exactly `len` ASCII digits.
fn digits<const N: usize>(text: &str) -> Option<[u32; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u32; N];
    for (slot, byte) in out.iter_mut().zip(bytes) {
        *slot = u32::from(byte - b'0');
    }
    Some(out)
}

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(digit, weight)| digit * weight).sum()
}

const INN_10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// The check digit of a 10-digit Russian INN (an organisation's) from its first nine digits: the weighted sum
/// (2 4 10 3 5 9 4 6 8) mod 11 mod 10 (FNS; the weights as the tax service publishes them).
pub fn inn10_check_digit(first_nine: &str) -> Option<u32> {
    let digits = digits::<9>(first_nine)?;
    Some(weighted(&digits, &INN_10) % 11 % 10)
}

/// The two check digits of a 12-digit Russian INN (a person's) from its first ten: digit 11 from weights
/// 7 2 4 10 3 5 9 4 6 8 over digits 1–10, digit 12 from weights 3 7 2 4 10 3 5 9 4 6 8 over digits 1–11,
/// each mod 11 mod 10.
pub fn inn12_check_digits(first_ten: &str) -> Option<(u32, u32)> {
    let digits = digits::<10>(first_ten)?;
    let eleventh = weighted(&digits, &INN_11) % 11 % 10;
    let mut eleven = [0u32; 11];
    eleven[..10].copy_from_slice(&digits);
    eleven[10] = eleventh;
    Some((eleventh, weighted(&eleven, &INN_12) % 11 % 10))
}

/// Whether `inn` is a 10- or 12-digit Russian INN whose check digits agree.
pub fn inn_is_valid(inn: &str) -> bool {
    match inn.len() {
        10 => inn10_check_digit(&inn[..9]).is_some_and(|check| Some(check) == last_digit(inn)),
        12 => inn12_check_digits(&inn[..10]).is_some_and(|(eleventh, twelfth)| {
            digits::<12>(inn).is_some_and(|all| all[10] == eleventh && all[11] == twelfth)
        }),
        _ => false,
    }
}

fn last_digit(text: &str) -> Option<u32> {
    text.as_bytes().last().filter(|byte| byte.is_ascii_digit()).map(|byte| u32::from(byte - b'0'))
}

/// The remainder of the decimal number `text` (ASCII digits) divided by `modulus`, without overflow at any length.
fn remainder(text: &str, modulus: u64) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |rest, byte| (rest * 10 + u64::from(byte - b'0')) % modulus))
}

/// The check digit of a 13-digit OGRN from its first twelve: the lowest digit of the twelve-digit number's remainder
/// mod 11 (a remainder of 10 gives 0), as the EGRUL rules (Government decree 438 of 19.06.2002) define it.
pub fn ogrn_check_digit(first_twelve: &str) -> Option<u32> {
    (first_twelve.len() == 12).then_some(())?;
    remainder(first_twelve, 11).map(|rest| (rest % 10) as u32)
}

/// Whether `ogrn` is 13 digits whose last is the OGRN check digit.
pub fn ogrn_is_valid(ogrn: &str) -> bool {
    ogrn.len() == 13 && ogrn_check_digit(&ogrn[..12]).is_some_and(|check| Some(check) == last_digit(ogrn))
}

/// The check digit of a 15-digit OGRNIP from its first fourteen: the lowest digit of the remainder mod 13
/// (so remainders 10, 11 and 12 give 0, 1 and 2; python-stdnum wrongly rejects those).
pub fn ogrnip_check_digit(first_fourteen: &str) -> Option<u32> {
    (first_fourteen.len() == 14).then_some(())?;
    remainder(first_fourteen, 13).map(|rest| (rest % 10) as u32)
}

/// Whether `ogrnip` is 15 digits whose last is the OGRNIP check digit.
pub fn ogrnip_is_valid(ogrnip: &str) -> bool {
    ogrnip.len() == 15 && ogrnip_check_digit(&ogrnip[..14]).is_some_and(|check| Some(check) == last_digit(ogrnip))
}

/// The two-digit check number of a SNILS from its first nine digits (Pension Fund rules): each digit times its
/// position counted from the end (9 … 1), summed; the check number is the last two digits of the sum's remainder
/// mod 101, so sums of 100 and 101 both give 00.
pub fn snils_check_number(first_nine: &str) -> Option<u32> {
    let digits = digits::<9>(first_nine)?;
    let sum = weighted(&digits, &[9, 8, 7, 6, 5, 4, 3, 2, 1]);
    Some(sum % 101 % 100)
}

/// The highest SNILS the check number does not apply to: the rules check only numbers above 001-001-998.
const SNILS_UNCHECKED_UP_TO: u32 = 1_001_998;

/// Whether an 11-digit SNILS has the right check number; `None` when the number is at or below 001-001-998, where
/// the rules define no check.
pub fn snils_is_valid(snils: &str) -> Option<bool> {
    let digits = digits::<11>(snils)?;
    let body = digits[..9].iter().fold(0u32, |number, digit| number * 10 + digit);
    if body <= SNILS_UNCHECKED_UP_TO {
        return None;
    }
    let written = digits[9] * 10 + digits[10];
    Some(snils_check_number(&snils[..9]) == Some(written))
}

/// The check digit of an 8-digit Ukrainian EDRPOU code from its first seven digits, by the state statistics
/// methodology: weights 1–7, or 7 1 2 3 4 5 6 for codes from 30,000,000 to 60,000,000 (the first digit 3, 4 or 5); the remainder mod 11; a
/// remainder of 10 is computed again with every weight plus 2, and a second 10 gives 0.
pub fn edrpou_check_digit(first_seven: &str) -> Option<u32> {
    let digits = digits::<7>(first_seven)?;
    // The range is that of the whole 8-digit code, so its first seven digits decide it: from 3,000,000 up to but not
    // including 6,000,000. (Codes starting 6000000 would only fall inside with a check digit of 0, which the other
    // weights never give them: the base weights are the only consistent reading.)
    let leading = digits.iter().fold(0u32, |number, digit| number * 10 + digit);
    let weights: [u32; 7] =
        if (3_000_000..6_000_000).contains(&leading) { [7, 1, 2, 3, 4, 5, 6] } else { [1, 2, 3, 4, 5, 6, 7] };
    let first = weighted(&digits, &weights) % 11;
    if first < 10 {
        return Some(first);
    }
    let shifted = weights.map(|weight| weight + 2);
    Some(weighted(&digits, &shifted) % 11 % 10)
}

/// Whether `edrpou` is 8 digits whose last is the EDRPOU check digit.
pub fn edrpou_is_valid(edrpou: &str) -> bool {
    edrpou.len() == 8 && edrpou_check_digit(&edrpou[..7]).is_some_and(|check| Some(check) == last_digit(edrpou))
}

/// The check digit of a 10-digit Ukrainian RNOKPP (individual tax number) from its first nine digits: weights
/// -1 5 7 9 4 6 10 5 7, the sum mod 11 mod 10 (the sum cannot be negative: the first weight is the only negative one
/// and is at most 9 in size).
pub fn rnokpp_check_digit(first_nine: &str) -> Option<u32> {
    let digits = digits::<9>(first_nine)?;
    let positive = weighted(&digits[1..], &[5, 7, 9, 4, 6, 10, 5, 7]);
    // The remaining weighted digits are at least zero and the first can take away 9: add 11 to stay non-negative.
    let sum = positive + 11 - digits[0];
    Some(sum % 11 % 10)
}

/// Whether `rnokpp` is 10 digits whose last is the RNOKPP check digit.
pub fn rnokpp_is_valid(rnokpp: &str) -> bool {
    rnokpp.len() == 10 && rnokpp_check_digit(&rnokpp[..9]).is_some_and(|check| Some(check) == last_digit(rnokpp))
}

/// ISO 13616 mod 97 over an IBAN in compact form: the first four characters moved to the end, letters as 10–35.
fn iban_remainder(compact: &str) -> Option<u32> {
    let bytes = compact.as_bytes();
    if bytes.len() < 5 || !bytes.iter().all(|byte| byte.is_ascii_digit() || byte.is_ascii_uppercase()) {
        return None;
    }
    let rearranged = bytes[4..].iter().chain(&bytes[..4]);
    let mut rest = 0u32;
    for &byte in rearranged {
        if byte.is_ascii_digit() {
            rest = (rest * 10 + u32::from(byte - b'0')) % 97;
        } else {
            rest = (rest * 100 + u32::from(byte - b'A') + 10) % 97;
        }
    }
    Some(rest)
}

/// Whether `compact` (upper case, no spaces) has an IBAN's shape (two letters, two digits, 11–30 more letters or
/// digits; 15–34 in all) and passes the ISO 13616 mod-97 check. The country's own length is not checked here.
pub fn iban_is_valid(compact: &str) -> bool {
    iban_shape(compact) && iban_remainder(compact) == Some(1)
}

/// Two upper-case letters, two digits, then upper-case letters and digits, 15–34 characters in all.
pub(crate) fn iban_shape(compact: &str) -> bool {
    let bytes = compact.as_bytes();
    (15..=34).contains(&bytes.len())
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(|byte| byte.is_ascii_digit() || byte.is_ascii_uppercase())
}

/// The two check digits for a country code and BBAN: 98 minus the remainder of BBAN ‖ country ‖ "00".
pub fn iban_check_digits(country: &str, bban: &str) -> Option<String> {
    let rest = iban_remainder(&format!("{country}00{bban}"))?;
    Some(format!("{:02}", 98 - rest))
}

/// The Luhn check digit for the digits before it.
pub fn luhn_check_digit(body: &str) -> Option<u32> {
    if body.is_empty() || !body.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    // Counted from the right of the body, the first digit is the one doubled (it sits next to the check digit).
    let sum: u32 = body.bytes().rev().enumerate().map(|(index, byte)| luhn_term(index % 2 == 0, byte)).sum();
    Some((10 - sum % 10) % 10)
}

fn luhn_term(doubled: bool, byte: u8) -> u32 {
    let digit = u32::from(byte - b'0');
    if !doubled {
        return digit;
    }
    let twice = digit * 2;
    if twice > 9 { twice - 9 } else { twice }
}

/// Whether `digits` (ASCII digits only) passes the Luhn check (ISO/IEC 7812-1).
pub fn luhn_is_valid(digits: &str) -> bool {
    digits.len() >= 2
        && luhn_check_digit(&digits[..digits.len() - 1]).is_some_and(|check| Some(check) == last_digit(digits))
}

/// Whether `kpp` has a KPP's form: four digits (the tax office), two digits or Latin capitals (the reason, letters
/// allowed since 2019), three digits. A KPP has no check digit.
pub fn kpp_is_well_formed(kpp: &str) -> bool {
    let bytes = kpp.as_bytes();
    bytes.len() == 9
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..6].iter().all(|byte| byte.is_ascii_digit() || byte.is_ascii_uppercase())
        && bytes[6..].iter().all(u8::is_ascii_digit)
}

/// Whether `bik` has a Russian BIK's form: nine digits starting with 04 (the country code). No check digit.
pub fn bik_is_well_formed(bik: &str) -> bool {
    digits::<9>(bik).is_some() && bik.starts_with("04")
}

/// Whether a 20-digit Russian bank account has the right control key (its 9th digit) for the bank's BIK, by the
/// Bank of Russia's order 515 of 08.09.1997: a correspondent account (`30101…`) or an account held at a Bank of
/// Russia division (BIK digits 7–9 below 050, e.g. an RKC's 000) is prefixed with "0" and BIK digits 5–6, a credit
/// institution client's account with BIK digits 7–9; the 23 digits are weighted 7 1 3 repeating and the lowest
/// digits of the products must sum to a multiple of 10.
pub fn bank_account_is_valid(bik: &str, account: &str) -> bool {
    if !bik_is_well_formed(bik) || digits::<20>(account).is_none() {
        return false;
    }
    let at_bank_of_russia = bik[6..] < *"050";
    let prefix = if account.starts_with("30101") || at_bank_of_russia {
        format!("0{}", &bik[4..6])
    } else {
        bik[6..].to_string()
    };
    let sum: u32 = prefix
        .bytes()
        .chain(account.bytes())
        .zip([7u32, 1, 3].iter().cycle())
        .map(|(byte, weight)| u32::from(byte - b'0') * weight % 10)
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests;
