//! Parquet files (the `parquet` feature): a file, or a folder of `*.parquet` files (a dataset
//! written a county per file, say), read into record batches on up to `threads` threads and
//! then through the Arrow readers. A row group's columns are read on separate threads, and
//! events are read a row group at a time, so memory holds the events, not every batch of the
//! dataset. Files are taken in name order, so the table is the same on any number of
//! threads.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::parquet::arrow::ProjectionMask;
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

/// Row groups `groups` of a file as record batches: every column, or only top-level column
/// `column` (each batch then holds that one column).
fn read_groups(
    path: &Path,
    footer: &ArrowReaderMetadata,
    groups: std::ops::Range<usize>,
    column: Option<usize>,
) -> crate::Result<Vec<RecordBatch>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::read_failed(name.as_str(), e))?;
    let mut builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, footer.clone())
        .with_batch_size(BATCH_ROWS)
        .with_row_groups(groups.collect());
    if let Some(column) = column {
        let mask = ProjectionMask::roots(builder.parquet_schema(), [column]);
        builder = builder.with_projection(mask);
    }
    let reader = builder
        .build()
        .map_err(|e| Error::read_failed(name.as_str(), e))?;
    reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::read_failed(name.as_str(), e))
}

/// A Parquet file or folder opened: its files in name order, each file's footer, and the
/// columns they share (the first file's schema).
struct Dataset {
    files: Vec<PathBuf>,
    footers: Vec<ArrowReaderMetadata>,
    schema: Arc<Schema>,
}

impl Dataset {
    /// Reads every file's footer (on up to `threads` threads). Files of one folder must have
    /// the same columns, compared by name and value type (a text column may come as a
    /// dictionary in one file and plain in another).
    fn open(path: &Path, threads: Threads) -> crate::Result<Self> {
        let files = files(path)?;
        let footers = threads
            .map(&files, |file| footer(file))
            .into_iter()
            .collect::<crate::Result<Vec<_>>>()?;
        let columns = |s: &Schema| -> Vec<String> {
            s.fields()
                .iter()
                .map(|f| match f.data_type() {
                    DataType::Dictionary(_, value) => format!("{} {value}", f.name()),
                    other => format!("{} {other}", f.name()),
                })
                .collect()
        };
        let schema = footers
            .first()
            .map_or_else(|| Arc::new(Schema::empty()), |f| Arc::clone(f.schema()));
        for (file, footer) in files.iter().zip(&footers) {
            if columns(&schema) != columns(footer.schema()) {
                return Err(Error::table_schema_mismatch(
                    &file.display().to_string(),
                    &columns(&schema).join(", "),
                    &columns(footer.schema()).join(", "),
                ));
            }
        }
        Ok(Self {
            files,
            footers,
            schema,
        })
    }

    /// Each file with its footer and its row groups cut into runs of at most `per_run`.
    fn runs(&self, per_run: usize) -> Vec<(usize, std::ops::Range<usize>)> {
        let mut runs = Vec::new();
        for (file, footer) in self.footers.iter().enumerate() {
            let groups = footer.metadata().num_row_groups();
            let parts = groups.div_ceil(per_run.max(1));
            runs.extend(
                crate::parallel::ranges(groups, parts, 1)
                    .into_iter()
                    .filter(|r| !r.is_empty())
                    .map(|r| (file, r)),
            );
        }
        runs
    }

    /// Row groups `groups` of file `file` as record batches, read a column at a time on up to
    /// `threads` threads and put side by side again, so the cores share the work even when a
    /// file is one or two row groups (pyarrow writes a million rows to a group). Every column
    /// is read in batches of the same size, so the batches line up; they keep their file's
    /// own schema.
    fn read(
        &self,
        file: usize,
        groups: std::ops::Range<usize>,
        threads: Threads,
    ) -> crate::Result<Vec<RecordBatch>> {
        let (Some(path), Some(footer)) = (self.files.get(file), self.footers.get(file)) else {
            return Ok(Vec::new());
        };
        let schema = footer.schema();
        let width = schema.fields().len();
        if width == 0 {
            return read_groups(path, footer, groups, None);
        }
        let columns: Vec<usize> = (0..width).collect();
        let parts = threads
            .map(&columns, |&c| {
                read_groups(path, footer, groups.clone(), Some(c))
            })
            .into_iter()
            .collect::<crate::Result<Vec<Vec<RecordBatch>>>>()?;
        let name = || path.display().to_string();
        let count = parts.first().map_or(0, Vec::len);
        if parts.iter().any(|p| p.len() != count) {
            return Err(Error::read_failed(name(), "columns of unequal length"));
        }
        (0..count)
            .map(|b| {
                let arrays = parts
                    .iter()
                    .filter_map(|p| p.get(b).and_then(|batch| batch.columns().first().cloned()))
                    .collect::<Vec<_>>();
                RecordBatch::try_new(Arc::clone(schema), arrays)
                    .map_err(|e| Error::read_failed(name(), e))
            })
            .collect()
    }
}

