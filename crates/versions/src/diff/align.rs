//! Aligning two sequences of word keys: which words of `a` correspond to which words of `b`.
//!
//! Common prefix and suffix are matched first. A small region is aligned by Myers' O(ND) algorithm (a shortest edit
//! script); a large one is first cut at anchors, words that occur exactly once in each side, kept where they appear
//! in the same order (the longest increasing subsequence: patience diff), and the pieces between anchors are aligned
//! the same way. This keeps moved paragraphs and long texts cheap and readable.
//!
//! Cost is bounded for any input: Myers stops after [`MAX_EDIT_DISTANCE`] edits, and all the work together is held to
//! a budget linear in the input size. A region left over when either limit is reached gets no matches, which the diff
//! shows as one changed block, and the diff says it was [`crate::Diff::approximate`].

use std::collections::HashMap;

/// The largest edit distance Myers searches in one region: beyond it the region is shown as changed.
pub(crate) const MAX_EDIT_DISTANCE: usize = 2_000;

/// Regions with at most this many words on both sides together go straight to Myers.
const SMALL_REGION: usize = 4_000;

/// The matches (index in `a`, index in `b`), strictly increasing in both, and whether a limit cut the search short.
pub(crate) fn align(a: &[u32], b: &[u32]) -> (Vec<(usize, usize)>, bool) {
    let mut aligner = Aligner {
        a,
        b,
        matches: Vec::new(),
        // Each word may be looked at by a few levels of anchoring and by one bounded Myers run.
        budget: 64 * (a.len() + b.len()) as u64 + 20_000_000,
        approximate: false,
    };
    let mut regions = vec![(0, a.len(), 0, b.len())];
    while let Some(region) = regions.pop() {
        aligner.region(region, &mut regions);
    }
    aligner.matches.sort_unstable();
    (aligner.matches, aligner.approximate)
}

type Region = (usize, usize, usize, usize);

struct Aligner<'a> {
    a: &'a [u32],
    b: &'a [u32],
    matches: Vec<(usize, usize)>,
    budget: u64,
    approximate: bool,
}

impl Aligner<'_> {
    fn region(&mut self, (mut a_lo, mut a_hi, mut b_lo, mut b_hi): Region, pending: &mut Vec<Region>) {
        while a_lo < a_hi && b_lo < b_hi && self.a[a_lo] == self.b[b_lo] {
            self.matches.push((a_lo, b_lo));
            a_lo += 1;
            b_lo += 1;
        }
        while a_lo < a_hi && b_lo < b_hi && self.a[a_hi - 1] == self.b[b_hi - 1] {
            a_hi -= 1;
            b_hi -= 1;
            self.matches.push((a_hi, b_hi));
        }
        if a_lo == a_hi || b_lo == b_hi {
            return;
        }
        let size = (a_hi - a_lo + b_hi - b_lo) as u64;
        if self.budget < size {
            self.approximate = true;
            return;
        }
        self.budget -= size;
        if size as usize > SMALL_REGION {
            let anchors = unique_anchors(&self.a[a_lo..a_hi], &self.b[b_lo..b_hi]);
            if !anchors.is_empty() {
                let (mut previous_a, mut previous_b) = (a_lo, b_lo);
                for (i, j) in anchors {
                    let (i, j) = (a_lo + i, b_lo + j);
                    self.matches.push((i, j));
                    pending.push((previous_a, i, previous_b, j));
                    (previous_a, previous_b) = (i + 1, j + 1);
                }
                pending.push((previous_a, a_hi, previous_b, b_hi));
                return;
            }
        }
        match myers(&self.a[a_lo..a_hi], &self.b[b_lo..b_hi], &mut self.budget) {
            Some(found) => self.matches.extend(found.into_iter().map(|(i, j)| (a_lo + i, b_lo + j))),
            None => self.approximate = true,
        }
    }
}

