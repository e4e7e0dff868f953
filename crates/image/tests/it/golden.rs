//! Golden dumps of every fixture folder (see examples/make_fixtures.rs for how each file was made).

use std::path::PathBuf;

fn check(format: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(format);
    dossier_document::golden::check_dir(&dir, dossier_image::read_image);
}

#[test]
fn jpeg() {
    check("jpeg");
}

#[test]
fn png() {
    check("png");
}

#[test]
fn tiff() {
    check("tiff");
}

#[test]
fn gif() {
    check("gif");
}

#[test]
fn bmp() {
    check("bmp");
}

#[test]
fn webp() {
    check("webp");
}
