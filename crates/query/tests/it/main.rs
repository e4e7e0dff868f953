//! The integration tests of dossier-query: golden files of queries and their trees, and properties over
//! random input.

mod golden;
mod properties;
