//! Loading the model folder: navec's quantised word vectors and vocabulary, and slovnet's network described by its
//! `model.json` (each weight a raw little-endian float32 array in `arrays/<id>.bin`) with its shape and tag
//! vocabularies. Everything is checked as it is read (sizes, the embedding id, every shape and tag the code needs), so
//! that a model that loads cannot make tagging fail or index out of bounds. The folder layout is in the README.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::NerError;
use crate::gemm::Packed;
use crate::shape::{Shape, all_shapes};
use crate::vocabulary::{Vocabulary, python_lines};
use crate::{Kind, Model};

/// The only layout of `model.json` and `meta.json` this code reads (slovnet's "protocol").
const PROTOCOL: u64 = 1;

#[derive(Deserialize)]
struct Meta {
    id: String,
    protocol: u64,
}

#[derive(Deserialize)]
struct WeightJson {
    shape: Vec<usize>,
    dtype: String,
    #[serde(default)]
    array: Option<u64>,
}

#[derive(Deserialize)]
struct ModelJson {
    emb: EmbJson,
    encoder: EncoderJson,
    head: HeadJson,
}

#[derive(Deserialize)]
struct EmbJson {
    word: NavecJson,
    shape: EmbeddingJson,
}

#[derive(Deserialize)]
struct NavecJson {
    id: String,
}

#[derive(Deserialize)]
struct EmbeddingJson {
    weight: WeightJson,
}

#[derive(Deserialize)]
struct EncoderJson {
    layers: Vec<LayerJson>,
}

#[derive(Deserialize)]
struct LayerJson {
    conv: ConvJson,
    norm: NormJson,
}

#[derive(Deserialize)]
struct ConvJson {
    weight: WeightJson,
    bias: WeightJson,
    padding: usize,
}

#[derive(Deserialize)]
struct NormJson {
    weight: WeightJson,
    bias: WeightJson,
    mean: WeightJson,
    std: WeightJson,
}

#[derive(Deserialize)]
struct HeadJson {
    proj: LinearJson,
    crf: CrfJson,
}

#[derive(Deserialize)]
struct LinearJson {
    weight: WeightJson,
    bias: WeightJson,
}

#[derive(Deserialize)]
struct CrfJson {
    transitions: WeightJson,
}

/// Navec's product-quantised vectors: a word's vector is the concatenation, over `qdim` parts, of the centroid its
/// index names in that part.
pub(crate) struct Navec {
    pub(crate) qdim: usize,
    /// Floats per part.
    pub(crate) chunk: usize,
    pub(crate) centroids: usize,
    /// `words × qdim` centroid numbers.
    pub(crate) indexes: Vec<u8>,
    /// `qdim × centroids × chunk` floats.
    pub(crate) codes: Vec<f32>,
}

/// One convolution (kernel 3, padding 1) followed by ReLU and batch normalisation with stored statistics.
pub(crate) struct ConvLayer {
    pub(crate) output: usize,
    /// `input × 3·output`: column block k holds the kernel's k-th tap, so one matrix product gives every tap of
    /// every position and each output adds its left neighbour's tap 0, its own tap 1 and its right neighbour's tap 2.
    pub(crate) taps: Packed,
    pub(crate) bias: Vec<f32>,
    pub(crate) norm_weight: Vec<f32>,
    pub(crate) norm_bias: Vec<f32>,
    pub(crate) norm_mean: Vec<f32>,
    pub(crate) norm_std: Vec<f32>,
}

/// A tag of the BIO scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// `<pad>`: never predicted in practice; slovnet's span decoder ignores it, and so do we.
    Pad,
    Outside,
    Begin(Kind),
    Inside,
}

