//! The search index over the catalog's documents.
