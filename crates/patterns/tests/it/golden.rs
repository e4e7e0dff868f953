//! Golden cases (`test_data/<kind>.cases`, format in `test_data/README.md`): one `#[test]` per case, named after
//! what the case proves, and a test per file that no case lacks its `#[test]`, which also rewrites the expected
//! lines when `DOSSIER_UPDATE_GOLDEN=1`.

use std::fmt::Write as _;
use std::path::PathBuf;

use dossier_patterns::{Checksum, Detail, Match, find, parse_amount, parse_date, parse_number};

struct Case {
    name: String,
    input: String,
    expected: String,
}

fn path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(file)
}

fn read_cases(file: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path(file)).expect("golden file is readable");
    let mut cases = Vec::new();
    for block in text.split("## ").skip(1) {
        let (name, rest) = block.split_once('\n').expect("a case name line");
        let (input, expected) = rest.split_once("\n--\n").or_else(|| rest.split_once("\n--")).expect("a -- line");
        cases.push(Case {
            name: name.trim().to_string(),
            input: input.to_string(),
            expected: expected.trim().to_string(),
        });
    }
    cases
}

fn checksum_name(checksum: Option<Checksum>) -> &'static str {
    match checksum {
        Some(Checksum::Valid) => "valid",
        Some(Checksum::Invalid) => "invalid",
        None => "-",
    }
}

/// One line per match: kind, value, checksum, the text as written, the label and the detail that matters.
fn dump_match(found: &Match) -> String {
    let mut line =
        format!("{} {} {} «{}»", found.kind.as_str(), found.value, checksum_name(found.checksum), found.text);
    if let Some(label) = &found.label {
        let _ = write!(line, " label={label}");
    }
    match &found.detail {
        Detail::Date(date) => {
            if let Some(weekday) = date.weekday {
                let _ = write!(line, " weekday={}", format!("{weekday:?}").to_lowercase());
            }
        }
        Detail::Document { direction, date } => {
            if let Some(direction) = direction {
                let _ = write!(line, " direction={}", format!("{direction:?}").to_lowercase());
            }
            if let Some(date) = date {
                let _ = write!(line, " date={}", date.iso());
            }
        }
        _ => {}
    }
    line
}

fn dump_find(input: &str) -> String {
    let matches = find(input);
    for found in &matches {
        // Every golden case also checks the offsets: the char span and the byte span name the same text.
        let by_chars: String = input.chars().skip(found.start).take(found.end - found.start).collect();
        assert_eq!(by_chars, found.text, "char offsets of {found:?}");
        assert_eq!(&input[found.byte_start..found.byte_end], found.text, "byte offsets of {found:?}");
    }
    matches.iter().map(dump_match).collect::<Vec<_>>().join("\n")
}

/// `number: …`, `amount: …` or `date: …`: the typed parser's reading.
fn dump_parse(input: &str) -> String {
    let (parser, argument) = input.split_once(": ").expect("parser: input");
    match parser {
        "number" => parse_number(argument).map_or("none".to_string(), |number| number.to_string()),
        "amount" => match parse_amount(argument) {
            None => "none".to_string(),
            Some(amount) => {
                let mut out = amount.value.map_or("none".to_string(), |value| value.to_string());
                if let Some(currency) = amount.currency {
                    let _ = write!(out, " {currency}");
                }
                if let Some(power) = amount.multiplier {
                    let _ = write!(out, " multiplier={power}");
                }
                out
            }
        },
        "date" => match parse_date(argument) {
            None => "none".to_string(),
            Some(date) => {
                let mut out = date.iso();
                if let Some(weekday) = date.weekday {
                    let _ = write!(out, " weekday={}", format!("{weekday:?}").to_lowercase());
                    let actual =
                        date.weekday_of_date().map_or("none".to_string(), |day| format!("{day:?}").to_lowercase());
                    let _ = write!(out, " actual={actual}");
                }
                out
            }
        },
        other => panic!("unknown parser {other}"),
    }
}

fn dumper(file: &str) -> fn(&str) -> String {
    if file == "parse.cases" { dump_parse } else { dump_find }
}