pub(crate) fn load(dir: &Path) -> Result<Model, NerError> {
    if !dir.is_dir() {
        return Err(NerError::NotFound { looked: dir.display().to_string() });
    }
    let slovnet = dir.join("slovnet");
    let navec_dir = dir.join("navec");

    let meta_path = slovnet.join("meta.json");
    let meta: Meta = read_json(&meta_path)?;
    check_protocol(&meta_path, &meta)?;
    let model_path = slovnet.join("model.json");
    let json: ModelJson = read_json(&model_path)?;

    let navec_meta_path = navec_dir.join("meta.json");
    let navec_meta: Meta = read_json(&navec_meta_path)?;
    check_protocol(&navec_meta_path, &navec_meta)?;
    if navec_meta.id != json.emb.word.id {
        let reason =
            format!("the network expects the embedding {:?}, this one is {:?}", json.emb.word.id, navec_meta.id);
        return Err(NerError::corrupt(navec_meta_path, reason));
    }

    let words = load_words(&navec_dir.join("vocab.bin"))?;
    let unk_id = words.get("<unk>").ok_or_else(|| NerError::corrupt(navec_dir.join("vocab.bin"), "no <unk>"))?;
    let navec = load_navec(&navec_dir.join("pq.bin"), words.len())?;

    let shape_vocab_path = slovnet.join("vocabs/shape.gz");
    let shape_names = read_lines(&shape_vocab_path)?;
    let mut shape_ids = Vec::new();
    for shape in all_shapes() {
        let name = shape.name();
        let Some(id) = shape_names.iter().position(|known| *known == name) else {
            return Err(NerError::corrupt(shape_vocab_path, format!("no shape {name}")));
        };
        shape_ids.push(id as u32);
    }
    debug_assert!(all_shapes().iter().enumerate().all(|(index, shape)| shape.index() == index));

    let shape_weight = &json.emb.shape.weight;
    let shape_embedding = read_array(&slovnet, shape_weight, 2)?;
    let (shape_rows, shape_dim) = (shape_weight.shape[0], shape_weight.shape[1]);
    if shape_rows != shape_names.len() {
        let reason = format!("{shape_rows} shape vectors for {} shapes", shape_names.len());
        return Err(NerError::corrupt(array_path(&slovnet, shape_weight), reason));
    }

    let mut layers = Vec::new();
    let mut width = navec.qdim * navec.chunk + shape_dim;
    for layer in &json.encoder.layers {
        let conv = load_conv(&slovnet, layer, width)?;
        width = conv.output;
        layers.push(conv);
    }
    if layers.is_empty() {
        return Err(NerError::corrupt(model_path, "the encoder has no layers"));
    }

    let proj = read_array(&slovnet, &json.head.proj.weight, 2)?;
    let (proj_in, tag_count) = (json.head.proj.weight.shape[0], json.head.proj.weight.shape[1]);
    if proj_in != width {
        let reason = format!("the projection takes {proj_in} features, the encoder gives {width}");
        return Err(NerError::corrupt(array_path(&slovnet, &json.head.proj.weight), reason));
    }
    let proj_bias = read_vector(&slovnet, &json.head.proj.bias, tag_count)?;
    let transitions = read_array(&slovnet, &json.head.crf.transitions, 2)?;
    if json.head.crf.transitions.shape != [tag_count, tag_count] {
        let reason = format!("transitions are not {tag_count} × {tag_count}");
        return Err(NerError::corrupt(array_path(&slovnet, &json.head.crf.transitions), reason));
    }

    let tag_vocab_path = slovnet.join("vocabs/tag.gz");
    if tag_count == 0 || tag_count > 256 {
        return Err(NerError::corrupt(model_path, format!("{tag_count} tags; this code handles 1 to 256")));
    }
    let tag_names = read_lines(&tag_vocab_path)?;
    if tag_names.len() != tag_count {
        let reason = format!("{} tags for {tag_count} network outputs", tag_names.len());
        return Err(NerError::corrupt(tag_vocab_path, reason));
    }
    let tags = tag_names
        .iter()
        .map(|name| parse_tag(name).ok_or_else(|| NerError::corrupt(&tag_vocab_path, format!("unknown tag {name}"))))
        .collect::<Result<Vec<Tag>, NerError>>()?;

    Ok(Model {
        words,
        unk_id,
        navec,
        shape_ids,
        shape_embedding,
        shape_dim,
        layers,
        proj,
        proj_bias,
        transitions,
        tags,
    })
}

