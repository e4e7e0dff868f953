//! How well people's keys and `link` gather the person mentions the Russian model finds in factRuEval-2016, against
//! the corpus's own coreference (which mentions are one person).
//!
//! ```sh
//! cargo run -j2 --release -p dossier-entities --example factrueval -- ../shared/corpus/ner/factRuEval-2016/devset
//! ```
//!
//! Each document's text goes through the model; a person it finds is matched to the gold person object it overlaps
//! most, and through the `.coref` file to a gold person. Two mentions of one gold person should share a key (or at
//! least end in one entity after `link`): that is the linking recall. Two mentions of different gold people should
//! not: those pairs are false merges. Within a document the gold person is the coreference chain; across the
//! collection it is the chain's normal name (surname and first name), so two documents' Путин are one man (pairs
//! where the corpus gives no first name on one side are not counted). The
//! previous keys (each word's Snowball stem) are counted beside ours. Prints numbers only; `--examples` also prints
//! surnames whose dictionary form differs from the corpus's.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use dossier_entities::link::{Named, link};
use dossier_entities::{PERSON, name_forms};

struct Mention {
    doc: String,
    text: String,
    key: String,
    value: String,
    stem_key: String,
    /// The coreference chain within its document.
    chain: String,
    /// The chain's surname and first name (`лужков`, `юрий`), when the corpus gives a surname.
    person: Option<(String, Option<String>)>,
    gold_surname: Option<String>,
}

#[derive(Default)]
struct Pairs {
    same: u64,
    same_key: u64,
    same_stem_key: u64,
    same_entity: u64,
    different: u64,
    different_key: u64,
    different_stem_key: u64,
    different_entity: u64,
}

impl Pairs {
    fn add(&mut self, same_person: bool, key: bool, stem_key: bool, entity: bool) {
        if same_person {
            self.same += 1;
            self.same_key += u64::from(key);
            self.same_stem_key += u64::from(stem_key);
            self.same_entity += u64::from(entity);
        } else {
            self.different += 1;
            self.different_key += u64::from(key);
            self.different_stem_key += u64::from(stem_key);
            self.different_entity += u64::from(entity);
        }
    }

