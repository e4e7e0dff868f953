//! Integration tests of the image reader. OCR runs on every fixture (the default options enable it), so these
//! tests need Tesseract installed and fail without it.

mod golden;
mod options;
