//! Linking the mentions of a collection into entities.
//!
//! Bodies, places and anything else: rows with the same key are one entity. People are reconciled within a surname
//! (the key's skeleton, shared by every case, gender and script of one surname): full first names that differ are
//! different people and are never merged; a name without patronymic, a pair of initials or a bare surname joins a
//! person only when exactly one person of the surname fits it, and otherwise stays an entity of its own whose `why`
//! says what it could be. Every merge is explained in words.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::person::{self, Gender, Identity, PersonName};

/// Mentions of one kind sharing a key and a value, counted over a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub key: String,
    pub value: String,
    pub mentions: u64,
}

/// One entity: the (key, value) pairs it gathers, and why they were gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linked {
    /// A kind letter and 12 hex digits of a hash of what defines the entity (for a person: surname, first name,
    /// patronymic, gender), not of the order of the rows: the same rows give the same ids, and an entity keeps its
    /// id when rows are added unless what defines it changes. ASCII, safe in a URL path segment.
    pub id: String,
    /// The form shown: for people the fullest (a first name and patronymic over initials), else the most frequent
    /// value; the most frequent among equals.
    pub name: String,
    pub members: Vec<(String, String)>,
    pub mentions: u64,
    /// In words, why the members are one entity, and for a person left apart, what it could also be.
    pub why: Vec<String>,
}

/// Gathers `rows` of one kind into entities, in a deterministic order (by key).
pub fn link(kind: &str, rows: &[Named]) -> Vec<Linked> {
    let mut sorted: Vec<&Named> = rows.iter().collect();
    sorted.sort_by(|a, b| (&a.key, &a.value, a.mentions).cmp(&(&b.key, &b.value, b.mentions)));
    if kind == crate::PERSON {
        return link_people(&sorted);
    }
    let mut by_key: BTreeMap<&str, Vec<&Named>> = BTreeMap::new();
    for row in sorted {
        by_key.entry(&row.key).or_default().push(row);
    }
    by_key.into_iter().map(|(key, rows)| same_key(kind, key, &rows)).collect()
}

fn same_key(kind: &str, key: &str, rows: &[&Named]) -> Linked {
    let name = most_frequent(rows.iter().copied()).unwrap_or_default();
    let why = if rows.len() > 1 {
        vec![format!("{} forms with the same words in dictionary form ({key})", rows.len())]
    } else {
        Vec::new()
    };
    Linked {
        id: entity_id(kind, key),
        name,
        members: rows.iter().map(|row| (row.key.clone(), row.value.clone())).collect(),
        mentions: rows.iter().map(|row| row.mentions).sum(),
        why,
    }
}

fn most_frequent<'a>(rows: impl Iterator<Item = &'a Named>) -> Option<String> {
    rows.max_by(|a, b| a.mentions.cmp(&b.mentions).then_with(|| b.value.cmp(&a.value))).map(|row| row.value.clone())
}

/// `p3f9a0c41d2e7`: the kind's first letter and 48 bits of FNV-1a over the kind and what defines the entity.
fn entity_id(kind: &str, anchor: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in kind.bytes().chain([0]).chain(anchor.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let letter = kind.chars().next().filter(char::is_ascii_alphabetic).unwrap_or('x');
    format!("{letter}{:012x}", hash >> 16)
}

struct Row<'a> {
    named: &'a Named,
    /// Why the row was moved to another surname, when it was.
    note: Option<String>,
    name: PersonName,
    identity: Identity,
}

/// A person being gathered.
struct Person {
    anchor: String,
    rows: Vec<usize>,
    why: Vec<String>,
    gender: Option<Gender>,
    given: Option<String>,
    given_initials: Vec<String>,
    patronymic_initial: Option<String>,
    /// How the person is named in `why` (`Игорь Петрович`, `И. П.`).
    label: String,
}

fn link_people(rows: &[&Named]) -> Vec<Linked> {
    // Rows whose key has a surname are reconciled by surname; the others (a first name alone, a value that is not
    // a person's name) by key.
    let mut by_surname: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut by_key: BTreeMap<&str, Vec<&Named>> = BTreeMap::new();
    for named in rows {
        let surname = named.key.split([' ', '/']).next().unwrap_or_default();
        let parsed = if surname.is_empty() || surname == "-" { None } else { person::parse_value(&named.value, true) };
        match parsed {
            Some(mut name) => {
                if named.key.ends_with("/f") {
                    name.gender = Some(Gender::Female);
                }
                let identity = name.identity();
                by_surname.entry(surname.to_string()).or_default().push(Row { named, name, identity, note: None });
            }
            None => by_key.entry(&named.key).or_default().push(named),
        }
    }
    inflected_surnames(&mut by_surname);
    let mut out: Vec<Linked> = by_key.into_iter().map(|(key, rows)| same_key(crate::PERSON, key, &rows)).collect();
    for (surname, rows) in by_surname {
        out.extend(link_surname(&surname, &rows));
    }
    out.sort_by(|a, b| a.members.cmp(&b.members));
    out
}

