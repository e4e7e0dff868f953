//! Single-precision matrix products for the convolutions: a window of tokens (a few hundred rows) times a constant
//! weight matrix, packed once when the model loads.
//!
//! Our own, rather than a GEMM crate, because of memory: a general GEMM packs both operands into buffers it
//! allocates on every call, and those megabyte allocations interleaved with the entities' small strings made glibc's
//! heap grow with the text (240 MB of resident memory for a 2 MB text). Here the weights are packed once into
//! 16-column panels and the window is read in place, so a product allocates nothing. The kernel is plain Rust that
//! the compiler vectorises; on x86-64 it is compiled a second time for AVX2 and FMA and chosen at run time.

/// Columns per panel: two AVX registers of eight floats.
const PANEL: usize = 16;
/// Rows computed together: with two registers per row, eight accumulators stay in registers.
const ROWS: usize = 4;

/// A `k × n` matrix in panels of `PANEL` columns (the last one padded with zeros): panel `p` holds, for each of
/// the `k` rows, its columns `p·PANEL..(p+1)·PANEL` side by side.
pub(crate) struct Packed {
    k: usize,
    n: usize,
    data: Vec<f32>,
}

impl Packed {
    /// Packs the row-major `k × n` matrix `b`.
    pub(crate) fn new(k: usize, n: usize, b: &[f32]) -> Packed {
        let panels = n.div_ceil(PANEL);
        let mut data = vec![0.0; panels * k * PANEL];
        for panel in 0..panels {
            for row in 0..k {
                for column in 0..PANEL.min(n - panel * PANEL) {
                    data[(panel * k + row) * PANEL + column] = b[row * n + panel * PANEL + column];
                }
            }
        }
        Packed { k, n, data }
    }
}

/// `c = a · b` for row-major `a` (`m × b.k`) and `c` (`m × b.n`).
pub(crate) fn multiply(a: &[f32], m: usize, b: &Packed, c: &mut [f32]) {
    assert!(a.len() >= m * b.k && c.len() >= m * b.n, "matrix sizes checked by the caller");
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has the features the function is compiled for.
        unsafe { multiply_avx2_fma(a, m, b, c) };
        return;
    }
    multiply_with::<false>(a, m, b, c);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn multiply_avx2_fma(a: &[f32], m: usize, b: &Packed, c: &mut [f32]) {
    let k = b.k;
    for (panel_index, panel) in b.data.chunks_exact(k * PANEL).enumerate() {
        let first_column = panel_index * PANEL;
        let columns = PANEL.min(b.n - first_column);
        let mut row = 0;
        while row + AVX_ROWS <= m {
            let rows: [&[f32]; AVX_ROWS] = std::array::from_fn(|r| &a[(row + r) * k..(row + r + 1) * k]);
            // SAFETY: the CPU has AVX2 and FMA (this function's own requirement); every row is `k` floats and the
            // panel `k · PANEL`.
            let sums = unsafe { block_avx2_fma(rows, panel) };
            for (r, sums) in sums.iter().enumerate() {
                c[(row + r) * b.n + first_column..][..columns].copy_from_slice(&sums[..columns]);
            }
            row += AVX_ROWS;
        }
        while row < m {
            block::<1, true>(a, row, k, panel, c, b.n, first_column, columns);
            row += 1;
        }
    }
}

/// Rows per block in the AVX2 kernel: two registers per row, twelve accumulators, three registers left for the
/// panel's two halves and the broadcast value.
#[cfg(target_arch = "x86_64")]
const AVX_ROWS: usize = 6;