/// Words occurring exactly once in `a` and once in `b`, as (index in a, index in b), reduced to the longest chain
/// increasing in both.
fn unique_anchors(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    // Per key: occurrences in a, in b, and the index of the last one in each.
    let mut seen: HashMap<u32, (u32, u32, usize, usize)> = HashMap::new();
    for (index, &key) in a.iter().enumerate() {
        let entry = seen.entry(key).or_insert((0, 0, 0, 0));
        entry.0 += 1;
        entry.2 = index;
    }
    for (index, &key) in b.iter().enumerate() {
        if let Some(entry) = seen.get_mut(&key) {
            entry.1 += 1;
            entry.3 = index;
        }
    }
    let mut pairs: Vec<(usize, usize)> =
        seen.into_values().filter(|&(in_a, in_b, _, _)| in_a == 1 && in_b == 1).map(|(_, _, i, j)| (i, j)).collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// The longest subsequence of `pairs` (sorted by their first element) whose second elements increase: patience
/// sorting, O(n log n).
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: index into pairs of the smallest tail of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (index, &(_, j)) in pairs.iter().enumerate() {
        let position = tails.partition_point(|&tail| pairs[tail].1 < j);
        previous[index] = position.checked_sub(1).map(|before| tails[before]);
        if position == tails.len() {
            tails.push(index);
        } else {
            tails[position] = index;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut cursor = tails.last().copied();
    while let Some(index) = cursor {
        chain.push(pairs[index]);
        cursor = previous[index];
    }
    chain.reverse();
    chain
}

/// Myers' greedy shortest edit script, returning the matched pairs, or `None` when the edit distance exceeds
/// [`MAX_EDIT_DISTANCE`] or the budget runs out. Keeps the frontier of every step for the way back: O(D²) memory.
fn myers(a: &[u32], b: &[u32], budget: &mut u64) -> Option<Vec<(usize, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDIT_DISTANCE) as isize;
    let offset = max + 1;
    let mut frontier = vec![0isize; 2 * offset as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=max {
        let cost = (2 * d + 1) as u64;
        if *budget < cost {
            return None;
        }
        *budget -= cost;
        let mut k = -d;
        while k <= d {
            let index = (k + offset) as usize;
            let mut x = if k == -d || (k != d && frontier[index - 1] < frontier[index + 1]) {
                frontier[index + 1]
            } else {
                frontier[index - 1] + 1
            };
            let mut y = x - k;
            let start = x;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            *budget = budget.saturating_sub((x - start) as u64);
            frontier[index] = x;
            if x >= n && y >= m {
                trace.push(frontier[(offset - d) as usize..=(offset + d) as usize].to_vec());
                return Some(backtrack(&trace, n, m));
            }
            k += 2;
        }
        trace.push(frontier[(offset - d) as usize..=(offset + d) as usize].to_vec());
    }
    None
}

/// Walks the saved frontiers back from the end, collecting the diagonal moves (matches).
fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<(usize, usize)> {
    let mut matches = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..trace.len() as isize).rev() {
        let at = |row: &Vec<isize>, k: isize, d: isize| row[(k + d) as usize];
        let k = x - y;
        let (previous_x, previous_y) = if d == 0 {
            (0, 0)
        } else {
            let row = &trace[(d - 1) as usize];
            let previous_k =
                if k == -d || (k != d && at(row, k - 1, d - 1) < at(row, k + 1, d - 1)) { k + 1 } else { k - 1 };
            let previous_x = at(row, previous_k, d - 1);
            (previous_x, previous_x - previous_k)
        };
        // The snake: diagonal moves (matches) back to just after the previous step's edit.
        while x > previous_x && y > previous_y {
            x -= 1;
            y -= 1;
            matches.push((x as usize, y as usize));
        }
        (x, y) = (previous_x, previous_y);
    }
    matches.reverse();
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<u32> {
        text.bytes().map(u32::from).collect()
    }

    fn common(a: &str, b: &str) -> String {
        let (matches, approximate) = align(&keys(a), &keys(b));
        assert!(!approximate);
        for &(i, j) in &matches {
            assert_eq!(a.as_bytes()[i], b.as_bytes()[j]);
        }
        matches.iter().map(|&(i, _)| a.as_bytes()[i] as char).collect()
    }

    #[test]
    fn myers_finds_a_longest_common_subsequence() {
        assert_eq!(common("abcabba", "cbabac").len(), 4);
        assert_eq!(common("", "abc"), "");
        assert_eq!(common("abc", "abc"), "abc");
        assert_eq!(common("xaxbxc", "abc"), "abc");
        assert_eq!(common("kitten", "sitting"), "ittn");
    }

    #[test]
    fn longest_increasing_keeps_the_anchors_in_order() {
        assert_eq!(longest_increasing(&[(0, 3), (1, 0), (2, 1), (3, 2)]), [(1, 0), (2, 1), (3, 2)]);
        assert_eq!(longest_increasing(&[]), []);
    }

    #[test]
    fn two_long_unrelated_texts_cost_a_bounded_search() {
        let a: Vec<u32> = (0..200_000).map(|i| i % 7).collect();
        let b: Vec<u32> = (0..200_000).map(|i| 7 + i % 5).collect();
        let (matches, approximate) = align(&a, &b);
        assert!(matches.is_empty());
        assert!(approximate);
    }
}