/// A surname the rules could not bring to the nominative (`Эрдогана`, `Обамой`, `Клинсману` without a first name
/// to say their case) joins the surname it is a case of, when the collection has exactly one such surname.
fn inflected_surnames(by_surname: &mut BTreeMap<String, Vec<Row>>) {
    // Looked up by the nominatives each surname could be a case of, so the work grows with the number of surnames.
    let in_collection = |surname: &String| by_surname.contains_key(surname);
    let bases_of = |surname: &str| -> Vec<String> { case_bases(surname).into_iter().filter(in_collection).collect() };
    let mut moves: Vec<(String, String)> = Vec::new();
    for from in by_surname.keys() {
        // Only a surname that is no case of another can take others in (`advokatu` goes to `advokat`, not
        // `advokata`).
        let targets: Vec<String> = bases_of(from).into_iter().filter(|to| bases_of(to).is_empty()).collect();
        if let [to] = &targets[..] {
            moves.push((from.clone(), to.clone()));
        }
    }
    for (from, to) in moves {
        let shown = by_surname
            .get(&to)
            .and_then(|rows| rows.iter().find_map(|row| row.name.surname.clone()))
            .unwrap_or_else(|| to.clone());
        let mut rows = by_surname.remove(&from).unwrap_or_default();
        // A consonant stem declines for men only: `Бута` is a man's.
        let man = from.strip_prefix(to.as_str()).is_some();
        for row in &mut rows {
            if man && row.identity.gender.is_none() {
                row.identity.gender = Some(Gender::Male);
            }
            row.note = Some(format!("{}: {shown} in another case (the collection has {shown})", row.named.value));
        }
        by_surname.entry(to).or_default().extend(rows);
    }
}

/// The skeletons a surname skeleton could be an oblique case of: a consonant stem without its ending (`erdogana` of
/// `erdogan`), or an `-a` word with another ending (`obami` of `obama`).
fn case_bases(from: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ending in ["a", "u", "om", "em", "e", "i", "ovi"] {
        if let Some(stem) = from.strip_suffix(ending) {
            let consonant = stem.chars().last().is_some_and(|ch| !"aeiou-".contains(ch));
            if consonant && stem.chars().count() >= 3 {
                out.push(stem.to_string());
            }
        }
    }
    for ending in ["i", "e", "u", "oi", "ou"] {
        if let Some(stem) = from.strip_suffix(ending) {
            if stem.chars().count() >= 2 {
                out.push(format!("{stem}a"));
            }
        }
    }
    out.retain(|base| base != from);
    out.sort();
    out.dedup();
    out
}

fn compatible(a: Option<Gender>, b: Option<Gender>) -> bool {
    a.is_none() || b.is_none() || a == b
}

fn gender_code(gender: Option<Gender>) -> &'static str {
    match gender {
        Some(Gender::Male) => "m",
        Some(Gender::Female) => "f",
        None => "?",
    }
}

fn initials_label(name: &PersonName) -> String {
    let mut parts = Vec::new();
    parts.extend(name.given.clone().or_else(|| name.given_initial.as_ref().map(|letter| format!("{letter}."))));
    parts.extend(
        name.patronymic.clone().or_else(|| name.patronymic_initial.as_ref().map(|letter| format!("{letter}."))),
    );
    parts.join(" ")
}

