//! The index schema: which fields exist, how each is analysed, and the format version that names this layout.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bumped whenever the schema or the analysis changes in a way that needs a rebuild.
pub const FORMAT_VERSION: u32 = 3;

/// Tokenizer names registered with the index.
pub const STEM_TOKENIZER: &str = "dossier_stem";
pub const WORD_TOKENIZER: &str = "dossier_word";

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The catalog's document id (used to replace a document: all its parts go with it).
    pub id: Field,
    /// Which part of a long text an index document holds: 0 for the document itself (every field, the text's
    /// beginning), 1, 2, ... for the rest of its text (with the same fields for filters, but never counted, ranked or
    /// shown on their own; see `search.rs`).
    pub part: Field,
    /// 1 on the parts after the first: how a search tells cheaply whether the index holds any.
    pub continued: Field,
    pub parent_id: Field,
    pub collection: Field,
    /// The display path (`mail.eml!/letters.zip!/letter.docx`): stored, and searchable word by word with `path:`.
    pub path: Field,
    pub title: Field,
    /// The title and the text, stemmed per paragraph language (unquoted words).
    pub title_stem: Field,
    pub text_stem: Field,
    /// The title and the text, folded but not stemmed (phrases, prefixes, fuzzy words, transliterations).
    pub title_exact: Field,
    pub text_exact: Field,
    /// The text as extracted, stored for snippets.
    pub text: Field,
    pub author: Field,
    pub from: Field,
    pub to: Field,
    /// Format short name and media type (`pdf`, `application/pdf`), for `type:`.
    pub format: Field,
    pub lang: Field,
    pub ext: Field,
    pub state: Field,
    /// The domain of the sender's address, for the mail facet.
    pub sender_domain: Field,
    /// The document's own date (sent, created or modified), seconds since the epoch.
    pub date: Field,
    pub year: Field,
    /// What the analysis found in the text, in normal form (word by word): `person:`, `org:`, `loc:`, `inn:`,
    /// `phone:` (E.164 digits), `email:`.
    pub person: Field,
    pub org: Field,
    pub loc: Field,
    pub inn: Field,
    pub phone: Field,
    pub email: Field,
    /// The same names whole, for the facets of people, organisations and places.
    pub person_facet: Field,
    pub org_facet: Field,
    pub loc_facet: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = |tokenizer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored { options.set_stored() } else { options }
    };
    let keyword = STRING | STORED | FAST;
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | STORED | FAST),
        part: builder.add_u64_field("part", INDEXED | STORED),
        continued: builder.add_u64_field("continued", INDEXED),
        parent_id: builder.add_u64_field("parent_id", STORED),
        collection: builder.add_text_field("collection", keyword.clone()),
        path: builder.add_text_field("path", analysed(WORD_TOKENIZER, true)),
        title: builder.add_text_field("title", TextOptions::default().set_stored()),
        title_stem: builder.add_text_field("title_stem", analysed(STEM_TOKENIZER, false)),
        text_stem: builder.add_text_field("text_stem", analysed(STEM_TOKENIZER, false)),
        title_exact: builder.add_text_field("title_exact", analysed(WORD_TOKENIZER, false)),
        text_exact: builder.add_text_field("text_exact", analysed(WORD_TOKENIZER, false)),
        text: builder.add_text_field("text", TextOptions::default().set_stored()),
        author: builder.add_text_field("author", analysed(WORD_TOKENIZER, true)),
        from: builder.add_text_field("from", analysed(WORD_TOKENIZER, true)),
        to: builder.add_text_field("to", analysed(WORD_TOKENIZER, true)),
        format: builder.add_text_field("format", keyword.clone()),
        lang: builder.add_text_field("lang", keyword.clone()),
        ext: builder.add_text_field("ext", keyword.clone()),
        state: builder.add_text_field("state", keyword.clone()),
        sender_domain: builder.add_text_field("sender_domain", keyword.clone()),
        date: builder.add_i64_field("date", INDEXED | STORED | FAST),
        year: builder.add_u64_field("year", FAST),
        person: builder.add_text_field("person", analysed(WORD_TOKENIZER, false)),
        org: builder.add_text_field("org", analysed(WORD_TOKENIZER, false)),
        loc: builder.add_text_field("loc", analysed(WORD_TOKENIZER, false)),
        inn: builder.add_text_field("inn", analysed(WORD_TOKENIZER, false)),
        phone: builder.add_text_field("phone", analysed(WORD_TOKENIZER, false)),
        email: builder.add_text_field("email", analysed(WORD_TOKENIZER, false)),
        person_facet: builder.add_text_field("person_facet", keyword.clone()),
        org_facet: builder.add_text_field("org_facet", keyword.clone()),
        loc_facet: builder.add_text_field("loc_facet", keyword),
    };
    (builder.build(), fields)
}
