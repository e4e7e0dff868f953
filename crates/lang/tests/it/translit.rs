//! Transliteration of names between Cyrillic and Latin.

use dossier_lang::translit::{MAX_VARIANTS, variants};

/// `variants(word)` contains every spelling in `expected`.
fn check(word: &str, expected: &[&str]) {
    let found = variants(word);
    for spelling in expected {
        assert!(found.iter().any(|variant| variant == spelling), "variants({word:?}) lacks {spelling:?}: {found:?}");
    }
    assert!(found.len() <= MAX_VARIANTS);
    let mut unique = found.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), found.len(), "duplicates in {found:?}");
}

#[test]
fn cyrillic_to_latin() {
    check("Кривенко", &["кривенко", "krivenko", "kryvenko"]);
    check("Щербаков", &["shcherbakov", "shherbakov"]);
    check("Юлія", &["yuliia", "iuliia"]);
    check("Харків", &["kharkiv"]);
    check("Київ", &["kyiv", "kiiv"]);
    check("Львів", &["lviv"]);
    check("Хрущёв", &["khrushchev", "xrushhyov"]);
    check("Житомир", &["zhytomyr", "zhitomir"]);
    check("Згурський", &["zghurskyi"]);
    check("Євген", &["yevhen"]);
    check("Яковлев", &["yakovlev", "iakovlev"]);
    check("Соловьёв", &["solovev", "solovyev", "solovyov"]);
    check("Цибулько", &["tsybulko", "cibulko"]);
    check("Їжакевич", &["yizhakevych"]);
    check("Елена", &["elena", "yelena"]);
}

#[test]
fn latin_to_cyrillic() {
    check("Kryvenko", &["кривенко"]);
    check("Krivenko", &["кривенко"]);
    check("Shcherbakov", &["щербаков"]);
    check("Zhytomyr", &["житомир"]);
    check("Kharkiv", &["харків", "харкив"]);
    check("Kyiv", &["київ"]);
    check("Lviv", &["львів"]);
    check("Khrushchev", &["хрущев"]);
    check("Yuliia", &["юлія", "юлия"]);
    check("Tsoi", &["цой"]);
    check("Zghurskyi", &["згурський"]);
    check("Olga", &["ольга"]);
    check("Nikolay", &["николай"]);
}

#[test]
fn every_variant_is_folded() {
    for word in ["ЩЕРБАКОВ", "Shcherbakov", "Юлія", "O'Brien"] {
        for variant in variants(word) {
            assert_eq!(dossier_lang::fold(&variant), variant);
        }
    }
}

#[test]
fn words_that_are_not_names_come_back_alone() {
    assert_eq!(variants("2020"), ["2020"]);
    assert_eq!(variants("東京"), ["東京"]);
    assert_eq!(variants("Mиша")[0], "mиша");
}

#[test]
fn long_latin_words_are_bounded() {
    let word = "ya".repeat(30);
    assert!(variants(&word).len() <= MAX_VARIANTS);
    let found = variants(&"iyeiyeiye".repeat(4));
    assert!(found.len() <= MAX_VARIANTS);
}
