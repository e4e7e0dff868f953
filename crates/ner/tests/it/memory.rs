//! A long text is tagged in bounded memory: nothing the model allocates grows with the text except the entities
//! it returns.

use crate::alloc_meter;

#[test]
fn a_long_text_is_tagged_in_bounded_memory() {
    let dir = crate::corpus().join("collection5/collection5");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("collection5").filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    files.sort();
    // About 8 MB of real news text, a book of 2,500 pages: over a million tokens.
    let mut text = String::new();
    for path in files.iter().cycle() {
        if text.len() >= 8_000_000 {
            break;
        }
        text.push_str(&std::fs::read_to_string(path).expect("a collection5 text"));
        text.push_str("\n\n");
    }
    let model = crate::model();
    let (entities, peak) = alloc_meter::peak_during(|| model.entities(&text));
    let returned = entities.capacity() * size_of::<dossier_ner::Entity>()
        + entities.iter().map(|e| e.text.capacity()).sum::<usize>();
    // The result may exist twice while its vector grows; everything else (windows, scores, undecided tags) must fit
    // in a few megabytes. Keeping one float per token would already take more.
    let bound = 2 * returned + 2_000_000;
    assert!(peak <= bound, "{peak} bytes at the peak for {} bytes of text ({returned} bytes of entities)", text.len());
    assert!(entities.len() > 50_000, "{} entities", entities.len());
}
