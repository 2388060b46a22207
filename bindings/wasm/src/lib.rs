//! WASM bindings for jianfu: type and error conversion only; all logic is in the core crate.
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
