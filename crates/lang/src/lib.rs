//! Language analysis for search: which language a text is in, how its words are folded and stemmed, and how a name
//! is written in other scripts.