fn alternatives(people: &[Person], candidates: &[usize]) -> String {
    let labels: Vec<&str> = candidates.iter().map(|&index| people[index].label.as_str()).collect();
    match labels.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The people of one surname.
fn link_surname(surname: &str, rows: &[Row]) -> Vec<Linked> {
    let mut people: Vec<Person> = Vec::new();
    let mut by_anchor: BTreeMap<String, usize> = BTreeMap::new();
    let mut open = |people: &mut Vec<Person>, anchor: String, make: &dyn Fn(String) -> Person| -> usize {
        *by_anchor.entry(anchor.clone()).or_insert_with(|| {
            people.push(make(anchor));
            people.len() - 1
        })
    };
    let full_with_patronymic = |row: &Row| row.identity.given.is_some() && row.identity.patronymic.is_some();
    let full_without_patronymic = |row: &Row| row.identity.given.is_some() && row.identity.patronymic.is_none();
    let initials_only = |row: &Row| row.identity.given.is_none() && !row.identity.given_initials.is_empty();

    // 1. A first name and patronymic define a person.
    for (index, row) in rows.iter().enumerate().filter(|(_, row)| full_with_patronymic(row)) {
        let identity = &row.identity;
        let anchor = format!(
            "{surname}|{}|{}|{}",
            identity.given.as_deref().unwrap_or_default(),
            identity.patronymic.as_deref().unwrap_or_default(),
            gender_code(identity.gender)
        );
        let person = open(&mut people, anchor, &|anchor| Person {
            anchor,
            rows: Vec::new(),
            why: Vec::new(),
            gender: identity.gender,
            given: identity.given.clone(),
            given_initials: identity.given_initials.clone(),
            patronymic_initial: identity.patronymic_initial.clone(),
            label: initials_label(&row.name),
        });
        people[person].rows.push(index);
    }
    // 2. A first name without patronymic joins the only person of that first name, else is a person itself.
    for (index, row) in rows.iter().enumerate().filter(|(_, row)| full_without_patronymic(row)) {
        let identity = &row.identity;
        let candidates: Vec<usize> = (0..people.len())
            .filter(|&person| {
                people[person].given == identity.given
                    && people[person].patronymic_initial.is_some()
                    && compatible(people[person].gender, identity.gender)
            })
            .collect();
        let given = row.name.given.clone().unwrap_or_default();
        if let [only] = candidates[..] {
            let why = format!(
                "{} without patronymic: the only {given} {surname_shown} ({})",
                row.named.value,
                people[only].label,
                surname_shown = row.name.surname.as_deref().unwrap_or_default(),
            );
            people[only].why.push(why);
            people[only].rows.push(index);
            continue;
        }
        // The same first name without patronymic, seen before with a gender this row leaves open or the other way
        // round (`Ямадаев Иса`, `Ямадаева Исы`), is the same person.
        let same_name: Vec<usize> = (0..people.len())
            .filter(|&person| {
                people[person].given == identity.given
                    && people[person].patronymic_initial.is_none()
                    && compatible(people[person].gender, identity.gender)
            })
            .collect();
        if let ([only], true) = (&same_name[..], candidates.is_empty()) {
            let only = *only;
            people[only].gender = people[only].gender.or(identity.gender);
            people[only].rows.push(index);
            continue;
        }
        let anchor =
            format!("{surname}|{}||{}", identity.given.as_deref().unwrap_or_default(), gender_code(identity.gender));
        let ambiguity = (candidates.len() > 1)
            .then(|| format!("{given} without patronymic could be {}: kept apart", alternatives(&people, &candidates)));
        let person = open(&mut people, anchor, &|anchor| Person {
            anchor,
            rows: Vec::new(),
            why: Vec::new(),
            gender: identity.gender,
            given: identity.given.clone(),
            given_initials: identity.given_initials.clone(),
            patronymic_initial: None,
            label: given.clone(),
        });
        people[person].rows.push(index);
        note(&mut people[person], ambiguity);
    }
    let named_people = people.len();
    // 3. Initials join the only person whose first name (and patronymic) they fit; those with a patronymic initial
    // first, so that `И.` alone can join `И. П.` when nothing else fits.
    let mut initial_rows: Vec<usize> = (0..rows.len()).filter(|&index| initials_only(&rows[index])).collect();
    initial_rows.sort_by_key(|&index| rows[index].identity.patronymic_initial.is_none());
    for index in initial_rows {
        let row = &rows[index];
        let identity = &row.identity;
        let letter = identity.given_initials.first().cloned().unwrap_or_default();
        let fits = |person: &Person| {
            person.given_initials.contains(&letter)
                && compatible(person.gender, identity.gender)
                && match (&person.patronymic_initial, &identity.patronymic_initial) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                }
        };
        let mut candidates: Vec<usize> = (0..named_people).filter(|&person| fits(&people[person])).collect();
        if candidates.is_empty() {
            candidates = (named_people..people.len()).filter(|&person| fits(&people[person])).collect();
        }
        let written = initials_label(&row.name);
        if let [only] = candidates[..] {
            let label = &people[only].label;
            let why = if only < named_people {
                format!("{}: initials {written} match {label}", row.named.value)
            } else {
                format!("{}: initials {written} fit {label}, the only ones of the surname", row.named.value)
            };
            people[only].why.push(why);
            people[only].rows.push(index);
            continue;
        }
        let anchor = format!(
            "{surname}|{letter}.|{}.|{}",
            identity.patronymic_initial.as_deref().unwrap_or_default(),
            gender_code(identity.gender)
        );
        let ambiguity = (candidates.len() > 1)
            .then(|| format!("{written} could be {}: kept apart", alternatives(&people, &candidates)));
        let person = open(&mut people, anchor, &|anchor| Person {
            anchor,
            rows: Vec::new(),
            why: Vec::new(),
            gender: identity.gender,
            given: None,
            given_initials: vec![letter.clone()],
            patronymic_initial: identity.patronymic_initial.clone(),
            label: written.clone(),
        });
        people[person].rows.push(index);
        note(&mut people[person], ambiguity);
    }
    // 4. A bare surname joins the only person of the surname (of those named by a first name or initials).
    let before_bare = people.len();
    for (index, row) in rows.iter().enumerate().filter(|(_, row)| row.identity.given_initials.is_empty()) {
        let gender = row.identity.gender;
        let candidates: Vec<usize> =
            (0..before_bare).filter(|&person| compatible(people[person].gender, gender)).collect();
        if let [only] = candidates[..] {
            let who = match gender {
                Some(Gender::Male) if before_bare > 1 => "man",
                Some(Gender::Female) if before_bare > 1 => "woman",
                _ => "person",
            };
            let why = format!("{} alone: the only {who} of the surname ({})", row.named.value, people[only].label);
            people[only].why.push(why);
            people[only].rows.push(index);
            continue;
        }
        let anchor = format!("{surname}|||{}", gender_code(gender));
        let ambiguity = (candidates.len() > 1)
            .then(|| format!("{} alone could be {}: kept apart", row.named.value, alternatives(&people, &candidates)));
        let person = open(&mut people, anchor, &|anchor| Person {
            anchor,
            rows: Vec::new(),
            why: Vec::new(),
            gender,
            given: None,
            given_initials: Vec::new(),
            patronymic_initial: None,
            label: row.named.value.clone(),
        });
        people[person].rows.push(index);
        note(&mut people[person], ambiguity);
    }
    people.into_iter().filter(|person| !person.rows.is_empty()).map(|person| finish(person, rows)).collect()
}

