//! The slovnet NER network over a window of tokens: word vector (navec, 300) ‖ shape vector (30), three
//! convolutions (kernel 3, zero padding 1) each followed by ReLU and batch normalisation, then a linear projection to
//! one score per tag (the CRF's emissions).
//!
//! natasha runs the network over a whole text at once. Here a long text goes through in windows: each window is a
//! block of tokens plus `CONTEXT` tokens on each side, and only the block's emissions are kept. Three layers of
//! kernel 3 see three tokens each way, so a block's emissions are exactly those of the whole text, while the
//! buffers stay a few hundred kilobytes whatever the text's length.

use crate::Model;
use crate::gemm;
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
        // Element by element: `copy_from_slice` of three floats is a call to memcpy, 100 per token.
        for ((part, &centroid), out) in indexes.iter().enumerate().zip(out.chunks_exact_mut(navec.chunk)) {
            let code = (part * navec.centroids + usize::from(centroid)) * navec.chunk;
            for (out, &value) in out.iter_mut().zip(&navec.codes[code..code + navec.chunk]) {
                *out = value;
            }
        }
        let shape = token.shape as usize * model.shape_dim;
        out[word_dim..].copy_from_slice(&model.shape_embedding[shape..shape + model.shape_dim]);
    }

    let mut features = std::mem::take(&mut scratch.input);
    for layer in &model.layers {
        convolve(layer, &features, rows, &mut scratch.taps, &mut scratch.output);
        std::mem::swap(&mut features, &mut scratch.output);
    }

    // The projection to the tags is small (64 × 8 per token): a plain loop.
    let tags = model.proj_bias.len();
    let width = model.layers.last().map_or(width, |layer| layer.output);
    scratch.emissions.clear();
    for row in core {
        let start = scratch.emissions.len();
        scratch.emissions.extend_from_slice(&model.proj_bias);
        let emission = &mut scratch.emissions[start..];
        for (feature, weights) in features[row * width..(row + 1) * width].iter().zip(model.proj.chunks_exact(tags)) {
            for (score, weight) in emission.iter_mut().zip(weights) {
                *score += feature * weight;
            }
        }
    }
    scratch.input = features;
}

/// One convolution with ReLU and batch normalisation: `input` is `rows × layer.input`, the result `rows ×
/// layer.output` in `output`.
fn convolve(layer: &ConvLayer, input: &[f32], rows: usize, taps: &mut Vec<f32>, output: &mut Vec<f32>) {
    let width = layer.output;
    taps.clear();
    taps.resize(rows * 3 * width, 0.0);
    gemm::multiply(input, rows, &layer.taps, taps);
    output.clear();
    output.resize(rows * width, 0.0);
    for row in 0..rows {
        let out = &mut output[row * width..(row + 1) * width];
        let own = &taps[row * 3 * width + width..][..width];
        for ((out, bias), own) in out.iter_mut().zip(&layer.bias).zip(own) {
            *out = bias + own;
        }
        // Zero padding: the first row has no left neighbour, the last no right one.
        if row > 0 {
            add(out, &taps[(row - 1) * 3 * width..][..width]);
        }
        if row + 1 < rows {
            add(out, &taps[(row + 1) * 3 * width + 2 * width..][..width]);
        }
        // ReLU, then batch normalisation in slovnet's order of operations: (x - mean) / std * weight + bias.
        let norm = layer.norm_mean.iter().zip(&layer.norm_std).zip(layer.norm_weight.iter().zip(&layer.norm_bias));
        for (value, ((mean, std), (weight, bias))) in out.iter_mut().zip(norm) {
            *value = (value.max(0.0) - mean) / std * weight + bias;
        }
    }
}

fn add(out: &mut [f32], values: &[f32]) {
    for (out, value) in out.iter_mut().zip(values) {
        *out += value;
    }
}
