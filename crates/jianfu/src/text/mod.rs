//! Text: normalisation, the lexicon that finds facts in free text, document review, and its
//! evaluation on labelled clauses.

pub mod eval;
mod json;
mod lexicon;
mod normalize;
mod review;
mod trie;

pub use json::FindingsJson;
pub use lexicon::{FactSet, Hit, Lexicon, ScanCtx, Sentence};
pub use review::{Clause, PART_BYTES, Review, ReviewFinding};
