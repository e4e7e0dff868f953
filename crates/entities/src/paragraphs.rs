//! A text cut into runs of one language, so that each run goes to the model for its language.

use std::ops::Range;

use dossier_lang::Lang;

/// Consecutive lines of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub bytes: Range<usize>,
    /// Characters of the text before the run: added to offsets found inside it.
    pub chars_before: usize,
    /// `None` when neither the run nor the whole text has a language dossier can tell.
    pub lang: Option<Lang>,
}

/// Lines whose language cannot be told (too short, no letters) keep the language around them, and the whole text's
/// where they start it. A line is told by its own letters; a run changes only where a line says another language.
pub(crate) fn runs(text: &str) -> Vec<Run> {
    let document = dossier_lang::detect_language(text);
    let mut runs: Vec<Run> = Vec::new();
    let mut chars = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_chars = line.chars().count();
        let told = if line.chars().filter(|c| c.is_alphabetic()).count() >= MIN_LETTERS {
            dossier_lang::detect_language(line)
        } else {
            None
        };
        match runs.last_mut() {
            Some(run) if (told.is_none() || told == run.lang) && run.bytes.len() < MAX_RUN_BYTES => {
                run.bytes.end = offset + line.len()
            }
            _ => runs.push(Run { bytes: offset..offset + line.len(), chars_before: chars, lang: told.or(document) }),
        }
        offset += line.len();
        chars += line_chars;
    }
    runs
}

/// A run ends at the first line end past this many bytes: the analysis checks its time limit between runs, and a
/// name never spans a line this long.
const MAX_RUN_BYTES: usize = 256 << 10;

/// Fewer letters than this do not tell a language reliably enough to switch models mid-text.
const MIN_LETTERS: usize = 24;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ukrainian_paragraph_in_a_russian_letter_is_a_run_of_its_own() {
        let text = "Министерство обороны направляет сведения о призыве граждан.\n\
                    Міністерство оборони України надає інформацію щодо мобілізації громадян.\n\
                    12.03.2023\n\
                    Просим представить отчёт еженедельно до пятницы.\n";
        let runs = runs(text);
        let langs: Vec<_> = runs.iter().map(|run| run.lang).collect();
        assert_eq!(langs, [Some(Lang::Russian), Some(Lang::Ukrainian), Some(Lang::Russian)]);
        // The date line stays with the Ukrainian run; the runs cover the text exactly, in order.
        assert!(text[runs[1].bytes.clone()].ends_with("12.03.2023\n"));
        assert_eq!(runs.last().map(|run| run.bytes.end), Some(text.len()));
        for pair in runs.windows(2) {
            assert_eq!(pair[0].bytes.end, pair[1].bytes.start);
            assert_eq!(pair[1].chars_before, text[..pair[1].bytes.start].chars().count());
        }
    }

    #[test]
    fn a_long_text_is_cut_into_runs_at_line_ends_that_keep_its_language() {
        let line = "Министерство обороны направляет сведения о призыве граждан.\n";
        let text = line.repeat(3 * MAX_RUN_BYTES / line.len());
        let runs = runs(&text);
        assert!(runs.len() >= 3, "{} runs", runs.len());
        assert!(runs.iter().all(|run| run.lang == Some(Lang::Russian) && text[..run.bytes.end].ends_with('\n')));
        assert!(runs.iter().all(|run| run.bytes.len() < MAX_RUN_BYTES + line.len()));
        assert_eq!(runs.last().map(|run| run.bytes.end), Some(text.len()));
    }

    #[test]
    fn an_empty_text_has_no_runs() {
        assert!(runs("").is_empty());
    }
}
