//! E-book readers: EPUB ([`read_epub`]) and FictionBook 2 ([`read_fb2`]).
//!
//! Both return the book's text in reading order and its bibliographic metadata (title, author, language, date,
//! publisher, identifier, description). Neither hands over children: images in a book are illustrations, not
//! evidence files of their own.

mod epub;
mod fb2;
mod xml;

pub use epub::read_epub;
pub use fb2::read_fb2;
