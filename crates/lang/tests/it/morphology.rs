//! Folding and stemming: the forms of one word share a stem in each language, and a query word's stems cover the
//! stem its document indexed.

use dossier_lang::{Lang, fold, query_stems, stem};

/// Every word of `forms` has the same stem in `lang`.
fn check_same_stem(lang: Lang, forms: &[&str]) {
    let stems: Vec<String> = forms.iter().map(|form| stem(Some(lang), &fold(form))).collect();
    assert!(stems.iter().all(|stem| *stem == stems[0]), "{lang:?}: {forms:?} → {stems:?}");
}

#[test]
fn russian_forms_share_a_stem() {
    check_same_stem(Lang::Russian, &["министерство", "министерства", "министерству", "министерством", "министерстве"]);
    check_same_stem(Lang::Russian, &["договор", "договора", "договору", "договором", "договоре"]);
    check_same_stem(Lang::Russian, &["Ёлка", "елки", "ёлке"]);
}

#[test]
fn ukrainian_forms_share_a_stem() {
    check_same_stem(Lang::Ukrainian, &["міністерство", "міністерства", "міністерству", "міністерством"]);
    check_same_stem(Lang::Ukrainian, &["закон", "закону", "законом", "законі"]);
    check_same_stem(Lang::Ukrainian, &["компанія", "компанії", "компанію"]);
}

#[test]
fn english_forms_share_a_stem() {
    check_same_stem(Lang::English, &["connection", "connections", "connected", "connecting"]);
    check_same_stem(Lang::English, &["Ministry", "ministries"]);
}

#[test]
fn yo_folds_to_ye() {
    assert_eq!(fold("ёлка"), fold("елка"));
    assert_eq!(fold("ЁЛКА"), "елка");
    assert_eq!(stem(Some(Lang::Russian), &fold("ёлка")), stem(Some(Lang::Russian), "елка"));
}

#[test]
fn apostrophes_fold_to_one() {
    for spelling in ["м'ясо", "м’ясо", "мʼясо", "м‘ясо", "м`ясо", "М′ЯСО"] {
        assert_eq!(fold(spelling), "м'ясо", "{spelling}");
    }
}

#[test]
fn query_stems_contain_what_each_language_indexes() {
    for word in ["министерства", "міністерства", "компанії", "беларусі", "ёлки"]
    {
        let folded = fold(word);
        let stems = query_stems(&folded);
        for lang in [Lang::Russian, Lang::Ukrainian, Lang::Belarusian] {
            assert!(stems.contains(&stem(Some(lang), &folded)), "{word}: {lang:?} stem missing from {stems:?}");
        }
        let mut unique = stems.clone();
        unique.dedup();
        assert_eq!(unique.len(), stems.len(), "{stems:?} has duplicates");
    }
    assert_eq!(query_stems("running"), vec![stem(Some(Lang::English), "running")]);
    assert_eq!(query_stems("1991"), vec!["1991".to_string()]);
}
