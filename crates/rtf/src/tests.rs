//! Unit tests of the parser through `rtf_to_text`: one small RTF string per feature.

use super::*;

fn text(rtf: &str) -> String {
    rtf_to_text(rtf.as_bytes(), 1 << 20).text
}

fn check(rtf: &str, expected: &str) {
    let result = rtf_to_text(rtf.as_bytes(), 1 << 20);
    assert_eq!(result.text, expected, "for {rtf}");
    assert!(result.diagnostics.is_empty(), "diagnostics {:?} for {rtf}", result.diagnostics);
}

#[test]
fn document_codepage_decodes_hex_escapes() {
    check(r"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}", "Привет");
}

#[test]
fn font_charset_overrides_the_document_codepage() {
    check(
        r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset204 Arial Cyr;}{\f2\fcharset161 Greek;}}\f0 caf\'e9 {\f1 \'e4\'e0} {\f2 \'e2}}",
        "café да β",
    );
}

#[test]
fn cpg_on_a_font_sets_its_codepage() {
    check(r"{\rtf1\ansi{\fonttbl{\f0\cpg1251 X;}}\f0 \'e4\'e0}", "да");
}

#[test]
fn double_byte_characters_span_two_escapes() {
    check(r"{\rtf1\ansi{\fonttbl{\f0\fcharset128 MS Mincho;}}\f0 \'82\'a0\'82\'a2}", "あい");
}

#[test]
fn unicode_escapes_skip_their_fallback() {
    check(r"{\rtf1\uc1 \u1044\'3f\u1072?}", "Да");
    check(r"{\rtf1\uc2 \u1044\'3f\'3f\u1072 abcd}", "Даcd");
    check(r"{\rtf1\uc0 \u1044\u1072 b}", "Даb");
    check(r"{\rtf1 \u-3913 ?}", "•");
}

#[test]
fn fallback_skipping_ends_with_the_group() {
    check(r"{\rtf1\uc3 {\u1044}x}", "Дx");
}

#[test]
fn surrogate_pairs_combine() {
    check(r"{\rtf1\uc1 \u-10179?\u-8704?}", "😀");
}

#[test]
fn special_characters_and_breaks() {
    check(
        r"{\rtf1 a\tab b\par c\line d\emdash e\endash f\lquote g\rquote\ldblquote h\rdblquote\bullet\~i\-j\_k\page l}",
        "a\tb\nc\nd—e–f‘g’“h”•\u{a0}ij-k\u{c}l",
    );
    check(r"{\rtf1 \{x\}\\}", "{x}\\");
}

#[test]
fn skipped_destinations_leave_no_text() {
    check(
        r"{\rtf1{\fonttbl{\f0 Times;}}{\colortbl;\red0;}{\stylesheet{\s0 Normal;}}{\*\unknown hidden}{\pict 0102}body}",
        "body",
    );
}

#[test]
fn fields_give_their_result_not_their_instruction() {
    check(r#"{\rtf1 see {\field{\*\fldinst HYPERLINK "http://x"}{\fldrslt link}} now}"#, "see link <http://x> now");
    check(r#"{\rtf1 see {\field{\*\fldinst {HYPERLINK \\l "_Toc1"}}{\fldrslt {part 1}}} now}"#, "see part 1 now");
    check(r#"{\rtf1 page {\field{\*\fldinst PAGE}{\fldrslt 3}}}"#, "page 3");
}

#[test]
fn bin_skips_exactly_its_bytes() {
    check("{\\rtf1 a\\bin3 }}{b}", "ab");
}

#[test]
fn info_fields_become_metadata() {
    let result = rtf_to_text(
        r"{\rtf1\ansicpg1251{\info{\title \'cf\'eb\'e0\'ed}{\author Ivanov}{\operator Petrov}{\*\company ACME}{\keywords a; b}{\creatim\yr2020\mo2\dy3\hr4\min5}{\revtim\yr0\mo0\dy0}{\version3}{\edmins42}{\nofpages2}}text}"
            .as_bytes(),
        1000,
    );
    assert_eq!(result.text, "text");
    let get = |key: &str| result.metadata.get_str(key);
    assert_eq!(get("title").as_deref(), Some("План"));
    assert_eq!(get("author").as_deref(), Some("Ivanov"));
    assert_eq!(get("last_modified_by").as_deref(), Some("Petrov"));
    assert_eq!(get("company").as_deref(), Some("ACME"));
    assert_eq!(get("keywords").as_deref(), Some("a; b"));
    assert_eq!(get("created").as_deref(), Some("2020-02-03T04:05:00"));
    assert_eq!(get("modified"), None);
    assert_eq!(get("revision").as_deref(), Some("3"));
    assert_eq!(get("total_edit_time").as_deref(), Some("42"));
    assert_eq!(get("pages").as_deref(), Some("2"));
}

#[test]
fn truncated_input_keeps_what_was_read() {
    let result = rtf_to_text(br"{\rtf1 {\b bold} and mo", 1000);
    assert_eq!(result.text, "bold and mo");
    assert_eq!(result.diagnostics, vec!["truncated: the file ends inside 1 unclosed group(s)".to_string()]);
}

#[test]
fn a_million_open_braces_do_not_overflow_the_stack() {
    let mut rtf = b"{\\rtf1 a".to_vec();
    rtf.extend(std::iter::repeat_n(b'{', 1_000_000));
    rtf.extend_from_slice(b"deep");
    rtf.extend(std::iter::repeat_n(b'}', 1_000_000));
    rtf.extend_from_slice(b"b}");
    let result = rtf_to_text(&rtf, 1000);
    assert_eq!(result.text, "adeepb");
    assert_eq!(result.diagnostics, vec!["groups nested deeper than 512 were read flat".to_string()]);
}

#[test]
fn a_stray_closing_brace_does_not_end_the_document() {
    let result = rtf_to_text(br"{\rtf1 one} two}", 1000);
    assert_eq!(result.text, "one two");
    assert_eq!(result.diagnostics.len(), 1);
}

#[test]
fn not_rtf_is_said() {
    let result = rtf_to_text(b"hello", 1000);
    assert_eq!(result.text, "");
    assert_eq!(result.diagnostics.len(), 1);
}

#[test]
fn text_limit_cuts_and_says_so() {
    let result = rtf_to_text(br"{\rtf1 abcdef}", 3);
    assert_eq!(result.text, "abc");
    assert_eq!(result.diagnostics.len(), 1);
}

#[test]
fn header_and_footer_text_is_kept_on_its_own_lines_and_notes_go_last() {
    assert_eq!(
        text(r"{\rtf1{\header Head}Body{\footnote Note} more{\footer Foot}{\*\annotation Comment}}"),
        "Head\nBody more\nFoot\n\nNote\nComment\n"
    );
}

#[test]
fn symbol_font_bytes_become_symbols() {
    check(r"{\rtf1{\fonttbl{\f1\fcharset2 Symbol;}}{\f1 \'b7}x}", "•x");
}

#[test]
fn the_unicode_copy_of_an_info_field_wins() {
    let result = rtf_to_text(r"{\rtf1{\info{\upr{\title ??}{\*\ud{\title \u1044?\u1072?}}}}x}".as_bytes(), 100);
    assert_eq!(result.metadata.get_str("title").as_deref(), Some("Да"));
}
