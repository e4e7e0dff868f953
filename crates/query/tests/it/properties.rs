//! Properties over random input: the parser never panics, errors point inside the input (or just after it),
//! and a parsed query's description is stable.

use dossier_query::{MAX_NESTING, ParseOptions, Query, parse, render};
use proptest::prelude::*;

/// Random queries made mostly of the characters the syntax gives a meaning to, so that the interesting paths run.
fn query_like() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("AND ".to_string()),
        Just("OR ".to_string()),
        Just("NOT ".to_string()),
        Just("title:".to_string()),
        Just("date:".to_string()),
        Just("translit:".to_string()),
        Just("foo:".to_string()),
        Just("..".to_string()),
        "[0-9]{1,4}",
        "[-+!()\"*~:&|\\\\ .<>=/]",
        "[a-zа-яіїєґ]{1,5}",
    ];
    prop::collection::vec(pieces, 0..24).prop_map(|pieces| pieces.concat())
}

/// Random queries that are valid by construction: every one must parse, and round-trip through `render`.
fn valid_query() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-zа-яіїєґ][a-zа-яіїєґ0-9-]{0,6}",
        "[a-zа-я]{1,6}\\*",
        "[a-zа-я]{2,6}~[12]?",
        "\"[a-zа-я ]{0,12}[a-zа-я]\"(~[0-9])?",
        "(title|author|from|to|type|lang|collection|path|ext|TITLE):[a-zа-я@./]{1,8}",
        "date:(20[0-2][0-9](-0[1-9](-[0-2][1-8])?)?)",
        "date:(>=|>|<=|<)?20[0-2][0-9]",
        "date:20[01][0-9]\\.\\.(20[2-9][0-9])?",
        "translit:[а-я]{1,6}",
        "[a-z]{1,3}\\\\[-:()*~][a-z]{0,3}",
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|clauses| clauses.join(" ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|clauses| clauses.join(" OR ")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|clauses| clauses.join(" && ")),
            inner.clone().prop_map(|query| format!("({query})")),
            inner.clone().prop_map(|query| format!("-({query})")),
            inner.clone().prop_map(|query| format!("NOT ({query})")),
            inner.prop_map(|query| format!("title:({query})")),
        ]
    })
}

fn check_never_panics(input: &str) {
    for options in [ParseOptions::default(), ParseOptions { translit: true }] {
        match parse(input, &options) {
            Ok(tree) => {
                let rendered = render(&tree);
                assert_eq!(
                    parse(&rendered, &ParseOptions::default()).as_ref(),
                    Ok(&tree),
                    "{input:?} rendered as {rendered:?}"
                );
            }
            Err(error) => {
                assert!(
                    error.position <= input.chars().count(),
                    "error position {} past the end of {input:?}: {}",
                    error.position,
                    error.message
                );
                assert!(!error.message.is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn query_like_input_parses_or_points_inside(input in query_like()) {
        check_never_panics(&input);
    }

    #[test]
    fn valid_queries_parse_and_round_trip(input in valid_query()) {
        let tree = parse(&input, &ParseOptions::default());
        prop_assert!(tree.is_ok(), "{input:?}: {tree:?}");
        check_never_panics(&input);
    }

    #[test]
    fn any_string_parses_or_points_inside(input in any::<String>()) {
        check_never_panics(&input);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let input = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
    let error = parse(&input, &ParseOptions::default()).expect_err("too deep");
    assert_eq!(error.position, MAX_NESTING);
    let allowed = format!("{}a{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert!(parse(&allowed, &ParseOptions::default()).is_ok());
}

#[test]
fn long_operator_chains_do_not_recurse() {
    let input = format!("{}a", "NOT ".repeat(100_001));
    let query = parse(&input, &ParseOptions::default()).expect("parses");
    assert!(matches!(query, Query::AndNot { .. }));
    let input = format!("{}a", "-".repeat(100_000));
    assert!(matches!(parse(&input, &ParseOptions::default()), Ok(Query::Word { .. })));
}

#[test]
fn long_flat_queries_parse() {
    let input = "слово OR ".repeat(50_000) + "конец";
    let Ok(Query::Or(alternatives)) = parse(&input, &ParseOptions::default()) else { panic!("not an OR") };
    assert_eq!(alternatives.len(), 50_001);
}
