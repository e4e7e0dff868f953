//! Running the `tesseract` program: which languages it has, and one recognition under a wall-clock limit.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::OcrError;

/// The program looked up on `PATH`.
pub(crate) const PROGRAM: &str = "tesseract";

/// What a user must install for OCR to work.
pub const INSTALL_HINT: &str = "tesseract not found: install tesseract-ocr tesseract-ocr-rus tesseract-ocr-ukr";

/// Page segmentation mode 3 (fully automatic layout) reads letters, forms and multi-column scans best on the corpus.
const PAGE_SEGMENTATION_MODE: &str = "3";

/// `tesseract --list-langs` answers at once; this only bounds a broken installation.
const LIST_LANGUAGES_CPU_LIMIT: Duration = Duration::from_secs(30);

/// Recognised text beyond this is dropped: a page holds a few kilobytes, a 1000-page TIFF a few megabytes.
const MAX_OUTPUT_BYTES: u64 = 64 << 20;

/// What one recognition asks of Tesseract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// Installed languages joined by '+', in the order asked for.
    pub languages: String,
    /// The resolution to assume; `None` lets Tesseract use the image's own or estimate it.
    pub dpi: Option<u32>,
    pub timeout: Duration,
}

impl Settings {
    /// The options other than the languages that change the output, for the cache key.
    pub(crate) fn engine_options(&self) -> String {
        match self.dpi {
            Some(dpi) => format!("tesseract psm={PAGE_SEGMENTATION_MODE} dpi={dpi}"),
            None => format!("tesseract psm={PAGE_SEGMENTATION_MODE}"),
        }
    }
}

/// `tesseract --list-langs` answers by program path.
type LanguagesByProgram = HashMap<String, Result<Vec<String>, OcrError>>;

/// The languages `program` has data for, asked once per program and process (it does not change while we run).
fn installed_languages(program: &str) -> Result<Vec<String>, OcrError> {
    static INSTALLED: OnceLock<Mutex<LanguagesByProgram>> = OnceLock::new();
    let answers = INSTALLED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut answers = answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    answers.entry(program.to_string()).or_insert_with(|| list_languages(program)).clone()
}

fn list_languages(program: &str) -> Result<Vec<String>, OcrError> {
    let mut command = Command::new(program);
    let output = dossier_document::subprocess::tie_to_this_process(&mut command, LIST_LANGUAGES_CPU_LIMIT)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .map_err(|_| OcrError::Unavailable(INSTALL_HINT.to_string()))?;
    if !output.status.success() {
        return Err(OcrError::Unavailable(format!(
            "tesseract --list-langs failed ({}): reinstall tesseract-ocr",
            output.status
        )));
    }
    // "List of available languages in "/usr/share/...": (4):" then one code per line.
    let listing = String::from_utf8_lossy(&output.stdout);
    Ok(listing
        .lines()
        .filter(|line| !line.starts_with("List of") && !line.trim().is_empty())
        .map(|line| line.trim().to_string())
        .collect())
}

/// The asked-for languages that are installed, joined by '+'; Unavailable naming the missing packages if none is.
pub(crate) fn usable_languages(program: &str, asked: &[String]) -> Result<String, OcrError> {
    let installed = installed_languages(program)?;
    let usable: Vec<&str> = asked
        .iter()
        .map(|language| language.trim())
        .filter(|language| installed.iter().any(|have| have == language))
        .collect();
    if usable.is_empty() {
        let packages: Vec<String> = asked.iter().map(|language| format!("tesseract-ocr-{language}")).collect();
        return Err(OcrError::Unavailable(format!(
            "no language data for {}: install {}",
            if asked.is_empty() { "any language".to_string() } else { asked.join("+") },
            if packages.is_empty() { "tesseract-ocr-eng".to_string() } else { packages.join(" ") }
        )));
    }
    Ok(usable.join("+"))
}

