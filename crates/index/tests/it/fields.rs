//! Field filters: title, author, mail addresses, type, language, collection, path, extension, dates.

use crate::check;

#[test]
fn metadata_fields() {
    check(&[
        ("title:отчёт", &[1]),
        ("title:report", &[3]),
        ("author:кривенко", &[1]),
        ("author:\"Кривенко Олег\"", &[1]),
        ("from:kryvenko", &[3]),
        ("from:mil.example.org", &[3]),
        ("to:analyst", &[3]),
        ("to:kryvenko", &[]),
    ]);
}

#[test]
fn keyword_fields() {
    check(&[
        ("type:pdf", &[2]),
        ("type:application/pdf", &[2]),
        ("type:mail", &[3]),
        ("type:excel", &[4]),
        ("lang:uk", &[2]),
        ("lang:ru", &[1, 4, 5]),
        ("lang:en", &[3]),
        ("collection:mail", &[3]),
        ("ext:docx", &[1]),
        ("ext:.PDF", &[2]),
        ("path:letters", &[1, 2]),
        ("path:ёлка", &[5]),
        ("кривенко type:pdf", &[2]),
    ]);
}

#[test]
fn date_ranges() {
    check(&[
        ("date:2023-10-01..2023-10-31", &[1]),
        ("date:2023-10", &[1]),
        ("date:2023", &[1, 2]),
        ("date:2023-11-20", &[2]),
        ("date:2024-01-15", &[3]),
        ("date:..2023-12-31", &[1, 2]),
        ("date:2024..", &[3]),
        ("date:2022", &[]),
    ]);
}

#[test]
fn what_the_analysis_found_is_searched_by_its_kind() {
    check(&[
        ("person:kryvenko", &[3]),
        ("person:кривенко", &[5]),
        ("person:\"Кривенко Олег\"", &[5]),
        ("org:министерство", &[5]),
        ("loc:ростов-на-дону", &[4]),
        ("loc:краснодар", &[4]),
        ("inn:7707083893", &[4]),
        ("inn:7707083894", &[]),
        ("phone:380441234567", &[3]),
        ("email:o.kryvenko@mil.example.org", &[3]),
        // The text's own words are not names the analysis found.
        ("person:ёлка", &[]),
        ("loc:министерство", &[]),
    ]);
}
