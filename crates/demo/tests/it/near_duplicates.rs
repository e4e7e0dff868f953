//! The material the story promises to investigators: a near-identical pair of letters, one letter whose file
//! properties contradict its text, and the same bytes reaching the collection by several routes.

use crate::support::{Collection, docx_text, member, word_edit_count, xml_text, zip_members};

const ADVANCE_REQUEST: &str = "letters/Исх_14-07-2298_Минфин_аванс.docx";
const ADVANCE_REQUEST_COPY: &str = "from_accountant/копия_письма_в_минфин_v2.docx";
const CONTRACT_AWARD: &str = "letters/Исх_14-07-2231_Мостострой.docx";

#[test]
fn near_identical_pair_differs_in_a_few_words() {
    let collection = Collection::generate();
    let original = docx_text(&collection.read(ADVANCE_REQUEST));
    let copy = docx_text(&collection.read(ADVANCE_REQUEST_COPY));
    let n_edits = word_edit_count(&original, &copy);
    assert!((1..=10).contains(&n_edits), "{n_edits} words differ");
    assert!(original.split_whitespace().count() > 80, "the pair is a real letter, not a stub");
}

#[test]
fn other_letters_are_not_near_duplicates() {
    let collection = Collection::generate();
    let letters: Vec<(String, String)> = collection
        .with_extension("docx")
        .iter()
        .map(|path| (collection.relative(path), docx_text(&std::fs::read(path).expect("written"))))
        .collect();
    for (index, (name_a, text_a)) in letters.iter().enumerate() {
        for (name_b, text_b) in &letters[index + 1..] {
            let is_the_pair = [name_a.as_str(), name_b.as_str()] == [ADVANCE_REQUEST, ADVANCE_REQUEST_COPY]
                || [name_b.as_str(), name_a.as_str()] == [ADVANCE_REQUEST, ADVANCE_REQUEST_COPY];
            if !is_the_pair {
                let n_edits = word_edit_count(text_a, text_b);
                assert!(n_edits > 30, "{name_a} and {name_b} differ in only {n_edits} words");
            }
        }
    }
}

/// The award letter is dated 12.03.2024 in its text, but its core properties say it was created later and last
/// saved by someone other than its author.
#[test]
fn award_letter_properties_contradict_its_text() {
    let collection = Collection::generate();
    let docx = collection.read(CONTRACT_AWARD);
    let text = docx_text(&docx);
    let members = zip_members(&docx).expect("DOCX opens");
    let core = String::from_utf8(member(&members, "docProps/core.xml").to_vec()).expect("UTF-8 XML");

    let date_in_text = text
        .lines()
        .find_map(|line| line.strip_prefix("Исх. ").and_then(|rest| rest.split(" от ").nth(1)))
        .expect("outgoing number line with a date");
    let (day, month, year) = match date_in_text.trim().split('.').collect::<Vec<_>>()[..] {
        [day, month, year] => (day.to_owned(), month.to_owned(), year.to_owned()),
        _ => panic!("date {date_in_text} is DD.MM.YYYY"),
    };
    let text_date_iso = format!("{year}-{month}-{day}");
    let created = element_text(&core, "dcterms:created");
    assert!(created[..10] > *text_date_iso, "created {created}, letter dated {text_date_iso}");
    assert_ne!(element_text(&core, "dc:creator"), element_text(&core, "cp:lastModifiedBy"));
}

#[test]
fn same_letter_bytes_arrive_as_file_and_as_attachments() {
    let collection = Collection::generate();
    let award_letter = collection.read(CONTRACT_AWARD);
    let mut n_copies_in_mail = 0;
    for path in collection.with_extension("eml") {
        let raw = std::fs::read(&path).expect("written");
        let message = mail_parser::MessageParser::default().parse(&raw).expect("mail parses");
        n_copies_in_mail += message.attachments().filter(|part| part.contents() == award_letter.as_slice()).count();
    }
    assert_eq!(n_copies_in_mail, 2, "the award letter is attached to the leak and to the contractor's mail");

    let report = collection.read("reports/Сводка_платежей_2024.xlsx");
    let archive = zip_members(&collection.read("archive/leak_materials_2024-05.zip")).expect("archive opens");
    assert!(archive.iter().any(|member| member.content == report), "the archive holds the report's exact bytes");
}

fn element_text(xml: &str, tag: &str) -> String {
    let start = xml.find(&format!("<{tag}")).unwrap_or_else(|| panic!("<{tag}> present"));
    let element = &xml[start..];
    let end = element.find(&format!("</{tag}>")).unwrap_or_else(|| panic!("</{tag}> present"));
    xml_text(&element.as_bytes()[..end + tag.len() + 3], b"-").expect("element parses")
}