fn has_ukrainian_letters(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ'))
}

/// Adds a reason once.
fn note(person: &mut Person, why: Option<String>) {
    if let Some(why) = why.filter(|why| !person.why.contains(why)) {
        person.why.push(why);
    }
}

fn fullness(row: &Row) -> u8 {
    u8::from(row.name.given.is_some()) * 2
        + u8::from(row.name.patronymic.is_some())
        + u8::from(row.name.given_initial.is_some() || row.name.patronymic_initial.is_some())
}

fn finish(person: Person, rows: &[Row]) -> Linked {
    let members: Vec<&Row> = person.rows.iter().map(|&index| &rows[index]).collect();
    let shown = members
        .iter()
        .max_by(|a, b| {
            (fullness(a), !a.named.value.is_ascii(), a.named.mentions)
                .cmp(&(fullness(b), !b.named.value.is_ascii(), b.named.mentions))
                .then_with(|| b.named.value.cmp(&a.named.value))
        })
        .expect("a person has a row");
    let mut why = Vec::new();
    // The forms of the same full name: explained by how they differ from the one shown.
    for row in &members {
        let same_name = row.identity.given.is_some() && row.identity.given == shown.identity.given;
        if row.named.value == shown.named.value || !same_name {
            continue;
        }
        let reason = if row.named.value.is_ascii() != shown.named.value.is_ascii() {
            format!("transliteration {}", row.named.value)
        } else if row.name.surname != shown.name.surname
            && has_ukrainian_letters(&row.named.value) == has_ukrainian_letters(&shown.named.value)
        {
            format!(
                "{}: same surname {} in another form",
                row.named.value,
                shown.name.surname.as_deref().unwrap_or_default()
            )
        } else if has_ukrainian_letters(&row.named.value) {
            format!("{}: the same name in Ukrainian", row.named.value)
        } else {
            format!("{}: the same name in Russian", row.named.value)
        };
        why.push(reason);
    }
    why.extend(person.why);
    why.extend(members.iter().filter_map(|row| row.note.clone()));
    let mut member_pairs: Vec<(String, String)> =
        members.iter().map(|row| (row.named.key.clone(), row.named.value.clone())).collect();
    member_pairs.sort();
    member_pairs.dedup();
    Linked {
        id: entity_id(crate::PERSON, &person.anchor),
        name: shown.named.value.clone(),
        members: member_pairs,
        mentions: members.iter().map(|row| row.named.mentions).sum(),
        why,
    }
}

#[cfg(test)]
mod tests;
