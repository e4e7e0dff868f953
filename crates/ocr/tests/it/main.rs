//! Integration tests of the OCR crate against the installed Tesseract (they fail, never skip, when it is absent:
//! the project's setup installs tesseract-ocr, tesseract-ocr-rus and tesseract-ocr-ukr).

mod recognition;