/// `rows · panel` for six rows of `k` floats and a `k × PANEL` panel.
///
/// # Safety
/// The CPU must have AVX2 and FMA; each row must hold `panel.len() / PANEL` floats.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn block_avx2_fma(rows: [&[f32]; AVX_ROWS], panel: &[f32]) -> [[f32; PANEL]; AVX_ROWS] {
    use std::arch::x86_64::{_mm256_fmadd_ps, _mm256_loadu_ps, _mm256_set1_ps, _mm256_setzero_ps, _mm256_storeu_ps};
    let depth = panel.len() / PANEL;
    debug_assert!(rows.iter().all(|row| row.len() >= depth));
    let mut low = [_mm256_setzero_ps(); AVX_ROWS];
    let mut high = [_mm256_setzero_ps(); AVX_ROWS];
    let weights = panel.as_ptr();
    for d in 0..depth {
        // SAFETY: `d · PANEL + 16 <= panel.len()`, and every row holds at least `depth` floats (the caller's
        // promise).
        unsafe {
            let w_low = _mm256_loadu_ps(weights.add(d * PANEL));
            let w_high = _mm256_loadu_ps(weights.add(d * PANEL + 8));
            for r in 0..AVX_ROWS {
                let x = _mm256_set1_ps(*rows[r].get_unchecked(d));
                low[r] = _mm256_fmadd_ps(x, w_low, low[r]);
                high[r] = _mm256_fmadd_ps(x, w_high, high[r]);
            }
        }
    }
    let mut sums = [[0.0f32; PANEL]; AVX_ROWS];
    for r in 0..AVX_ROWS {
        // SAFETY: each row of `sums` holds 16 floats.
        unsafe {
            _mm256_storeu_ps(sums[r].as_mut_ptr(), low[r]);
            _mm256_storeu_ps(sums[r].as_mut_ptr().add(8), high[r]);
        }
    }
    sums
}

/// The portable product (and the AVX2 path's leftover rows): plain loops the compiler vectorises as it can.
#[inline(always)]
fn multiply_with<const FMA: bool>(a: &[f32], m: usize, b: &Packed, c: &mut [f32]) {
    let k = b.k;
    // Panel by panel, so that the panel (k × 16 floats: 21 KB at most here) stays in the L1 cache while every
    // block of rows passes.
    for (panel_index, panel) in b.data.chunks_exact(k * PANEL).enumerate() {
        let first_column = panel_index * PANEL;
        let columns = PANEL.min(b.n - first_column);
        let mut row = 0;
        while row + ROWS <= m {
            block::<ROWS, FMA>(a, row, k, panel, c, b.n, first_column, columns);
            row += ROWS;
        }
        while row < m {
            block::<1, FMA>(a, row, k, panel, c, b.n, first_column, columns);
            row += 1;
        }
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn block<const R: usize, const FMA: bool>(
    a: &[f32],
    row: usize,
    k: usize,
    panel: &[f32],
    c: &mut [f32],
    n: usize,
    first_column: usize,
    columns: usize,
) {
    let rows: [&[f32]; R] = std::array::from_fn(|r| &a[(row + r) * k..(row + r + 1) * k]);
    let mut sums = [[0.0f32; PANEL]; R];
    for (depth, weights) in panel.chunks_exact(PANEL).enumerate() {
        let weights: &[f32; PANEL] = weights.try_into().expect("chunks_exact gives PANEL floats");
        let xs: [f32; R] = std::array::from_fn(|r| rows[r][depth]);
        for (sums, x) in sums.iter_mut().zip(xs) {
            for (sum, weight) in sums.iter_mut().zip(weights) {
                *sum = if FMA { x.mul_add(*weight, *sum) } else { *sum + x * weight };
            }
        }
    }
    for r in 0..R {
        c[(row + r) * n + first_column..][..columns].copy_from_slice(&sums[r][..columns]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_match_the_textbook_loop() {
        for (m, k, n) in [(1, 1, 1), (5, 7, 3), (9, 33, 40), (262, 330, 48)] {
            let a: Vec<f32> = (0..m * k).map(|i| ((i * 7 % 13) as f32 - 6.0) / 4.0).collect();
            let b: Vec<f32> = (0..k * n).map(|i| ((i * 5 % 11) as f32 - 5.0) / 8.0).collect();
            let mut c = vec![f32::NAN; m * n];
            multiply(&a, m, &Packed::new(k, n, &b), &mut c);
            for row in 0..m {
                for column in 0..n {
                    let expected: f32 = (0..k).map(|d| a[row * k + d] * b[d * n + column]).sum();
                    assert_eq!(c[row * n + column], expected, "{m}×{k}×{n} at {row},{column}");
                }
            }
        }
    }
}
