//! Parquet files (the `parquet` feature): a file, or a folder of `*.parquet` files (a dataset
//! written a county per file, say), read into record batches on up to `threads` threads and
//! then through the Arrow readers. Files are taken in name order, so the table is the same
//! on any number of threads.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use arrow_array::RecordBatch;
use arrow_schema::{DataType, Schema};

use crate::error::Error;
use crate::parallel::Threads;
use crate::score::read::Read;
use crate::score::{Events, Schools};

/// Whether `path` is Parquet: a `.parquet` file, or a folder (read as a Parquet dataset).
pub fn is_parquet(path: &Path) -> bool {
    path.is_dir()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The files of `path`: itself, or a folder's `*.parquet` files in name order.
fn files(path: &Path) -> crate::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| Error::read_failed(path.display().to_string(), e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::read_failed(path.display().to_string(), e))?;
        let file = entry.path();
        if file.is_file() && is_parquet(&file) {
            files.push(file);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::read_failed(
            path.display().to_string(),
            "the folder holds no .parquet file",
        ));
    }
    Ok(files)
}

/// Rows per record batch read: the readers' work per batch (casts, dictionary lookups) is
/// then paid rarely (the parquet crate's default is 1,024 rows).
const BATCH_ROWS: usize = 65_536;

/// A file's footer, read once and shared by the readers of its row groups. Text columns are
/// read as dictionaries (Parquet stores them so): the readers then resolve each distinct id
/// once, not once per row. A file whose text cannot be read so is read as it is.
fn footer(path: &Path) -> crate::Result<ArrowReaderMetadata> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::read_failed(name.as_str(), e))?;
    let plain = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new())
        .map_err(|e| Error::read_failed(name.as_str(), format!("not a Parquet file: {e}")))?;
    let schema = plain.schema();
    let text =
        |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    if !schema.fields().iter().any(|f| text(f.data_type())) {
        return Ok(plain);
    }
    let hinted = Schema::new_with_metadata(
        schema
            .fields()
            .iter()
            .map(|f| {
                if text(f.data_type()) {
                    let dictionary =
                        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
                    Arc::new(f.as_ref().clone().with_data_type(dictionary))
                } else {
                    Arc::clone(f)
                }
            })
            .collect::<Vec<_>>(),
        schema.metadata().clone(),
    );
    let options = ArrowReaderOptions::new().with_schema(Arc::new(hinted));
    Ok(ArrowReaderMetadata::try_new(Arc::clone(plain.metadata()), options).unwrap_or(plain))
}

/// Row groups `groups` of a file: its schema and record batches.
fn read_groups(
    path: &Path,
    footer: &ArrowReaderMetadata,
    groups: std::ops::Range<usize>,
) -> crate::Result<(Arc<Schema>, Vec<RecordBatch>)> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::read_failed(name.as_str(), e))?;
    let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, footer.clone())
        .with_batch_size(BATCH_ROWS)
        .with_row_groups(groups.collect());
    let schema = Arc::clone(builder.schema());
    let reader = builder
        .build()
        .map_err(|e| Error::read_failed(name.as_str(), e))?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::read_failed(name.as_str(), e))?;
    Ok((schema, batches))
}

/// The schema and record batches of a Parquet file or folder, the files read on up to
/// `threads` threads. Files of one folder must have the same columns (names and types).
pub fn batches(path: &Path, threads: Threads) -> crate::Result<(Arc<Schema>, Vec<RecordBatch>)> {
    let files = files(path)?;
    let footers = threads.map(&files, |file| footer(file));
    // Runs of row groups of every file are the tasks, in file and group order.
    let mut tasks = Vec::new();
    for (file, footer) in files.iter().zip(footers) {
        let footer = footer?;
        let groups = footer.metadata().num_row_groups();
        for run in crate::parallel::ranges(groups, threads.count() * 2, 1) {
            tasks.push((file.clone(), footer.clone(), run));
        }
    }
    let read = threads.map(&tasks, |(file, footer, run)| {
        read_groups(file, footer, run.clone())
    });
    // Columns compared by name and value type (a text column may come as a dictionary).
    let columns = |s: &Schema| -> Vec<String> {
        s.fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Dictionary(_, value) => format!("{} {value}", f.name()),
                other => format!("{} {other}", f.name()),
            })
            .collect()
    };
    let mut schema: Option<Arc<Schema>> = None;
    let mut all = Vec::new();
    for ((file, _, _), result) in tasks.iter().zip(read) {
        let (file_schema, batches) = result?;
        match &schema {
            None => schema = Some(file_schema),
            Some(first) if columns(first) != columns(&file_schema) => {
                return Err(Error::table_schema_mismatch(
                    &file.display().to_string(),
                    &columns(first).join(", "),
                    &columns(&file_schema).join(", "),
                ));
            }
            Some(_) => {}
        }
        all.extend(batches);
    }
    let schema = schema.unwrap_or_else(|| Arc::new(Schema::empty()));
    Ok((schema, all))
}

/// Events from a Parquet file or folder (columns as in `events.csv`).
pub fn events(path: &Path, schools: &Schools, threads: Threads) -> crate::Result<Read<Events>> {
    let (schema, batches) = batches(path, threads)?;
    Ok(super::events_on(&schema, &batches, schools, threads))
}

/// Schools from a Parquet file or folder (columns as in `schools.csv`).
pub fn schools(path: &Path, threads: Threads) -> crate::Result<Read<Schools>> {
    let (_, batches) = batches(path, threads)?;
    Ok(super::schools(&batches))
}