/// Checks one named case of a golden file.
fn check(file: &str, name: &str) {
    let cases = read_cases(file);
    let case = cases.iter().find(|case| case.name == name).unwrap_or_else(|| panic!("no case {name} in {file}"));
    let actual = dumper(file)(&case.input);
    assert_eq!(actual.trim(), case.expected, "{file} / {name}\ninput: {}", case.input);
}

/// Every case of `file` is among `names`; with `DOSSIER_UPDATE_GOLDEN=1`, rewrites the expected lines.
fn check_file_is_covered(file: &str, names: &[&str]) {
    let cases = read_cases(file);
    assert!(!cases.is_empty(), "no cases in {file}");
    let missing: Vec<&str> = cases.iter().map(|case| case.name.as_str()).filter(|name| !names.contains(name)).collect();
    assert!(missing.is_empty(), "cases of {file} without a #[test]: {missing:?}");
    if std::env::var_os("DOSSIER_UPDATE_GOLDEN").is_some() {
        let mut out = String::new();
        for case in &cases {
            let actual = dumper(file)(&case.input);
            let _ = write!(out, "## {}\n{}\n--\n", case.name, case.input);
            if !actual.trim().is_empty() {
                let _ = writeln!(out, "{}", actual.trim());
            }
            out.push('\n');
        }
        std::fs::write(path(file), out.trim_end().to_string() + "\n").expect("golden file is writable");
    }
}

macro_rules! cases {
    ($covered:ident, $file:literal: $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check($file, stringify!($name));
            }
        )*

        #[test]
        fn $covered() {
            check_file_is_covered($file, &[$(stringify!($name)),*]);
        }
    };
}

mod inn {
    use super::*;
    cases!(every_inn_case_has_a_test, "inn.cases":
        inn_10_after_its_label_with_a_valid_check_digit_is_valid,
        inn_10_after_its_label_with_a_wrong_check_digit_is_reported_invalid,
        bare_10_digits_with_a_wrong_inn_check_digit_are_not_an_inn,
        bare_10_digits_are_not_called_an_inn_even_with_a_valid_check_digit,
        inn_12_of_a_person_validates_both_check_digits,
        inn_12_with_a_wrong_last_digit_is_invalid,
        bare_12_digit_inn_with_valid_check_digits_stands_on_its_form,
        bare_12_digits_with_wrong_check_digits_are_nothing,
        inn_of_a_wrong_length_after_its_label_is_invalid,
        inn_slash_kpp_gives_both_numbers,
        inn_label_reaches_past_a_filler_word_and_a_line_break,
        inn_digits_glued_to_letters_are_not_read,
    );
}

mod ogrn {
    use super::*;
    cases!(every_ogrn_case_has_a_test, "ogrn.cases":
        ogrn_after_its_label_with_a_valid_check_digit_is_valid,
        ogrn_with_a_wrong_check_digit_is_invalid,
        bare_ogrn_of_an_organisation_stands_on_its_form_when_valid,
        bare_13_digits_with_a_wrong_check_digit_are_nothing,
        ogrnip_after_its_label_is_valid,
        ogrnip_with_a_remainder_of_ten_takes_check_digit_zero,
        ogrnip_with_a_remainder_of_eleven_takes_check_digit_one,
        ogrnip_with_a_wrong_check_digit_is_invalid,
        fifteen_digits_after_an_ogrn_label_are_an_ogrnip,
    );
}

mod kpp {
    use super::*;
    cases!(every_kpp_case_has_a_test, "kpp.cases":
        kpp_after_its_label_has_a_valid_form,
        kpp_with_letters_in_the_reason_code_is_well_formed,
        kpp_of_eight_digits_is_reported_malformed,
        bik_after_its_label_has_a_valid_form,
    );
}

mod snils {
    use super::*;
    cases!(every_snils_case_has_a_test, "snils.cases":
        snils_example_of_the_pension_fund_rules_is_valid,
        formatted_snils_with_a_valid_check_number_stands_on_its_form,
        snils_with_a_wrong_check_number_after_its_label_is_invalid,
        formatted_snils_with_a_wrong_check_number_and_no_label_is_nothing,
        snils_sum_of_one_hundred_gives_check_number_00,
        snils_at_or_below_001_001_998_has_no_check,
    );
}