/// Recognises `image` with `program`, killing it when `settings.timeout` passes.
pub(crate) fn run(program: &str, image: &Path, settings: &Settings) -> Result<String, OcrError> {
    let mut command = Command::new(program);
    command.arg(image).arg("stdout").arg("-l").arg(&settings.languages).arg("--psm").arg(PAGE_SEGMENTATION_MODE);
    if let Some(dpi) = settings.dpi {
        command.arg("--dpi").arg(dpi.to_string());
    }
    // One thread per Tesseract: the pipeline already runs a worker per core, and OpenMP threads fighting over the
    // same cores make every page slower.
    command.env("OMP_THREAD_LIMIT", "1");
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // Tesseract dies with the worker (a killed ingest leaves no recognition running) and never uses more CPU time
    // than its page may take, even if nobody is left to stop it.
    dossier_document::subprocess::tie_to_this_process(&mut command, settings.timeout);
    let mut child = command.spawn().map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => OcrError::Unavailable(INSTALL_HINT.to_string()),
        _ => OcrError::Failed(format!("cannot start tesseract: {err}")),
    })?;
    // Both pipes are drained on their own threads so that a chatty Tesseract never blocks on a full pipe.
    let stdout = child.stdout.take().map(|pipe| std::thread::spawn(move || read_bounded(pipe, MAX_OUTPUT_BYTES)));
    let stderr = child.stderr.take().map(|pipe| std::thread::spawn(move || read_bounded(pipe, 64 * 1024)));
    let status = match wait_with_timeout(&mut child, settings.timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::TimedOut(settings.timeout.as_secs()));
        }
        Err(err) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(OcrError::Failed(format!("waiting for tesseract: {err}")));
        }
    };
    let stdout = stdout.and_then(|thread| thread.join().ok()).unwrap_or_default();
    let stderr = stderr.and_then(|thread| thread.join().ok()).unwrap_or_default();
    if !status.success() {
        let message = String::from_utf8_lossy(&stderr);
        let message = last_meaningful_line(&message).unwrap_or("no message");
        return Err(OcrError::Failed(format!("tesseract exited with {status}: {message}")));
    }
    Ok(clean_output(&String::from_utf8_lossy(&stdout)))
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> std::io::Result<Option<std::process::ExitStatus>> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let elapsed = started.elapsed();
        if elapsed >= timeout {
            return Ok(None);
        }
        // Short pauses first (small images finish in milliseconds), then at most 100 ms of added latency.
        std::thread::sleep(pause.min(timeout - elapsed));
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

fn read_bounded(pipe: impl Read, limit: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut pipe = pipe;
    let _ = pipe.by_ref().take(limit).read_to_end(&mut bytes);
    // Keep draining past the limit so that Tesseract can finish instead of blocking on a full pipe.
    let _ = std::io::copy(&mut pipe, &mut std::io::sink());
    bytes
}

/// Tesseract's stderr is mostly progress chatter ("Estimating resolution as 300"); the last line that is not
/// is the reason it failed.
fn last_meaningful_line(stderr: &str) -> Option<&str> {
    stderr
        .lines()
        .map(str::trim)
        .rev()
        .find(|line| !line.is_empty() && !line.starts_with("Estimating resolution") && !line.starts_with("Page "))
}

/// Tesseract ends every page with a form feed; pages stay separated by one, trailing blanks and the final form feed
/// go, and lines lose their trailing spaces.
pub(crate) fn clean_output(raw: &str) -> String {
    let pages: Vec<String> = raw
        .trim_end_matches(['\u{c}', '\n', ' ', '\r'])
        .split('\u{c}')
        .map(|page| {
            let lines: Vec<&str> = page.lines().map(str::trim_end).collect();
            lines.join("\n").trim_matches('\n').to_string()
        })
        .collect();
    let text = pages.join("\u{c}");
    if text.chars().all(|c| c.is_whitespace()) { String::new() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_program_is_unavailable_with_the_install_hint() {
        let missing = "/nonexistent/dossier-test/tesseract";
        assert_eq!(
            usable_languages(missing, &["eng".to_string()]),
            Err(OcrError::Unavailable(INSTALL_HINT.to_string()))
        );
        let settings = Settings { languages: "eng".into(), dpi: None, timeout: Duration::from_secs(5) };
        assert_eq!(
            run(missing, Path::new("/nonexistent.png"), &settings),
            Err(OcrError::Unavailable(INSTALL_HINT.to_string()))
        );
    }

    #[test]
    fn output_keeps_page_boundaries_and_drops_trailing_blanks() {
        assert_eq!(clean_output("one  \ntwo\n\n\u{c}three\n\n\u{c}"), "one\ntwo\u{c}three");
        assert_eq!(clean_output(" \n\u{c}"), "");
        assert_eq!(clean_output(""), "");
    }

    #[test]
    fn engine_options_name_the_resolution_only_when_forced() {
        let mut settings = Settings { languages: "eng".into(), dpi: None, timeout: Duration::from_secs(1) };
        assert_eq!(settings.engine_options(), "tesseract psm=3");
        settings.dpi = Some(300);
        assert_eq!(settings.engine_options(), "tesseract psm=3 dpi=300");
    }

    #[test]
    fn stderr_chatter_is_skipped_when_reporting_a_failure() {
        let stderr = "Error in pixReadStream: Unknown format: no pix returned\nEstimating resolution as 70\n";
        assert_eq!(last_meaningful_line(stderr), Some("Error in pixReadStream: Unknown format: no pix returned"));
    }
}
