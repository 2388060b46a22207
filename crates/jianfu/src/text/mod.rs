//! Text: the lexicon that finds facts in free text, and document review.

mod lexicon;
mod review;

pub use lexicon::{FactSet, Hit, Lexicon, Sentence};
pub use review::{Clause, Review, ReviewFinding};