mod edrpou {
    use super::*;
    cases!(every_edrpou_case_has_a_test, "edrpou.cases":
        edrpou_after_its_label_with_a_valid_check_digit_is_valid,
        edrpou_between_30_and_60_million_uses_the_shifted_weights,
        edrpou_with_a_wrong_check_digit_is_invalid,
        edrpou_needing_the_second_pass_of_weights_validates,
        edrpou_written_in_russian_is_read,
        bare_8_digits_are_not_an_edrpou,
    );
}

mod rnokpp {
    use super::*;
    cases!(every_rnokpp_case_has_a_test, "rnokpp.cases":
        rnokpp_after_its_label_is_valid,
        rnokpp_with_a_wrong_check_digit_is_invalid,
        ukrainian_ipn_of_ten_digits_is_an_rnokpp,
        ukrainian_ipn_of_twelve_digits_is_a_vat_number_not_an_rnokpp,
    );
}

mod iban {
    use super::*;
    cases!(every_iban_case_has_a_test, "iban.cases":
        ukrainian_iban_in_groups_of_four_validates,
        iban_in_electronic_form_validates_without_a_label,
        iban_with_a_wrong_digit_in_a_known_country_format_is_invalid,
        iban_with_a_wrong_digit_of_unknown_format_and_no_label_is_nothing,
        british_iban_with_letters_in_the_bban_validates,
        iban_in_running_text_stops_before_the_next_word,
    );
}

mod card {
    use super::*;
    cases!(every_card_case_has_a_test, "card.cases":
        card_number_in_groups_of_four_with_valid_luhn_is_a_card,
        card_number_with_a_wrong_luhn_digit_after_a_label_is_invalid,
        grouped_number_with_a_wrong_luhn_digit_and_no_label_is_nothing,
        mir_card_with_hyphens_is_a_card,
        ungrouped_16_digits_with_valid_luhn_and_a_network_digit_are_a_card,
    );
}

mod bank_account {
    use super::*;
    cases!(every_bank_account_case_has_a_test, "bank_account.cases":
        client_account_of_the_bank_of_russia_example_validates_against_the_bik_in_the_text,
        correspondent_account_uses_the_rkc_number_of_the_bik,
        account_with_a_wrong_key_is_invalid,
        account_without_a_bik_in_the_text_has_no_check,
    );
}

mod phone {
    use super::*;
    cases!(every_phone_case_has_a_test, "phone.cases":
        moscow_number_with_country_code_and_parentheses_is_e164,
        russian_toll_free_number_with_trunk_8_keeps_its_leading_8,
        saint_petersburg_area_code_812_after_plus_7_is_kept_whole,
        kyiv_number_with_country_code_is_e164,
        kyiv_number_with_trunk_0_and_hyphens_is_ukrainian,
        kyiv_number_with_area_code_in_parentheses_is_ukrainian,
        ukrainian_mobile_without_plus_is_e164,
        number_outside_the_plan_after_a_label_is_invalid,
        number_outside_the_plan_without_a_label_is_nothing,
        eleven_digits_without_separators_are_not_a_phone,
        amount_with_spaces_is_not_a_phone,
    );
}

mod contact {
    use super::*;
    cases!(every_contact_case_has_a_test, "contact.cases":
        email_address_is_lowercased,
        email_on_a_cyrillic_domain_is_found,
        at_sign_without_a_domain_is_not_an_email,
        url_loses_sentence_punctuation_and_unbalanced_parenthesis,
        url_starting_with_www_gets_a_scheme,
        digits_inside_a_url_are_not_read_as_numbers,
    );
}

mod document_number {
    use super::*;
    cases!(every_document_number_case_has_a_test, "document_number.cases":
        outgoing_letter_number_with_its_date_after,
        order_number_with_a_letter_suffix,
        ukrainian_outgoing_number,
        incoming_number_without_a_space_after_the_sign,
        english_number_with_no_dot,
        date_before_the_number_is_attached,
        latin_n_after_a_russian_word_is_a_number_sign,
        sign_without_digits_is_not_a_number,
    );
}

mod plate {
    use super::*;
    cases!(every_plate_case_has_a_test, "plate.cases":
        russian_plate_with_two_digit_region,
        russian_plate_with_spaces_and_three_digit_region,
        russian_plate_with_latin_look_alikes_is_read_in_cyrillic,
        ukrainian_plate,
        latin_only_look_alike_is_not_a_plate,
    );
}

