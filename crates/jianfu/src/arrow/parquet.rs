//! Parquet files (the `parquet` feature): a file, or a folder of `*.parquet` files (a dataset
//! written a county per file, say), read into record batches on up to `threads` threads and
//! then through the Arrow readers. Files are taken in name order, so the table is the same
//! on any number of threads.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
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

/// The number of row groups of a file (read on separate threads).
fn row_groups(path: &Path) -> crate::Result<usize> {
    let builder = builder(path, false)?;
    Ok(builder.metadata().num_row_groups())
}

/// A reader of a file. With `dictionaries`, text columns are read as dictionaries (Parquet
/// stores them so): the readers then resolve each distinct id once, not once per row. A file
/// whose text cannot be read so is read as it is.
fn builder(
    path: &Path,
    dictionaries: bool,
) -> crate::Result<ParquetRecordBatchReaderBuilder<std::fs::File>> {
    let name = path.display().to_string();
    let open = || std::fs::File::open(path).map_err(|e| Error::read_failed(name.as_str(), e));
    let not_parquet = |e: ::parquet::errors::ParquetError| {
        Error::read_failed(name.as_str(), format!("not a Parquet file: {e}"))
    };
    let plain = ParquetRecordBatchReaderBuilder::try_new(open()?).map_err(not_parquet)?;
    if !dictionaries {
        return Ok(plain);
    }
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
    Ok(ParquetRecordBatchReaderBuilder::try_new_with_options(open()?, options).unwrap_or(plain))
}

/// One row group of a file (or the whole of a file without any): its schema and batches.
fn read_group(path: &Path, group: Option<usize>) -> crate::Result<(Arc<Schema>, Vec<RecordBatch>)> {
    let name = path.display().to_string();
    let mut builder = builder(path, true)?;
    if let Some(group) = group {
        builder = builder.with_row_groups(vec![group]);
    }
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
    // Every row group of every file is a task, in file and group order.
    let counts = threads.map(&files, |file| row_groups(file));
    let mut tasks = Vec::new();
    for (file, count) in files.iter().zip(counts) {
        // A file without row groups still gives its schema.
        match count? {
            0 => tasks.push((file.clone(), None)),
            n => tasks.extend((0..n).map(|group| (file.clone(), Some(group)))),
        }
    }
    let read = threads.map(&tasks, |(file, group)| read_group(file, *group));
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
    for ((file, _), result) in tasks.iter().zip(read) {
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
