//! The worked examples of each official definition, and real published numbers, validate; a changed digit does not.

use super::*;

#[test]
fn inn_of_sberbank_and_of_a_person_validate_and_a_changed_digit_does_not() {
    assert!(inn_is_valid("7707083893"));
    assert!(!inn_is_valid("7707083894"));
    assert!(inn_is_valid("500100732259"));
    assert!(!inn_is_valid("500100732258"));
    assert!(!inn_is_valid("77070838"));
}

#[test]
fn ogrn_and_ogrnip_validate_including_ogrnip_remainders_above_nine() {
    assert!(ogrn_is_valid("1027700132195"));
    assert!(ogrn_is_valid("1037739010891"));
    assert!(!ogrn_is_valid("1027700132194"));
    assert!(ogrnip_is_valid("304500116000157"));
    assert!(!ogrnip_is_valid("304500116000158"));
    // 30450011600018 mod 13 = 10 and …19 mod 13 = 11: check digits 0 and 1, which python-stdnum rejects.
    assert_eq!(remainder("30450011600018", 13), Some(10));
    assert!(ogrnip_is_valid("304500116000180"));
    assert!(ogrnip_is_valid("304500116000191"));
    assert!(!ogrnip_is_valid("304500116000181"));
}

#[test]
fn snils_example_of_the_pension_fund_rules_validates_and_small_numbers_are_unchecked() {
    assert_eq!(snils_is_valid("11223344595"), Some(true));
    assert_eq!(snils_is_valid("11223344596"), Some(false));
    assert_eq!(snils_is_valid("00100199800"), None);
    // Weighted sums of exactly 100 and 101 both give 00.
    assert_eq!(snils_check_number("001019989"), Some(0));
    assert_eq!(snils_check_number("001019998"), Some(0));
    assert_eq!(snils_is_valid("00101998900"), Some(true));
}

#[test]
fn edrpou_uses_the_shifted_weights_between_30_and_60_million() {
    assert!(edrpou_is_valid("32855961"));
    assert!(!edrpou_is_valid("32855968"));
    assert!(edrpou_is_valid("00032112"));
    assert!(!edrpou_is_valid("00032113"));
    for valid in ["23226362", "23246880", "25083040", "00032129", "14360570"] {
        assert!(edrpou_is_valid(valid), "{valid}");
    }
}

#[test]
fn rnokpp_with_its_negative_first_weight_validates() {
    assert!(rnokpp_is_valid("1759013776"));
    assert!(!rnokpp_is_valid("1759013770"));
}

#[test]
fn iban_examples_validate_and_a_swapped_pair_does_not() {
    assert!(iban_is_valid("DE89370400440532013000"));
    assert!(iban_is_valid("GB82WEST12345698765432"));
    assert!(!iban_is_valid("GB82WEST12345698765423"));
    assert_eq!(iban_check_digits("DE", "370400440532013000").as_deref(), Some("89"));
    assert!(!iban_is_valid("de89370400440532013000"));
}

#[test]
fn luhn_accepts_test_card_numbers() {
    assert!(luhn_is_valid("4111111111111111"));
    assert!(luhn_is_valid("79927398713"));
    assert!(!luhn_is_valid("79927398710"));
}

#[test]
fn bank_accounts_of_the_bank_of_russia_worked_examples_validate() {
    assert!(bank_account_is_valid("049805746", "40602810700000000025"));
    assert!(!bank_account_is_valid("049805746", "40602810600000000025"));
    assert!(bank_account_is_valid("049805000", "30101810800000000746"));
    assert!(bank_account_is_valid("040305000", "40102810100000010001"));
    assert!(bank_account_is_valid("044525225", "30101810400000000225"));
}

#[test]
fn kpp_form_allows_letters_only_in_the_reason_code() {
    assert!(kpp_is_well_formed("770701001"));
    assert!(kpp_is_well_formed("7707AB001"));
    assert!(!kpp_is_well_formed("77070100"));
    assert!(!kpp_is_well_formed("AB0701001"));
}
