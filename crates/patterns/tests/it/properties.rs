//! Property tests: numbers built with their check digits validate, and a change to any single digit is caught
//! wherever the algorithm guarantees it; `find` keeps its offset invariants on any text.

use dossier_patterns::checksum::*;
use dossier_patterns::find;
use proptest::prelude::*;

fn digits(len: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, len).prop_map(|digits| digits.iter().map(|d| char::from(b'0' + d)).collect())
}

/// `number` with its digit at `position` replaced by a different digit.
fn change_digit(number: &str, position: usize, step: u8) -> String {
    let mut bytes = number.as_bytes().to_vec();
    let old = bytes[position] - b'0';
    bytes[position] = b'0' + (old + 1 + step % 9) % 10;
    String::from_utf8(bytes).expect("ASCII digits")
}

fn inn10(body: &str) -> String {
    format!("{body}{}", inn10_check_digit(body).expect("nine digits"))
}

fn inn12(body: &str) -> String {
    let (eleventh, twelfth) = inn12_check_digits(body).expect("ten digits");
    format!("{body}{eleventh}{twelfth}")
}

proptest! {
    #[test]
    fn inn10_built_with_its_check_digit_validates(body in digits(9)) {
        prop_assert!(inn_is_valid(&inn10(&body)));
    }

    // Weights 2 4 10 3 5 9 4 6 8 are all nonzero mod 11, so a one-digit change moves the sum mod 11; the mod 10 that
    // follows folds remainders 10 and 0 together, so the change escapes only when the sum moves between them.
    #[test]
    fn inn10_any_changed_digit_is_caught_unless_remainders_ten_and_zero_meet(
        body in digits(9), position in 0usize..10, step in 0u8..9
    ) {
        let valid = inn10(&body);
        let changed = change_digit(&valid, position, step);
        let folded = |number: &str| inn10_check_digit(&number[..9]).map(|check| check == 0).unwrap_or(false);
        if position == 9 || !(folded(&valid) && folded(&changed)) {
            prop_assert!(!inn_is_valid(&changed) || (folded(&valid) && folded(&changed)));
        }
    }

    #[test]
    fn inn12_built_with_its_check_digits_validates(body in digits(10)) {
        prop_assert!(inn_is_valid(&inn12(&body)));
    }

    #[test]
    fn inn12_a_changed_check_digit_is_always_caught(body in digits(10), which in 10usize..12, step in 0u8..9) {
        prop_assert!(!inn_is_valid(&change_digit(&inn12(&body), which, step)));
    }

    #[test]
    fn ogrn_built_with_its_check_digit_validates_and_a_changed_check_digit_is_caught(
        body in digits(12), step in 0u8..9
    ) {
        let valid = format!("{body}{}", ogrn_check_digit(&body).expect("twelve digits"));
        prop_assert!(ogrn_is_valid(&valid));
        prop_assert!(!ogrn_is_valid(&change_digit(&valid, 12, step)));
    }

    // Changing one digit changes the number by d·10^k with 0 < |d| < 10, never a multiple of 11 (10^k ≡ ±1 mod 11),
    // so the remainder mod 11 always moves; only the fold of 10 onto 0 can hide it.
    #[test]
    fn ogrn_a_changed_body_digit_moves_the_remainder_mod_11(body in digits(12), position in 0usize..12, step in 0u8..9) {
        let changed = change_digit(&body, position, step);
        let remainder = |text: &str| text.bytes().fold(0u64, |rest, byte| (rest * 10 + u64::from(byte - b'0')) % 11);
        prop_assert_ne!(remainder(&body), remainder(&changed));
    }

    #[test]
    fn ogrnip_built_with_its_check_digit_validates(body in digits(14)) {
        let valid = format!("{body}{}", ogrnip_check_digit(&body).expect("fourteen digits"));
        prop_assert!(ogrnip_is_valid(&valid));
    }

    #[test]
    fn snils_built_with_its_check_number_validates_and_a_changed_check_number_is_caught(
        body in digits(9).prop_filter("above 001-001-998", |body| body.as_str() > "001001998"),
        position in 9usize..11, step in 0u8..9
    ) {
        let valid = format!("{body}{:02}", snils_check_number(&body).expect("nine digits"));
        prop_assert_eq!(snils_is_valid(&valid), Some(true));
        prop_assert_eq!(snils_is_valid(&change_digit(&valid, position, step)), Some(false));
    }

    // Weights 9…1 times a change below 10 move the sum by less than 101: the sum mod 101 always changes, and only
    // the fold of 100 onto 00 can hide it.
    #[test]
    fn snils_a_changed_body_digit_is_caught_unless_sums_100_and_101_meet(
        body in digits(9).prop_filter("above 001-001-998", |body| body.as_str() > "001001998"),
        position in 0usize..9, step in 0u8..9
    ) {
        let valid = format!("{body}{:02}", snils_check_number(&body).expect("nine digits"));
        let changed = change_digit(&valid, position, step);
        prop_assume!(changed[..9] > *"001001998");
        let raw = |number: &str| -> u32 {
            number[..9].bytes().zip((1..=9u32).rev()).map(|(byte, weight)| u32::from(byte - b'0') * weight).sum::<u32>() % 101
        };
        let folded = [0, 100];
        if !(folded.contains(&raw(&valid)) && folded.contains(&raw(&changed))) {
            prop_assert_eq!(snils_is_valid(&changed), Some(false));
        }
    }

    #[test]
    fn edrpou_built_with_its_check_digit_validates_and_a_changed_check_digit_is_caught(
        body in digits(7), step in 0u8..9
    ) {
        let valid = format!("{body}{}", edrpou_check_digit(&body).expect("seven digits"));
        prop_assert!(edrpou_is_valid(&valid));
        prop_assert!(!edrpou_is_valid(&change_digit(&valid, 7, step)));
    }

    #[test]
    fn rnokpp_built_with_its_check_digit_validates_and_a_changed_check_digit_is_caught(
        body in digits(9), step in 0u8..9
    ) {
        let valid = format!("{body}{}", rnokpp_check_digit(&body).expect("nine digits"));
        prop_assert!(rnokpp_is_valid(&valid));
        prop_assert!(!rnokpp_is_valid(&change_digit(&valid, 9, step)));
    }

    // ISO 7064 mod 97-10 catches every single-character substitution.
    #[test]
    fn iban_built_with_its_check_digits_validates_and_any_changed_digit_is_caught(
        bban in digits(18), position in 2usize..22, step in 0u8..9
    ) {
        let check = iban_check_digits("DE", &bban).expect("digits");
        let valid = format!("DE{check}{bban}");
        prop_assert!(iban_is_valid(&valid));
        prop_assert!(valid.parse::<iban::Iban>().is_ok(), "the iban_validate crate agrees: {}", valid);
        prop_assert!(!iban_is_valid(&change_digit(&valid, position, step)));
    }

    // Luhn catches every single-digit substitution.
    #[test]
    fn luhn_built_with_its_check_digit_validates_and_any_changed_digit_is_caught(
        body in digits(15), position in 0usize..16, step in 0u8..9
    ) {
        let valid = format!("{body}{}", luhn_check_digit(&body).expect("digits"));
        prop_assert!(luhn_is_valid(&valid));
        prop_assert!(!luhn_is_valid(&change_digit(&valid, position, step)));
    }

    #[test]
    fn labelled_inn_is_found_with_its_check_result(body in digits(9), step in 0u8..9) {
        let valid = inn10(&body);
        let invalid = change_digit(&valid, 9, step);
        let found = find(&format!("ИНН {valid}; ИНН {invalid}"));
        prop_assert_eq!(found.len(), 2);
        prop_assert_eq!(found[0].checksum, Some(dossier_patterns::Checksum::Valid));
        prop_assert_eq!(found[1].checksum, Some(dossier_patterns::Checksum::Invalid));
    }

    #[test]
    fn matches_never_overlap_and_their_offsets_name_their_text(text in "[ 0-9а-яА-ЯіїєA-Za-z.,:;/()+№$€%\u{a0}\u{202f}\n-]{0,200}") {
        let mut previous_end = 0;
        for found in find(&text) {
            prop_assert!(found.start < found.end && found.start >= previous_end);
            prop_assert!(text.is_char_boundary(found.byte_start) && text.is_char_boundary(found.byte_end));
            prop_assert_eq!(&text[found.byte_start..found.byte_end], found.text.as_str());
            let by_chars: String = text.chars().skip(found.start).take(found.end - found.start).collect();
            prop_assert_eq!(by_chars, found.text.clone());
            previous_end = found.end;
        }
    }
}
