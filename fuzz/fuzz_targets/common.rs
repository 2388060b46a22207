//! What the fuzz targets share: one engine over the embedded ruleset, built once per process.

use std::sync::OnceLock;

/// The embedded engine.
pub fn engine() -> &'static jianfu::Engine {
    static ENGINE: OnceLock<jianfu::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| jianfu::Engine::embedded().unwrap_or_else(|e| panic!("{e}")))
}