    fn print(&self, title: &str) {
        let share = |part: u64, whole: u64| if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 };
        println!("{title}");
        println!("  pairs of mentions of one person:        {:>8}", self.same);
        println!(
            "    linking recall, same key:             {:>8} ({:.1}%)   word stems as before: {} ({:.1}%)",
            self.same_key,
            share(self.same_key, self.same),
            self.same_stem_key,
            share(self.same_stem_key, self.same)
        );
        println!(
            "    linking recall, same entity (link):   {:>8} ({:.1}%)",
            self.same_entity,
            share(self.same_entity, self.same)
        );
        println!("  pairs of mentions of different people:  {:>8}", self.different);
        println!(
            "    false merges, same key:               {:>8} ({:.3}%)   word stems as before: {} ({:.3}%)",
            self.different_key,
            share(self.different_key, self.different),
            self.different_stem_key,
            share(self.different_stem_key, self.different)
        );
        println!(
            "    false merges, same entity (link):     {:>8} ({:.3}%)",
            self.different_entity,
            share(self.different_entity, self.different)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_examples = args.iter().any(|arg| arg == "--examples");
    let positional: Vec<&String> = args.iter().filter(|arg| !arg.starts_with("--")).collect();
    let Some(devset) = positional.first().map(PathBuf::from) else {
        eprintln!("usage: factrueval DEVSET_DIR [MODELS_DIR] [--examples]");
        std::process::exit(2);
    };
    let models = positional
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/models"));
    let model_dir = models.join(dossier_ner::MODEL_FOLDER);
    let model = match dossier_ner::Model::load(&model_dir) {
        Ok(model) => model,
        Err(err) => {
            eprintln!("cannot load the Russian model from {}: {err}", model_dir.display());
            std::process::exit(1);
        }
    };
    let mut docs: Vec<String> = match std::fs::read_dir(&devset) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| entry.file_name().to_str()?.strip_suffix(".txt").map(str::to_string))
            .collect(),
        Err(err) => {
            eprintln!("cannot read {}: {err}", devset.display());
            std::process::exit(1);
        }
    };
    docs.sort();

    let mut mentions: Vec<Mention> = Vec::new();
    let (mut found, mut gold_people) = (0usize, 0usize);
    for doc in &docs {
        let Some(gold) = read_gold(&devset, doc) else { continue };
        gold_people += gold.objects.len();
        let text = std::fs::read_to_string(devset.join(format!("{doc}.txt"))).unwrap_or_default();
        for entity in model.entities(&text) {
            if entity.kind != dossier_ner::Kind::Person {
                continue;
            }
            found += 1;
            // The gold person object this mention overlaps most.
            let best = gold
                .objects
                .iter()
                .map(|(object, extent)| {
                    let overlap = entity.end.min(extent.1).saturating_sub(entity.start.max(extent.0));
                    (overlap, object)
                })
                .filter(|(overlap, _)| *overlap > 0)
                .max_by_key(|(overlap, object)| (*overlap, std::cmp::Reverse(*object)));
            let Some((_, object)) = best else { continue };
            let Some(chain) = gold.chain_of.get(object) else { continue };
            let (value, key) = name_forms(PERSON, &entity.text, Some(dossier_lang::Lang::Russian));
            let stem_key = entity
                .text
                .split_whitespace()
                .map(|word| dossier_lang::stem(Some(dossier_lang::Lang::Russian), &dossier_lang::fold(word)))
                .collect::<Vec<_>>()
                .join(" ");
            let names = gold.names.get(chain);
            mentions.push(Mention {
                doc: doc.clone(),
                text: entity.text,
                key,
                value,
                stem_key,
                chain: format!("{doc}/{chain}"),
                person: names.and_then(|names| {
                    let surname = names.get("lastname")?;
                    Some((surname.clone(), names.get("firstname").cloned()))
                }),
                gold_surname: names.and_then(|names| names.get("lastname").cloned()),
            });
        }
    }

    // `link` over each document, and over the whole collection.
    let entity_in_doc = link_mentions(&mentions, |mention| mention.doc.clone());
    let entity_in_collection = link_mentions(&mentions, |_| String::new());

    let mut within = Pairs::default();
    let mut across = Pairs::default();
    let mut missed: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut merged: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut merged_across: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (a_index, a) in mentions.iter().enumerate() {
        for (b_index, b) in mentions.iter().enumerate().skip(a_index + 1) {
            let key = a.key == b.key;
            let stem_key = a.stem_key == b.stem_key;
            if a.doc == b.doc {
                let entity = entity_in_doc[a_index] == entity_in_doc[b_index];
                within.add(a.chain == b.chain, key, stem_key, entity);
                let pair = (a.text.clone().min(b.text.clone()), a.text.clone().max(b.text.clone()));
                if a.chain == b.chain && !entity {
                    *missed.entry(pair).or_default() += 1;
                } else if a.chain != b.chain && entity {
                    *merged.entry(pair).or_default() += 1;
                }
            }
            // Across documents two mentions are one person when the corpus gives both the same surname and first
            // name, two people when it gives them different ones; a pair whose first name is missing on one side is
            // not counted.
            if let (Some((a_surname, a_first)), Some((b_surname, b_first))) = (&a.person, &b.person) {
                let same = match (a_first, b_first) {
                    _ if a_surname != b_surname => Some(false),
                    (Some(a_first), Some(b_first)) => Some(a_first == b_first),
                    _ => None,
                };
                if let Some(same) = same {
                    let entity = entity_in_collection[a_index] == entity_in_collection[b_index];
                    across.add(same, key, stem_key, entity);
                    if !same && entity {
                        let pair = (a.text.clone().min(b.text.clone()), a.text.clone().max(b.text.clone()));
                        *merged_across.entry(pair).or_default() += 1;
                    }
                }
            }
        }
    }
    let with_surname: Vec<&Mention> = mentions.iter().filter(|mention| mention.gold_surname.is_some()).collect();
    let surname_right = with_surname
        .iter()
        .filter(|mention| {
            let gold = mention.gold_surname.as_deref().unwrap_or_default();
            shown_surname(&mention.key, &mention.value).is_some_and(|surname| same_surname(&surname, gold))
        })
        .count();

    println!("factRuEval-2016 {}: {} documents", devset.display(), docs.len());
    println!(
        "  gold person objects {gold_people}; persons found by the model {found}; matched to a gold person {}",
        mentions.len()
    );
    println!(
        "  surname in dictionary form as the corpus gives it: {surname_right} of {} ({:.1}%)",
        with_surname.len(),
        100.0 * surname_right as f64 / with_surname.len().max(1) as f64
    );
    within.print("within a document (gold: the coreference chain)");
    across.print("across the collection (gold: the chains' surname and first name)");
    if show_examples {
        println!("pairs of one person not linked within a document:");
        for ((a, b), count) in &missed {
            println!("  {count:>3}  {a}  |  {b}");
        }
        println!("pairs of different people linked within a document:");
        for ((a, b), count) in &merged {
            println!("  {count:>3}  {a}  |  {b}");
        }
        println!("pairs of different people linked across the collection:");
        for ((a, b), count) in &merged_across {
            println!("  {count:>3}  {a}  |  {b}");
        }
        println!("surnames that differ from the corpus's:");
        let mut seen = std::collections::BTreeSet::new();
        for mention in &with_surname {
            let gold = mention.gold_surname.as_deref().unwrap_or_default();
            let shown = shown_surname(&mention.key, &mention.value);
            if !shown.as_deref().is_some_and(|surname| same_surname(surname, gold))
                && seen.insert((mention.text.clone(), gold.to_string()))
            {
                println!("  {:<40} => {:<40} gold {gold}", mention.text, mention.value);
            }
        }
    }
}

