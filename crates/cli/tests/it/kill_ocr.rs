//! `kill -9` of an ingest while Tesseract runs leaves no process and, after the next start, no temporary file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::Env;

/// A one-page PDF whose page is a 1-bit image of pseudo-random noise: no text layer, so it goes to OCR, and noise is
/// what Tesseract is slowest on (about 20 s of CPU time for this page), deterministically.
fn noise_scan(seed: u32) -> Vec<u8> {
    const WIDTH: usize = 1275;
    const HEIGHT: usize = 1650;
    let mut state = seed;
    let mut pixels = Vec::with_capacity(WIDTH.div_ceil(8) * HEIGHT);
    for _ in 0..WIDTH.div_ceil(8) * HEIGHT {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        pixels.push((state >> 24) as u8);
    }
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>"
            .to_vec(),
    ];
    let content = b"q 612 0 0 792 0 0 cm /Im1 Do Q";
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream");
    objects.push(stream);
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width {WIDTH} /Height {HEIGHT} /ColorSpace /DeviceGray /BitsPerComponent 1 /Length {} >>\nstream\n",
        pixels.len()
    )
    .into_bytes();
    image.extend_from_slice(&pixels);
    image.extend_from_slice(b"\nendstream");
    objects.push(image);
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// Every process as (pid, parent pid, command name), read from /proc.
fn processes() -> Vec<(u32, u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid ...": the name may hold spaces and parentheses, so split at the last ')'.
            let (head, rest) = stat.rsplit_once(')')?;
            let name = head.split_once('(')?.1.to_string();
            let mut fields = rest.split_whitespace();
            let state = fields.next()?;
            let parent: u32 = fields.next()?.parse().ok()?;
            (state != "Z").then_some((pid, parent, name))
        })
        .collect()
}

/// The live `tesseract` processes descending from `root`.
fn tesseracts_under(root: u32) -> Vec<u32> {
    let all = processes();
    let mut tree = vec![root];
    let mut grown = true;
    while grown {
        grown = false;
        for (pid, parent, _) in &all {
            if tree.contains(parent) && !tree.contains(pid) {
                tree.push(*pid);
                grown = true;
            }
        }
    }
    all.iter().filter(|(pid, _, name)| tree.contains(pid) && name == "tesseract").map(|(pid, ..)| *pid).collect()
}

/// Whether Tesseract process `pid` was given a page rendered for it (not `--list-langs`).
fn is_recognising_a_page(pid: u32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|cmdline| cmdline.windows(b"dossier-ocr-".len()).any(|window| window == b"dossier-ocr-"))
}

fn is_alive(pid: u32) -> bool {
    processes().iter().any(|(alive, ..)| *alive == pid)
}

/// Every file under `dir`.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    walk(dir).into_iter().filter(|path| path.is_file()).collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            found.push(path.clone());
            if path.is_dir() {
                found.extend(walk(&path));
            }
        }
    }
    found
}

/// Regression: kill -9 of the ingest during OCR left `tesseract` running with no time limit, and the page rendered
/// for it in the system's temporary folder.
#[test]
fn killing_an_ingest_during_ocr_leaves_no_tesseract_and_no_temporary_file() {
    let env = Env::new();
    let input = env.input("scans");
    for seed in 1..=3 {
        std::fs::write(input.join(format!("scan-{seed}.pdf")), noise_scan(seed)).expect("write");
    }
    // The ingest's own temporary folder: nothing may land there, everything belongs in the data folder.
    let system_tmp = env.dir.path().join("system-tmp");
    std::fs::create_dir_all(&system_tmp).expect("tmp");
    let mut ingest = env
        .command()
        .args(["ingest", input.to_str().expect("UTF-8"), "-c", "scans", "--ocr-lang", "eng"])
        .env("TMPDIR", &system_tmp)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dossier starts");

    // Wait until a worker runs Tesseract on a rendered page (bounded: the first page reaches OCR within seconds).
    let deadline = Instant::now() + Duration::from_secs(300);
    let tesseracts = loop {
        // Tesseract also runs to list its languages before any page is rendered; only one reading a page counts.
        let found: Vec<u32> =
            tesseracts_under(ingest.id()).into_iter().filter(|pid| is_recognising_a_page(*pid)).collect();
        if !found.is_empty() {
            break found;
        }
        assert!(ingest.try_wait().expect("wait").is_none(), "the ingest ended before any OCR started");
        assert!(Instant::now() < deadline, "no tesseract started within 300 s");
        std::thread::yield_now();
    };
    let staged_at_kill = files_under(&env.data_dir().join("staging"));
    ingest.kill().expect("SIGKILL");
    ingest.wait().expect("reaped");

    // The kernel kills the worker with its parent and Tesseract with the worker; a page takes Tesseract about 20 s
    // of CPU time, so one still alive after 10 s has outlived its worker.
    let deadline = Instant::now() + Duration::from_secs(10);
    while tesseracts.iter().any(|pid| is_alive(*pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let survivors: Vec<u32> = tesseracts.iter().copied().filter(|pid| is_alive(*pid)).collect();
    for pid in &survivors {
        let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
    assert_eq!(survivors, Vec::<u32>::new(), "tesseract outlived the killed ingest");
    assert_eq!(files_under(&system_tmp), Vec::<PathBuf>::new(), "temporary files went outside the data folder");
    assert!(
        staged_at_kill.iter().any(|path| path.to_string_lossy().contains("dossier-ocr-")),
        "the page being recognised was rendered inside the data folder: {staged_at_kill:?}"
    );

    // The next start removes what the killed run left (OCR off: only the clean-up is of interest here).
    env.ingest(&input, "scans", &["--no-ocr"]);
    assert_eq!(files_under(&env.data_dir().join("staging")), Vec::<PathBuf>::new());
}