/// The schema and record batches of a Parquet file or folder, read on up to `threads`
/// threads. Files of one folder must have the same columns (names and types).
pub fn batches(path: &Path, threads: Threads) -> crate::Result<(Arc<Schema>, Vec<RecordBatch>)> {
    let dataset = Dataset::open(path, threads)?;
    let mut all = Vec::new();
    for (file, groups) in dataset.runs(usize::MAX) {
        all.extend(dataset.read(file, groups, threads)?);
    }
    Ok((dataset.schema, all))
}

/// Rows of decoded batches gathered before their events are read: enough for every thread's
/// share of the rows when row groups are small (a folder of small files), little enough that
/// memory holds the events and a bounded slice of the dataset decoded.
const GATHER_ROWS: usize = 1 << 20;

/// Events from a Parquet file or folder (columns as in `events.csv`), read a row group at a
/// time (its columns on the threads) and gathered up to [`GATHER_ROWS`] rows before those rows
/// are read into the table, so memory holds the events read so far and a bounded part of the
/// dataset decoded, not all of it. The table, ids and errors are those of reading every batch
/// at once; a group whose columns the readers cannot take stops the reading there, as before.
pub fn events(path: &Path, schools: &Schools, threads: Threads) -> crate::Result<Read<Events>> {
    read_events(path, schools, threads, GATHER_ROWS)
}

/// [`events`], gathering `gather` rows at a time.
fn read_events(
    path: &Path,
    schools: &Schools,
    threads: Threads,
    gather: usize,
) -> crate::Result<Read<Events>> {
    let dataset = Dataset::open(path, threads)?;
    let mut read = Read {
        table: Events::default(),
        errors: Vec::new(),
    };
    let mut first = 0;
    let mut gathered: Vec<RecordBatch> = Vec::new();
    let mut runs = dataset.runs(1).into_iter().peekable();
    if runs.peek().is_none() {
        // No rows: the columns are still checked.
        return Ok(super::events_on(&dataset.schema, &[], schools, threads));
    }
    while let Some((file, groups)) = runs.next() {
        gathered.extend(dataset.read(file, groups, threads)?);
        let rows: usize = gathered.iter().map(RecordBatch::num_rows).sum();
        if rows < gather && runs.peek().is_some() {
            continue;
        }
        let (part, stopped) =
            super::events_from(&dataset.schema, &gathered, schools, threads, first);
        read.table.append(part.table);
        read.errors.extend(part.errors);
        if stopped {
            break;
        }
        first += rows;
        gathered.clear();
    }
    Ok(read)
}

/// Schools from a Parquet file or folder (columns as in `schools.csv`).
pub fn schools(path: &Path, threads: Threads) -> crate::Result<Read<Schools>> {
    let (_, batches) = batches(path, threads)?;
    Ok(super::schools(&batches))
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::*;
    use ::parquet::arrow::ArrowWriter;
    use ::parquet::file::properties::WriterProperties;
    use arrow_array::{ArrayRef, StringArray};

    /// Events read in slices of any size, on any number of threads, are the table, ids and
    /// errors of every batch read at once: row numbers count from the table's start.
    #[test]
    fn events_gathered_in_any_slices_read_as_all_at_once() {
        let engine = crate::Engine::embedded().unwrap();
        let config = crate::score::demo::DemoConfig {
            schools: 20,
            ..crate::score::demo::DemoConfig::default()
        };
        let schools = crate::score::demo::schools(&config);
        let events = crate::score::demo::events(&config, &schools, engine.calendar());
        let batch = super::super::events_batch(&events, &schools).unwrap();
        // An unknown school in the third row group.
        let bad_row = 2 * 3_000 + 11;
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        let ids: StringArray = columns
            .first()
            .and_then(|c| c.as_any().downcast_ref::<StringArray>())
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, s)| if i == bad_row { Some("NOWHERE") } else { s })
            .collect();
        if let Some(first) = columns.first_mut() {
            *first = Arc::new(ids);
        }
        let batch = RecordBatch::try_new(batch.schema(), columns).unwrap();
        let dir = std::env::temp_dir().join(format!("jianfu-gather-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.parquet");
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(3_000))
            .build();
        let file = std::fs::File::create(&path).unwrap();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let whole = super::super::events(&batch.schema(), std::slice::from_ref(&batch), &schools);
        assert_eq!(whole.errors.len(), 1);
        assert!(
            whole
                .errors
                .iter()
                .any(|e| e.to_string().contains(&format!("[{bad_row}]")))
        );
        let score = |t: &Events| {
            serde_json::to_string(&engine.score(t, &schools, "2026-spring-1").unwrap()).unwrap()
        };
        let expected = score(&whole.table);
        for gather in [1, 5_000, usize::MAX] {
            for threads in [Threads::ONE, Threads::new(2)] {
                let read = read_events(&path, &schools, threads, gather).unwrap();
                assert_eq!(read.errors, whole.errors, "gather {gather}");
                assert_eq!(read.table.len(), whole.table.len());
                assert_eq!(read.table.teachers.len(), whole.table.teachers.len());
                assert_eq!(score(&read.table), expected, "gather {gather}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
