//! Arrow and Parquet in the core: events written to Parquet (a folder of two files, two
//! codecs) read back into the table the rows came from, scored to the same bytes; record
//! batches read on several threads give the one-thread table and errors; a folder whose files
//! differ, and a file that is not Parquet, are refused with errors that name the file.

#![cfg(feature = "parquet")]
#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test harness")]

use std::path::PathBuf;
use std::sync::Arc;

use jianfu::arrow::arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, RecordBatch, StringArray,
};
use jianfu::arrow::arrow_schema::{DataType, Field, Schema};
use jianfu::arrow::{self, parquet};
use jianfu::score::{Events, Schools, demo};
use jianfu::{Engine, Threads};
use parquet_writer::arrow::ArrowWriter;
use parquet_writer::basic::{Compression, ZstdLevel};
use parquet_writer::file::properties::WriterProperties;

extern crate parquet as parquet_writer;

const PERIOD: &str = "2026-spring-1";

fn city() -> (Engine, Schools, Events) {
    let engine = Engine::embedded().unwrap();
    let config = demo::DemoConfig {
        schools: 30,
        ..demo::DemoConfig::default()
    };
    let schools = demo::schools(&config);
    let events = demo::events(&config, &schools, engine.calendar());
    (engine, schools, events)
}

/// Rows `range` of `events` as a record batch with the columns of `events.csv`.
fn batch(events: &Events, schools: &Schools, range: std::ops::Range<usize>) -> RecordBatch {
    let name = |i: &jianfu::score::Interner, id: u32| i.name(id).map(str::to_owned);
    let rows: Vec<usize> = range.collect();
    let strings = |f: &dyn Fn(usize) -> Option<String>| -> ArrayRef {
        Arc::new(rows.iter().map(|&i| f(i)).collect::<StringArray>())
    };
    let epoch = 719_163; // 1970-01-01 as a CE day number
    let columns: Vec<ArrayRef> = vec![
        strings(&|i| schools.get(events.school[i]).map(|s| s.school_id.clone())),
        strings(&|i| name(&events.teachers, events.teacher[i])),
        Arc::new(Date32Array::from(
            rows.iter()
                .map(|&i| events.day[i] - epoch)
                .collect::<Vec<i32>>(),
        )),
        strings(&|i| Some(events.kind[i].as_str().to_owned())),
        Arc::new(
            rows.iter()
                .map(|&i| f64::from(events.hours[i]))
                .collect::<Float64Array>(),
        ),
        strings(&|i| events.issuer[i].map(|k| k.as_str().to_owned())),
        strings(&|i| name(&events.items, events.item[i])),
        strings(&|i| events.decision[i].map(|d| d.as_str().to_owned())),
        strings(&|i| name(&events.rules, events.rule[i])),
        Arc::new(
            rows.iter()
                .map(|&i| Some(events.comprehensive[i]))
                .collect::<BooleanArray>(),
        ),
    ];
    RecordBatch::try_new(schema(), columns).unwrap()
}

fn schema() -> Arc<Schema> {
    let text = |n: &str, nullable| Field::new(n, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        text("school_id", false),
        text("teacher_id", true),
        Field::new("date", DataType::Date32, false),
        text("kind", false),
        Field::new("hours", DataType::Float64, false),
        text("issuer", true),
        text("item_id", true),
        text("decision", true),
        text("rule", true),
        Field::new("comprehensive", DataType::Boolean, true),
    ]))
}

/// `batch` with row `row`'s school an unknown one (`NOWHERE`).
fn with_unknown_school(batch: &RecordBatch, row: usize) -> RecordBatch {
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    let mut ids: Vec<Option<String>> = columns[0]
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect();
    ids[row] = Some("NOWHERE".into());
    columns[0] = Arc::new(ids.into_iter().collect::<StringArray>());
    RecordBatch::try_new(schema(), columns).unwrap()
}

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jianfu-parquet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &std::path::Path, batches: &[RecordBatch], compression: Compression) {
    let props = WriterProperties::builder()
        .set_compression(compression)
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batches[0].schema(), Some(props)).unwrap();
    for b in batches {
        writer.write(b).unwrap();
    }
    writer.close().unwrap();
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn a_parquet_folder_scores_as_the_rows_it_was_written_from() {
    let (engine, schools, events) = city();
    let half = events.len() / 2;
    let dir = folder("scores");
    write(
        &dir.join("a.parquet"),
        &[batch(&events, &schools, 0..half)],
        Compression::SNAPPY,
    );
    let zstd = Compression::ZSTD(ZstdLevel::default());
    write(
        &dir.join("b.parquet"),
        &[batch(&events, &schools, half..events.len())],
        zstd,
    );
    std::fs::write(dir.join("notes.txt"), "not a table").unwrap();
    let read = parquet::events(&dir, &schools, Threads::new(2)).unwrap();
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.table.len(), events.len());
    assert_eq!(
        json(&engine.score(&read.table, &schools, PERIOD).unwrap()),
        json(&engine.score(&events, &schools, PERIOD).unwrap())
    );
    // One file reads as the folder does.
    let whole = folder("whole");
    write(
        &whole.join("events.parquet"),
        &[batch(&events, &schools, 0..events.len())],
        Compression::UNCOMPRESSED,
    );
    let one = parquet::events(&whole.join("events.parquet"), &schools, Threads::ONE).unwrap();
    assert_eq!(
        json(&engine.score(&one.table, &schools, PERIOD).unwrap()),
        json(&engine.score(&read.table, &schools, PERIOD).unwrap())
    );
}