fn check_protocol(path: &Path, meta: &Meta) -> Result<(), NerError> {
    if meta.protocol != PROTOCOL {
        let reason = format!("protocol {} of {:?}; this code reads protocol {PROTOCOL}", meta.protocol, meta.id);
        return Err(NerError::corrupt(path, reason));
    }
    Ok(())
}

fn parse_tag(name: &str) -> Option<Tag> {
    let kind = |code: &str| match code {
        "PER" => Some(Kind::Person),
        "ORG" => Some(Kind::Organization),
        "LOC" => Some(Kind::Location),
        _ => None,
    };
    match name.split_once('-') {
        Some(("B", code)) => kind(code).map(Tag::Begin),
        Some(("I", code)) => kind(code).map(|_| Tag::Inside),
        None if name == "O" => Some(Tag::Outside),
        None if name == "<pad>" => Some(Tag::Pad),
        _ => None,
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, NerError> {
    std::fs::read(path).map_err(|source| NerError::Io { path: path.to_path_buf(), source })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, NerError> {
    let bytes = read_file(path)?;
    serde_json::from_slice(&bytes).map_err(|error| NerError::corrupt(path, error.to_string()))
}

fn gunzip(path: &Path) -> Result<Vec<u8>, NerError> {
    let compressed = read_file(path)?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .read_to_end(&mut bytes)
        .map_err(|error| NerError::corrupt(path, format!("not gzip: {error}")))?;
    Ok(bytes)
}

/// A gzip-compressed UTF-8 list, one entry a line (slovnet's vocabularies).
fn read_lines(path: &Path) -> Result<Vec<String>, NerError> {
    let text = String::from_utf8(gunzip(path)?).map_err(|_| NerError::corrupt(path, "not UTF-8"))?;
    Ok(python_lines(&text).into_iter().map(|(start, end)| text[start..end].to_string()).collect())
}

/// navec's `vocab.bin`: gzip of a little-endian u32 count, that many u32 word counts, then the words, one a line.
fn load_words(path: &Path) -> Result<Vocabulary, NerError> {
    let bytes = gunzip(path)?;
    let count = bytes.get(..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let Some(count) = count else { return Err(NerError::corrupt(path, "no word count")) };
    let words_start = count.checked_mul(4).and_then(|n| n.checked_add(4)).filter(|&n| n <= bytes.len());
    let Some(words_start) = words_start else { return Err(NerError::corrupt(path, "shorter than its word count")) };
    let text = String::from_utf8(bytes[words_start..].to_vec()).map_err(|_| NerError::corrupt(path, "not UTF-8"))?;
    if u32::try_from(text.len()).is_err() {
        return Err(NerError::corrupt(path, "over 4 GB of words"));
    }
    let ranges: Vec<(u32, u32)> =
        python_lines(&text).into_iter().map(|(start, end)| (start as u32, end as u32)).collect();
    if ranges.len() != count {
        return Err(NerError::corrupt(path, format!("{} words for a count of {count}", ranges.len())));
    }
    Ok(Vocabulary::new(text, ranges))
}

/// navec's `pq.bin`: u32 vectors, dim, qdim, centroids; u8 indexes (vectors × qdim); f32 codes
/// (qdim × centroids × dim/qdim); little-endian.
fn load_navec(path: &Path, words: usize) -> Result<Navec, NerError> {
    let bytes = read_file(path)?;
    let header: Vec<usize> =
        bytes.chunks_exact(4).take(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize).collect();
    let [vectors, dim, qdim, centroids] = header[..] else { return Err(NerError::corrupt(path, "no header")) };
    if vectors != words {
        return Err(NerError::corrupt(path, format!("{vectors} vectors for {words} words")));
    }
    if qdim == 0 || dim % qdim != 0 || centroids == 0 || centroids > 256 {
        return Err(NerError::corrupt(path, format!("dim {dim}, qdim {qdim}, centroids {centroids}")));
    }
    let chunk = dim / qdim;
    let indexes_end = 16 + vectors * qdim;
    let codes_len = qdim * centroids * chunk;
    if bytes.len() != indexes_end + codes_len * 4 {
        let expected = indexes_end + codes_len * 4;
        return Err(NerError::corrupt(path, format!("{} bytes, expected {expected}", bytes.len())));
    }
    let codes = floats(&bytes[indexes_end..]);
    // The indexes are most of the file: keep them in the buffer they were read into rather than copy 25 MB.
    let mut indexes = bytes;
    indexes.truncate(indexes_end);
    indexes.drain(..16);
    if indexes.iter().any(|&index| usize::from(index) >= centroids) {
        return Err(NerError::corrupt(path, format!("a centroid number beyond {centroids}")));
    }
    Ok(Navec { qdim, chunk, centroids, indexes, codes })
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

fn array_path(dir: &Path, weight: &WeightJson) -> PathBuf {
    dir.join(format!("arrays/{}.bin", weight.array.unwrap_or(u64::MAX)))
}

/// The float32 array a weight names, checked to have `dims` dimensions and exactly the bytes its shape needs.
fn read_array(dir: &Path, weight: &WeightJson, dims: usize) -> Result<Vec<f32>, NerError> {
    let path = array_path(dir, weight);
    if weight.array.is_none() {
        return Err(NerError::corrupt(dir.join("model.json"), "a weight names no array"));
    }
    if weight.dtype != "float32" || weight.shape.len() != dims {
        let reason = format!(
            "expected a {dims}-dimensional float32 array, model.json says {:?} {:?}",
            weight.dtype, weight.shape
        );
        return Err(NerError::corrupt(path, reason));
    }
    let bytes = read_file(&path)?;
    let expected = weight.shape.iter().product::<usize>() * 4;
    if bytes.len() != expected {
        return Err(NerError::corrupt(path, format!("{} bytes, expected {expected}", bytes.len())));
    }
    Ok(floats(&bytes))
}

fn read_vector(dir: &Path, weight: &WeightJson, length: usize) -> Result<Vec<f32>, NerError> {
    let vector = read_array(dir, weight, 1)?;
    if vector.len() != length {
        let reason = format!("{} values, expected {length}", vector.len());
        return Err(NerError::corrupt(array_path(dir, weight), reason));
    }
    Ok(vector)
}

fn load_conv(dir: &Path, layer: &LayerJson, input: usize) -> Result<ConvLayer, NerError> {
    let weight = read_array(dir, &layer.conv.weight, 3)?;
    let [output, weight_input, kernel] = layer.conv.weight.shape[..] else {
        return Err(NerError::corrupt(array_path(dir, &layer.conv.weight), "not three-dimensional"));
    };
    if weight_input != input || kernel != 3 || layer.conv.padding != 1 {
        let reason = format!(
            "a convolution of {weight_input} inputs, kernel {kernel}, padding {}; this code runs kernel 3, padding 1 on {input} inputs",
            layer.conv.padding
        );
        return Err(NerError::corrupt(array_path(dir, &layer.conv.weight), reason));
    }
    let mut taps = vec![0.0; input * 3 * output];
    for o in 0..output {
        for i in 0..input {
            for k in 0..3 {
                taps[i * 3 * output + k * output + o] = weight[(o * input + i) * 3 + k];
            }
        }
    }
    Ok(ConvLayer {
        output,
        taps: Packed::new(input, 3 * output, &taps),
        bias: read_vector(dir, &layer.conv.bias, output)?,
        norm_weight: read_vector(dir, &layer.norm.weight, output)?,
        norm_bias: read_vector(dir, &layer.norm.bias, output)?,
        norm_mean: read_vector(dir, &layer.norm.mean, output)?,
        norm_std: read_vector(dir, &layer.norm.std, output)?,
    })
}

/// The id a shape has in the model's vocabulary.
pub(crate) fn shape_id(model: &Model, shape: Shape) -> u32 {
    model.shape_ids[shape.index()]
}
