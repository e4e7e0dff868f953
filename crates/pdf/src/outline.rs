//! The document outline (bookmarks): the titles a reader sees in the navigation pane, indented by level.
//! Some PDFs say more in their bookmarks than on their pages (a blank form titled "Witness statement", a
//! scan whose only searchable words are the chapter titles someone added).
//!
//! The /First and /Next chains are walked as PDF objects with a visited set, a depth limit and an item budget:
//! a /Next pointing back to an earlier item is a classic way to hang readers.

use std::collections::HashSet;

use mupdf::pdf::{PdfDocument, PdfObject};

use crate::object_text::{object_number, text_entry};

const MAX_OUTLINE_DEPTH: usize = 32;
const MAX_OUTLINE_ITEMS: usize = 20_000;

/// The outline's titles, one per line with two spaces of indentation per level; `diagnostics` gets a line
/// when the outline has a cycle or is too large.
pub fn read_outline(doc: &PdfDocument, diagnostics: &mut Vec<String>) -> Vec<String> {
    let mut walk = OutlineWalk { visited: HashSet::new(), items: 0, cycle_seen: false, lines: Vec::new() };
    let root = doc.catalog().ok().and_then(|catalog| catalog.get_dict("Outlines").ok().flatten());
    if let Some(root) = root
        && root.is_dict().unwrap_or(false)
    {
        if let Some(number) = object_number(&root) {
            walk.visited.insert(number);
        }
        walk.children(&root, 0);
    }
    if walk.cycle_seen {
        diagnostics.push("bookmarks: the outline has a cycle; each bookmark was read once".to_string());
    }
    if walk.items > MAX_OUTLINE_ITEMS {
        diagnostics.push(format!("bookmarks: more than {MAX_OUTLINE_ITEMS}; the rest were skipped"));
    }
    walk.lines
}

struct OutlineWalk {
    visited: HashSet<i32>,
    items: usize,
    cycle_seen: bool,
    lines: Vec<String>,
}

impl OutlineWalk {
    /// Reads the children of `parent` (its /First and their /Next chain), depth first.
    fn children(&mut self, parent: &PdfObject, depth: usize) {
        if depth >= MAX_OUTLINE_DEPTH {
            return;
        }
        let mut next = parent.get_dict("First").ok().flatten();
        while let Some(item) = next {
            self.items += 1;
            if self.items > MAX_OUTLINE_ITEMS || !item.is_dict().unwrap_or(false) {
                return;
            }
            if let Some(number) = object_number(&item)
                && !self.visited.insert(number)
            {
                self.cycle_seen = true;
                return;
            }
            if let Some(title) = text_entry(&item, "Title") {
                self.lines.push(format!("{}{}", "  ".repeat(depth), title.replace('\n', " ")));
            }
            self.children(&item, depth + 1);
            next = item.get_dict("Next").ok().flatten();
        }
    }
}
