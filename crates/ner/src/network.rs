//! The slovnet NER network over a window of tokens: word vector (navec, 300) ‖ shape vector (30), three
//! convolutions (kernel 3, zero padding 1) each followed by ReLU and batch normalisation, then a linear projection to
//! one score per tag (the CRF's emissions).
//!
//! natasha runs the network over a whole text at once. Here a long text goes through in windows: each window is a
//! block of tokens plus `CONTEXT` tokens on each side, and only the block's emissions are kept. Three layers of
//! kernel 3 see three tokens each way, so a block's emissions are exactly those of the whole text, while the
//! buffers stay a few hundred kilobytes whatever the text's length.

use crate::Model;
use crate::model::ConvLayer;

/// Tokens of context each side of a block: one per convolution.
pub(crate) const CONTEXT: usize = 3;

/// One token as the network reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Encoded {
    pub(crate) word: u32,
    pub(crate) shape: u32,
}

/// Reusable buffers, sized for the largest window seen.
#[derive(Default)]
pub(crate) struct Scratch {
    input: Vec<f32>,
    taps: Vec<f32>,
    output: Vec<f32>,
    pub(crate) emissions: Vec<f32>,
}

/// Emissions (`tags` floats per token) of `window[core]`, into `scratch.emissions`. The window's ends are treated as
/// the text's ends (zero padding), so `core` must be `CONTEXT` tokens from each end that is not the text's end.
pub(crate) fn emissions(model: &Model, window: &[Encoded], core: std::ops::Range<usize>, scratch: &mut Scratch) {
    let rows = window.len();
    let navec = &model.navec;
    let word_dim = navec.qdim * navec.chunk;
    let width = word_dim + model.shape_dim;
    scratch.input.clear();
    scratch.input.resize(rows * width, 0.0);
    for (row, token) in window.iter().enumerate() {
        let out = &mut scratch.input[row * width..(row + 1) * width];
        let indexes = &navec.indexes[token.word as usize * navec.qdim..][..navec.qdim];
        for (part, &centroid) in indexes.iter().enumerate() {
            let code = (part * navec.centroids + usize::from(centroid)) * navec.chunk;
            out[part * navec.chunk..][..navec.chunk].copy_from_slice(&navec.codes[code..code + navec.chunk]);
        }
        let shape = token.shape as usize * model.shape_dim;
        out[word_dim..].copy_from_slice(&model.shape_embedding[shape..shape + model.shape_dim]);
    }

    let mut features = std::mem::take(&mut scratch.input);
    for layer in &model.layers {
        convolve(layer, &features, rows, &mut scratch.taps, &mut scratch.output);
        std::mem::swap(&mut features, &mut scratch.output);
    }

    let tags = model.proj_bias.len();
    let width = model.layers.last().map_or(width, |layer| layer.output);
    let core_rows = core.len();
    scratch.emissions.clear();
    scratch.emissions.resize(core_rows * tags, 0.0);
    for emission in scratch.emissions.chunks_exact_mut(tags) {
        emission.copy_from_slice(&model.proj_bias);
    }
    gemm(
        core_rows,
        width,
        tags,
        &features[core.start * width..core.end * width],
        &model.proj,
        &mut scratch.emissions,
        1.0,
    );
    scratch.input = features;
}

/// One convolution with ReLU and batch normalisation: `input` is `rows × layer.input`, the result `rows ×
/// layer.output` in `output`.
fn convolve(layer: &ConvLayer, input: &[f32], rows: usize, taps: &mut Vec<f32>, output: &mut Vec<f32>) {
    let width = layer.output;
    taps.clear();
    taps.resize(rows * 3 * width, 0.0);
    gemm(rows, layer.input, 3 * width, input, &layer.taps, taps, 0.0);
    output.clear();
    output.resize(rows * width, 0.0);
    for row in 0..rows {
        let out = &mut output[row * width..(row + 1) * width];
        out.copy_from_slice(&layer.bias);
        // Zero padding: the first row has no left neighbour, the last no right one.
        if row > 0 {
            add(out, &taps[(row - 1) * 3 * width..][..width]);
        }
        add(out, &taps[row * 3 * width + width..][..width]);
        if row + 1 < rows {
            add(out, &taps[(row + 1) * 3 * width + 2 * width..][..width]);
        }
        for (channel, value) in out.iter_mut().enumerate() {
            let relu = value.max(0.0);
            *value = (relu - layer.norm_mean[channel]) / layer.norm_std[channel] * layer.norm_weight[channel]
                + layer.norm_bias[channel];
        }
    }
}

fn add(out: &mut [f32], values: &[f32]) {
    for (out, value) in out.iter_mut().zip(values) {
        *out += value;
    }
}

/// `c = beta·c + a·b` for row-major `a` (m × k), `b` (k × n), `c` (m × n).
fn gemm(m: usize, k: usize, n: usize, a: &[f32], b: &[f32], c: &mut [f32], beta: f32) {
    assert!(a.len() >= m * k && b.len() >= k * n && c.len() >= m * n, "matrix sizes checked by the caller");
    // SAFETY: the asserts above keep every access matrixmultiply makes (rows and columns within m, k, n at the
    // given row-major strides) inside the three slices.
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            k as isize,
            1,
            b.as_ptr(),
            n as isize,
            1,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}