/// The surname of a value whose key has one (`Соколов Игорь` → `Соколов`).
fn shown_surname(key: &str, value: &str) -> Option<String> {
    if key.starts_with("- ") {
        return None;
    }
    value.split(' ').find(|word| word.chars().next().is_some_and(char::is_uppercase)).map(str::to_string)
}

fn same_surname(shown: &str, gold: &str) -> bool {
    dossier_lang::fold(shown) == dossier_lang::fold(gold)
}

/// The entity (index into `link`'s answer, per scope) of each mention.
fn link_mentions(mentions: &[Mention], scope: impl Fn(&Mention) -> String) -> Vec<(String, usize)> {
    let mut rows: BTreeMap<String, BTreeMap<(String, String), u64>> = BTreeMap::new();
    for mention in mentions {
        *rows.entry(scope(mention)).or_default().entry((mention.key.clone(), mention.value.clone())).or_default() += 1;
    }
    let mut entity_of: HashMap<(String, String, String), usize> = HashMap::new();
    for (scope_name, counts) in rows {
        let named: Vec<Named> =
            counts.into_iter().map(|((key, value), mentions)| Named { key, value, mentions }).collect();
        for (index, entity) in link(PERSON, &named).into_iter().enumerate() {
            for (key, value) in entity.members {
                entity_of.insert((scope_name.clone(), key, value), index);
            }
        }
    }
    mentions
        .iter()
        .map(|mention| {
            let scope_name = scope(mention);
            let index = entity_of
                .get(&(scope_name.clone(), mention.key.clone(), mention.value.clone()))
                .copied()
                .unwrap_or(usize::MAX);
            (scope_name, index)
        })
        .collect()
}

struct Gold {
    /// Person object id → its extent in chars.
    objects: BTreeMap<String, (usize, usize)>,
    /// Object id → coreference chain id.
    chain_of: HashMap<String, String>,
    /// Chain id → its attributes (`lastname`, `firstname`...), lowercase.
    names: HashMap<String, HashMap<String, String>>,
}

fn read_gold(dir: &Path, doc: &str) -> Option<Gold> {
    let spans_text = std::fs::read_to_string(dir.join(format!("{doc}.spans"))).ok()?;
    let objects_text = std::fs::read_to_string(dir.join(format!("{doc}.objects"))).ok()?;
    let coref_text = std::fs::read_to_string(dir.join(format!("{doc}.coref"))).ok()?;
    // `22767 name 313 4 ...`: span id, type, start, length.
    let mut spans: HashMap<&str, (usize, usize)> = HashMap::new();
    for line in spans_text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if let [id, _, start, length, ..] = fields[..] {
            if let (Ok(start), Ok(length)) = (start.parse::<usize>(), length.parse::<usize>()) {
                spans.insert(id, (start, start + length));
            }
        }
    }
    // `10435 Person 22767 22768 # Юрия Лужкова`.
    let mut objects = BTreeMap::new();
    for line in objects_text.lines() {
        let before_comment = line.split('#').next().unwrap_or_default();
        let fields: Vec<&str> = before_comment.split_whitespace().collect();
        if fields.len() < 3 || fields[1] != "Person" {
            continue;
        }
        let extents: Vec<(usize, usize)> = fields[2..].iter().filter_map(|span| spans.get(span).copied()).collect();
        let start = extents.iter().map(|extent| extent.0).min()?;
        let end = extents.iter().map(|extent| extent.1).max()?;
        objects.insert(fields[0].to_string(), (start, end));
    }
    // Blocks: `48 10435 10441`, then `firstname Юрий`, `lastname Лужков`.
    let mut chain_of = HashMap::new();
    let mut names: HashMap<String, HashMap<String, String>> = HashMap::new();
    for block in coref_text.split("\n\n") {
        let mut lines = block.lines().filter(|line| !line.trim().is_empty());
        let Some(head) = lines.next() else { continue };
        let mut ids = head.split_whitespace();
        let Some(chain) = ids.next() else { continue };
        for object in ids {
            chain_of.insert(object.to_string(), chain.to_string());
        }
        let attributes = names.entry(chain.to_string()).or_default();
        for line in lines {
            if let Some((name, value)) = line.trim().split_once(' ') {
                attributes.entry(name.to_string()).or_insert_with(|| value.trim().to_lowercase());
            }
        }
    }
    Some(Gold { objects, chain_of, names })
}