#[test]
fn a_file_of_many_row_groups_reads_as_its_rows_on_any_number_of_threads() {
    // Small row groups, read one at a time, and a small dictionary page, so id columns fall
    // back to plain pages as pyarrow's do: the columns read on separate threads must still
    // line up row for row, and the groups add up to the table read at once.
    let (engine, schools, events) = city();
    let dir = folder("groups");
    let path = dir.join("events.parquet");
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(7_000))
        .set_dictionary_page_size_limit(1_024)
        .build();
    let whole = batch(&events, &schools, 0..events.len());
    // A row of an unknown school in the third row group: its error counts rows from the
    // table's start, whichever group and thread read it.
    let bad_row = 2 * 7_000 + 11;
    let whole = with_unknown_school(&whole, bad_row);
    // What reading every row at once gives: the reference.
    let expected = arrow::events(&schema(), std::slice::from_ref(&whole), &schools);
    assert_eq!(expected.errors.len(), 1);
    assert!(
        expected.errors[0]
            .to_string()
            .contains(&format!("[{bad_row}]")),
        "{}",
        expected.errors[0]
    );
    let scored = json(&engine.score(&expected.table, &schools, PERIOD).unwrap());
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = ArrowWriter::try_new(file, whole.schema(), Some(props)).unwrap();
    writer.write(&whole).unwrap();
    writer.close().unwrap();
    for n in [1, 2, 3] {
        let read = parquet::events(&path, &schools, Threads::new(n)).unwrap();
        assert_eq!(read.errors, expected.errors, "{n} threads");
        assert_eq!(read.table.len(), events.len() - 1);
        assert_eq!(read.table.teachers.len(), expected.table.teachers.len());
        assert_eq!(
            json(&engine.score(&read.table, &schools, PERIOD).unwrap()),
            scored,
            "{n} threads"
        );
    }
}

#[test]
fn batches_with_chinese_headers_read_on_their_own_schemas() {
    // Two batches (two files of a folder, say) whose schemas differ only in what the readers
    // overlook: the first says `comprehensive` has no nulls, the second holds one. Each is
    // renamed on its own schema, so both read.
    let (_, schools, events) = city();
    let renamed = |comprehensive_nullable: bool| {
        let fields: Vec<Field> = schema()
            .fields()
            .iter()
            .map(|f| match f.name().as_str() {
                "teacher_id" => f.as_ref().clone().with_name("教师编号"),
                "comprehensive" => f.as_ref().clone().with_nullable(comprehensive_nullable),
                _ => f.as_ref().clone(),
            })
            .collect();
        Arc::new(Schema::new(fields))
    };
    let first = RecordBatch::try_new(
        renamed(false),
        batch(&events, &schools, 0..100).columns().to_vec(),
    )
    .unwrap();
    let mut columns = batch(&events, &schools, 100..200).columns().to_vec();
    let mut flags: Vec<Option<bool>> = (100..200).map(|i| Some(events.comprehensive[i])).collect();
    flags[0] = None;
    columns[9] = Arc::new(BooleanArray::from(flags));
    let second = RecordBatch::try_new(renamed(true), columns).unwrap();
    let read = arrow::events(&renamed(false), &[first, second], &schools);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.table.len(), 200);
}

#[test]
fn batches_read_on_threads_give_the_one_thread_table_and_errors() {
    let (engine, schools, events) = city();
    let step = 5_000;
    let mut batches: Vec<RecordBatch> = (0..events.len())
        .step_by(step)
        .map(|s| batch(&events, &schools, s..(s + step).min(events.len())))
        .collect();
    // A bad row (unknown school) in the middle of the table.
    batches[3] = with_unknown_school(&batches[3], 7);
    let one = arrow::events(&schema(), &batches, &schools);
    assert_eq!(one.errors.len(), 1);
    assert!(
        one.errors[0]
            .to_string()
            .contains(&format!("[{}]", 3 * step + 7)),
        "{}",
        one.errors[0]
    );
    for n in [2, 3, 0] {
        let many = arrow::events_on(&schema(), &batches, &schools, Threads::new(n));
        assert_eq!(many.errors, one.errors);
        assert_eq!(
            json(&engine.score(&many.table, &schools, PERIOD).unwrap()),
            json(&engine.score(&one.table, &schools, PERIOD).unwrap())
        );
    }
}

#[test]
fn a_folder_of_files_that_differ_or_are_not_parquet_is_refused() {
    let (_, schools, events) = city();
    let dir = folder("differ");
    write(
        &dir.join("a.parquet"),
        &[batch(&events, &schools, 0..10)],
        Compression::SNAPPY,
    );
    let other = RecordBatch::try_new(
        Arc::new(Schema::new(vec![Field::new(
            "school_id",
            DataType::Utf8,
            false,
        )])),
        vec![Arc::new(StringArray::from(vec!["SMX-0001"])) as ArrayRef],
    )
    .unwrap();
    write(&dir.join("b.parquet"), &[other], Compression::SNAPPY);
    let error = parquet::events(&dir, &schools, Threads::ONE).unwrap_err();
    assert_eq!(error.code(), "table.schema");
    assert!(error.to_string().contains("b.parquet"), "{error}");

    let junk = folder("junk");
    std::fs::write(junk.join("events.parquet"), "school_id,date\n").unwrap();
    let error = parquet::events(&junk, &schools, Threads::ONE).unwrap_err();
    assert_eq!(error.code(), "io");
    assert!(error.to_string().contains("not a Parquet file"), "{error}");
    let empty = folder("empty");
    assert_eq!(
        parquet::events(&empty, &schools, Threads::ONE)
            .unwrap_err()
            .code(),
        "io"
    );
}
