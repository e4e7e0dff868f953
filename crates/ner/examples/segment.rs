//! Prints the sentences and tokens of the text on standard input, one a line, as `start..end text` (byte offsets):
//! `echo 'Пришёл А. С. Пушкин.' | cargo run -p dossier-ner --example segment`.

use std::io::Read as _;

fn main() -> std::io::Result<()> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    for sentence in dossier_ner::sentenize(&text) {
        println!("sentence {:?} {:?}", sentence.bytes, sentence.text);
    }
    for token in dossier_ner::tokenize(&text) {
        println!("token {:?} {:?}", token.bytes, token.text);
    }
    Ok(())
}
