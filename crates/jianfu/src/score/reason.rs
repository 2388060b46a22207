//! Why a row of a schools or events table does not read: one wording for every reader (the
//! CSV and JSON readers here, the Python binding's Arrow columns, the WASM binding's typed
//! columns), so the same bad cell gets the same message whichever way it came in.

/// What an events column holds, as named in "`x` is not a valid …".
pub const KIND: &str = "kind";
/// See [`KIND`].
pub const ISSUER: &str = "issuer kind";
/// See [`KIND`].
pub const DECISION: &str = "decision";
/// See [`KIND`].
pub const HOURS: &str = "number of hours";

/// A required cell is empty.
pub fn required(column: &str) -> String {
    format!("`{column}` is required")
}

/// A cell does not parse as `what`.
pub fn invalid(text: &str, what: &str) -> String {
    format!("`{text}` is not a valid {what}")
}

/// A date cell does not parse.
pub fn not_a_date(text: &str) -> String {
    format!("`{text}` is not a date (YYYY-MM-DD)")
}

/// A yes/no cell does not parse (see [`super::read::flag`]).
pub fn not_a_flag(text: &str) -> String {
    format!("`{text}` is not true or false")
}

/// An event names a school the schools table does not have.
pub fn unknown_school(id: &str) -> String {
    format!("unknown school `{id}`")
}

/// A row whose quotation mark runs on past its line: it would swallow the rows after it.
pub fn unclosed_quote() -> String {
    "a quotation mark (\") in this row runs on past the end of the line (a stray quote, or a line break inside a quoted cell): the row is skipped and reading goes on at the next line".to_string()
}

/// A row with another number of cells than the header has columns.
pub fn cell_count(cells: usize, columns: usize) -> String {
    format!("this row has {cells} cells, the header {columns} columns")
}
