//! Member names stored as bytes of an undeclared code page come out as the words they were, decided over all the
//! names of an archive (fixtures from `examples/archive_make_fixtures.rs`).

use dossier_document::{Limits, Options, ReadFn};

use crate::{fixture, read_with};

/// The archive's listing of names (the children's names and the links' lines) and its `name_charset` metadata.
fn names_of(read: ReadFn, relative: &str) -> (Vec<String>, Option<String>) {
    let (result, children) = read_with(read, &fixture(relative), &Limits::default(), &Options::default());
    let extraction = result.expect("the fixture reads");
    let mut names: Vec<String> = children.into_iter().map(|child| child.meta.name).collect();
    names.extend(extraction.text.lines().filter(|line| line.contains(" -> ")).map(str::to_string));
    (names, extraction.metadata.get_str("name_charset"))
}

#[test]
fn zip_member_names_in_cp866_without_the_utf8_flag_are_not_read_as_cp437() {
    // Before: "ⁿ1.txt", "Ç¬Γ ⁿ1.txt", "ƒ.doc" (each name judged alone, the short ones fell back to CP437).
    let (names, charset) = names_of(dossier_archive::read_zip, "zip/0003_cp866_names.zip");
    let expected = ["Отчёт за 2015 год.txt", "Бухгалтерия/Счета.txt", "№1.txt", "Акт №1.txt", "Я.doc", "Звіт.txt"];
    assert_eq!(names, expected);
    assert_eq!(charset.as_deref(), Some("IBM866"));
}

#[test]
fn zip_member_names_in_cp1251_are_recognised() {
    let (names, charset) = names_of(dossier_archive::read_zip, "zip/0012_cp1251_names.zip");
    assert_eq!(names, ["Договір поставки.xlsx", "Приказ №1.txt", "Їжачок і єнот.doc"]);
    assert_eq!(charset.as_deref(), Some("windows-1251"));
}

#[test]
fn zip_member_names_in_cp437_are_not_taken_for_cp866() {
    // Before: "RВsumВ.doc" (0x82 is "é" in IBM437 and "В" in IBM866).
    let (names, charset) = names_of(dossier_archive::read_zip, "zip/0013_cp437_names.zip");
    assert_eq!(names, ["café.txt", "Résumé.doc", "Überblick.xls"]);
    assert_eq!(charset.as_deref(), Some("IBM437"));
}

#[test]
fn zip_unicode_path_field_wins_over_the_stored_name() {
    let (names, charset) = names_of(dossier_archive::read_zip, "zip/0014_unicode_path_field.zip");
    assert_eq!(names, ["Отчёт (Unicode).txt"]);
    assert_eq!(charset, None);
}

#[test]
fn tar_member_names_in_koi8_r_are_decoded_and_pax_names_stay_utf8() {
    // Before: "пФЮЈФ.txt", "ВХИЗБМФЕТЙС/уНЕФБ 2015.txt", "\u{FFFD}.txt" (read as windows-1251, or lossily).
    let (names, charset) = names_of(dossier_archive::read_tar, "tar/0005_koi8_r_names.tar");
    let expected =
        ["Отчёт.txt", "бухгалтерия/Смета 2015.txt", "Я.txt", "Звіт (PAX).txt", "ссылка -> Отчёт.txt  (symbolic link)"];
    assert_eq!(names, expected);
    assert_eq!(charset.as_deref(), Some("KOI8-R"));
}

/// RAR 2.9/4 names without the Unicode flag are OEM bytes; lsar spells them as ISO-8859-1 (`\u{8F}\u{E0}...`).
#[test]
fn rar_member_names_in_cp866_are_decoded() {
    if !crate::rar::unar_installed() {
        panic!("unar is not installed: run `cargo xtask setup`");
    }
    let (names, charset) = names_of(dossier_archive::read_rar, "rar/0009_cp866_names.rar");
    assert_eq!(names, ["Бухгалтерия/Отчёт за 2015 год.txt", "Приказ №1.txt"]);
    assert_eq!(charset.as_deref(), Some("IBM866"));
}