mod passport {
    use super::*;
    cases!(every_passport_case_has_a_test, "passport.cases":
        russian_passport_series_and_number_after_seriya,
        russian_passport_as_four_and_six_digits,
        ukrainian_passport_booklet,
        ukrainian_id_card_number,
        passport_like_digits_without_a_label_are_nothing,
    );
}

mod date {
    use super::*;
    cases!(every_date_case_has_a_test, "date.cases":
        russian_date_with_month_name_and_year_word,
        numeric_date_day_first,
        numeric_date_with_two_digit_year,
        two_digit_year_69_and_above_is_in_the_1900s,
        iso_date,
        ukrainian_month_and_year_is_month_precision,
        ukrainian_genitive_month_and_year_is_month_precision,
        ukrainian_full_date_with_year_word,
        english_month_day_comma_year,
        english_day_month_year,
        day_and_month_without_a_year,
        weekday_before_a_date_is_kept_and_a_wrong_one_is_invalid,
        weekday_before_a_date_that_agrees_is_valid,
        weekday_after_a_date_in_parentheses_is_kept,
        thirtieth_of_february_is_a_date_that_does_not_exist,
        slashed_date_with_a_day_above_12_is_read_day_first,
        slashed_date_with_both_parts_12_or_less_is_left_open,
        lower_case_english_may_is_a_verb,
        cyrillic_month_abbreviation_needs_its_full_stop,
        a_decimal_number_is_not_a_date,
        a_version_number_is_not_a_date,
    );
}

mod range_week {
    use super::*;
    cases!(every_range_and_week_case_has_a_test, "range_week.cases":
        week_range_carries_the_year_to_the_first_date,
        range_across_new_year_starts_in_the_previous_year,
        range_of_days_takes_the_month_name_of_the_second,
        ukrainian_range_with_z_po,
        full_dates_with_a_dash_are_a_range,
        backwards_dates_are_two_dates_not_a_range,
        russian_week_number,
        ukrainian_week_number_with_a_year,
        week_word_before_the_number,
        week_54_does_not_exist,
    );
}

mod amount {
    use super::*;
    cases!(every_amount_case_has_a_test, "amount.cases":
        roubles_with_space_thousands_and_comma_decimals,
        no_break_and_narrow_spaces_separate_thousands,
        billion_multiplier_is_applied_exactly,
        thousand_multiplier_with_hryvnias,
        dollar_sign_with_attached_m,
        currency_code_before_with_bn,
        euro_sign_with_million_word,
        dollars_of_the_usa,
        roubles_and_kopecks_add_up,
        accounting_parentheses_with_a_currency_are_negative,
        parentheses_around_an_amount_are_an_aside_not_a_minus,
        unicode_minus_before_a_percentage,
        percent_sign_attached,
        percent_word_in_russian,
        percent_word_in_ukrainian,
        count_of_people_in_russian,
        count_of_people_in_ukrainian,
        multiplied_number_without_currency,
        ambiguous_thousands_or_decimal_is_kept_as_text,
        dot_thousands_and_comma_decimal_are_decided,
        comma_thousands_and_dot_decimal_are_decided,
        bare_number_is_not_reported,
        lone_m_after_a_number_without_currency_is_not_a_multiplier,
        multiplier_glued_to_the_digits_keeps_the_currency_after_its_full_stop,
    );
}

mod parse {
    use super::*;
    cases!(every_parse_case_has_a_test, "parse.cases":
        parse_number_reads_space_thousands_and_comma_decimal,
        parse_number_reads_narrow_no_break_space_thousands,
        parse_number_leaves_one_comma_and_three_digits_open,
        parse_number_reads_a_leading_zero_as_decimal,
        parse_number_reads_accounting_parentheses_as_negative,
        parse_number_reads_unicode_minus,
        parse_number_refuses_trailing_text,
        parse_amount_applies_multiplier_and_currency,
        parse_amount_keeps_an_open_value_as_none,
        parse_amount_reads_a_bare_accounting_negative,
        parse_date_reads_a_written_russian_date,
        parse_date_reads_a_month_precision_ukrainian_date,
        parse_date_keeps_the_weekday,
        parse_date_refuses_trailing_text,
    );
}
