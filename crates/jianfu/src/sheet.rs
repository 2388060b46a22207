//! Tables as a bureau keeps them (表格): a CSV or an Excel sheet with Chinese headers, one item
//! per row, or a schools or events table saved from Excel.
//!
//! A [`Sheet`] is a header and rows of text cells, read from CSV or from the first worksheet of
//! an `.xlsx` file (feature `xlsx`). [`items`] turns an item sheet into items: each header names
//! an item field by its Chinese name from the label table (标题, 发文单位, 开始日期, 下载安装APP
//! …) or by its JSON path (`title`, `issuer.name`), and each row becomes the same item its JSON
//! would be, with the same checks and errors that name the row and the column.

use serde_json::{Map, Value};

use crate::error::{Error, Location};
use crate::ffi::Record;
use crate::model::terms::{FIELDS, LIST_FIELDS, NUMBER_FIELDS, Term, is_flag_field};
use crate::model::{Approval, ApprovalOutcome, Fact, Item, MaterialField, Step};

/// A table of text cells: a header and its rows, with the line (CSV) or row (Excel) each came
/// from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The header cells, trimmed.
    pub header: Vec<String>,
    /// The rows: their 1-based line or row number, and their cells.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Sheet {
    /// Reads CSV text (already decoded, see [`crate::encoding`]). Blank lines are skipped.
    #[cfg(feature = "tables")]
    pub fn from_csv(text: &str, source: &str) -> crate::Result<Sheet> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut sheet = Sheet::default();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line() as usize);
                Error::row(at_line(source, line), format!("CSV: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if sheet.header.is_empty() {
                sheet.header = cells;
            } else {
                sheet.rows.push((line, cells));
            }
        }
        Ok(sheet)
    }

    /// Reads the first worksheet of a workbook: Excel `.xlsx`, `.xls` or `.xlsb`, or
    /// OpenDocument `.ods` (what WPS and LibreOffice save), told from the bytes. Dates become
    /// `YYYY-MM-DD`, whole numbers lose their `.0`, and empty rows are skipped.
    #[cfg(feature = "xlsx")]
    pub fn from_excel(bytes: &[u8], source: &str) -> crate::Result<Sheet> {
        use calamine::{Data, Reader};
        let unreadable = |e: &dyn std::fmt::Display| {
            Error::read_failed(
                source,
                format_args!("不是可读的 Excel 工作簿 / not a readable workbook: {e}"),
            )
        };
        let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e| unreadable(&e))?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable(&"no worksheet"))?
            .map_err(|e| unreadable(&e))?;
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let mut sheet = Sheet::default();
        for (n, row) in range.rows().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d
                        .as_datetime()
                        .map_or_else(|| d.to_string(), |t| t.date().to_string()),
                    Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
                    Data::DurationIso(s) => s.clone(),
                    Data::Error(e) => format!("#{e:?}"),
                })
                .collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if sheet.header.is_empty() {
                sheet.header = cells;
            } else {
                sheet.rows.push((first_row + n + 1, cells));
            }
        }
        Ok(sheet)
    }

    /// Reads a file's bytes as a sheet: a workbook (zip or OLE container) through
    /// [`Sheet::from_excel`], anything else as CSV text in any encoding [`crate::encoding`]
    /// reads.
    #[cfg(feature = "tables")]
    pub fn from_bytes(bytes: Vec<u8>, source: &str) -> crate::Result<Sheet> {
        let workbook = is_workbook_bytes(&bytes);
        #[cfg(feature = "xlsx")]
        if workbook {
            return Sheet::from_excel(&bytes, source);
        }
        if workbook {
            return Err(Error::read_failed(
                source,
                "a workbook, and this build reads none (feature `xlsx`)",
            ));
        }
        Sheet::from_csv(&crate::encoding::decode(bytes, source)?, source)
    }

    /// A schools or events table's text from a file's bytes: a workbook's first sheet as CSV,
    /// anything else decoded from its encoding (CSV or JSON text, as the bytes hold).
    #[cfg(feature = "tables")]
    pub fn table_text(bytes: Vec<u8>, source: &str) -> crate::Result<String> {
        if is_workbook_bytes(&bytes) {
            return Ok(Sheet::from_bytes(bytes, source)?.to_csv());
        }
        crate::encoding::decode(bytes, source)
    }

    /// The sheet as CSV text, for the schools and events readers (which then check every row
    /// as they check a CSV file's).
    #[cfg(feature = "tables")]
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&self.header);
        for (_, row) in &self.rows {
            let _ = writer.write_record(row);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Whether bytes are a workbook's container: zip (`.xlsx`, `.ods`) or OLE (`.xls`).
#[cfg(feature = "tables")]
fn is_workbook_bytes(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Whether a file is a workbook [`Sheet::from_excel`] reads, by its extension.
pub fn is_workbook(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xls", "xlsb", "xlsm", "ods"].contains(&e.to_ascii_lowercase().as_str())
    })
}

#[cfg(feature = "tables")]
fn at_line(source: &str, line: Option<usize>) -> Location {
    let location = Location::source(source);
    match line {
        Some(line) => location.line(line, None),
        None => location,
    }
}

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    /// 、，,；; separated.
    List,
    /// 是/否, true/false, 1/0, √.
    Flag,
    Number,
    /// `步骤 结果 日期 [审批人]`, entries separated by ；or a line break.
    Approvals,
}

/// Field paths that hold objects or are not item input: never a column.
const NOT_COLUMNS: &[&str] = &[
    "issuer",
    "materials",
    "annual_plan",
    "requirements",
    "campus_entry",
    "inspection",
    "data_request",
    "secondment",
    "duty",
    "register",
    "plan",
    "secondment.extension",
];
/// Short headers a sheet commonly uses for a field.
const HEADER_ALIASES: &[(&str, &str)] = &[
    ("发文单位", "issuer.name"),
    ("单位类型", "issuer.kind"),
    ("层级", "issuer.level"),
    ("事项编号", "id"),
    ("类型", "kind"),
    ("事项名称", "title"),
    ("名称", "title"),
    ("说明", "description"),
    ("内容", "description"),
    ("对象", "targets"),
    ("学校", "schools"),
    ("审批", "approvals"),
    ("开始", "start"),
    ("结束", "end"),
    ("每名教师用时", "hours_per_teacher"),
];

/// The item field a header names, and how its cells read.
fn column(header: &str) -> Option<(String, Cell)> {
    let header = header.trim();
    let path = FIELDS
        .iter()
        .filter(|(path, _, _)| !NOT_COLUMNS.contains(path))
        .find(|(path, zh, _)| *path == header || *zh == header)
        .map(|(path, _, _)| (*path).to_string())
        .or_else(|| {
            HEADER_ALIASES
                .iter()
                .find(|(alias, _)| *alias == header)
                .map(|(_, path)| (*path).to_string())
        })
        .or_else(|| {
            let material = header.strip_prefix("materials.").unwrap_or(header);
            MaterialField::parse(material).map(|m| format!("materials.{}", m.as_str()))
        })
        .or_else(|| {
            let fact = header.strip_prefix("requirements.").unwrap_or(header);
            let fact = fact.strip_prefix("要求").unwrap_or(fact);
            Fact::parse(fact)
                .filter(|f| f.requirement_field().is_some())
                .and_then(Fact::requirement_field)
                .map(str::to_string)
        })?;
    if NOT_COLUMNS.contains(&path.as_str()) {
        return None;
    }
    let cell = if path == "approvals" {
        Cell::Approvals
    } else if LIST_FIELDS.contains(&path.as_str()) {
        Cell::List
    } else if NUMBER_FIELDS.contains(&path.as_str()) {
        Cell::Number
    } else if is_flag_field(&path) {
        Cell::Flag
    } else {
        Cell::Text
    };
    Some((path, cell))
}

/// Reads an item sheet: one record per row, each its item or why the row is not one. A header
/// that names no item field refuses the whole sheet (`table.schema`), as a misspelt JSON key
/// would refuse an item.
pub fn items(sheet: &Sheet, source: &str) -> crate::Result<Vec<Record>> {
    let mut columns = Vec::with_capacity(sheet.header.len());
    for (n, header) in sheet.header.iter().enumerate() {
        if header.is_empty() {
            columns.push(None);
            continue;
        }
        let Some(column) = column(header) else {
            let mut location = Location::source(source).line(1, Some(n + 1));
            location.field = Some(header.clone());
            return Err(Error::TableSchema {
                location: Box::new(location),
                reason: format!(
                    "表头“{header}”不是事项字段 / `{header}` names no item field (see examples/items/item-table.csv)"
                ),
            });
        };
        columns.push(Some(column));
    }
    Ok(sheet
        .rows
        .iter()
        .enumerate()
        .map(|(index, (line, cells))| Record {
            index,
            line: Some(*line),
            item: row_item(&columns, &sheet.header, cells, *line, source),
        })
        .collect())
}

fn row_item(
    columns: &[Option<(String, Cell)>],
    header: &[String],
    cells: &[String],
    line: usize,
    source: &str,
) -> crate::Result<Item> {
    let at = |n: usize| {
        let mut location = Location::source(source).line(line, Some(n + 1));
        location.field = header.get(n).cloned();
        location
    };
    let mut object = Map::new();
    for (n, cell) in cells.iter().enumerate() {
        let Some(Some((path, kind))) = columns.get(n) else {
            if !cell.is_empty() && n >= columns.len() {
                return Err(Error::item(
                    at(n),
                    "比表头多出单元格 / more cells than the header",
                ));
            }
            continue;
        };
        if cell.is_empty() {
            continue;
        }
        let value = match kind {
            Cell::Text => Value::String(cell.clone()),
            Cell::List => Value::Array(
                cell.split(['、', '，', ',', '；', ';', '/', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            Cell::Flag => Value::Bool(flag(cell).ok_or_else(|| {
                Error::item(
                    at(n),
                    format!("“{cell}”不是 是/否 / `{cell}` is not yes/no (是/否)"),
                )
            })?),
            Cell::Number => cell
                .parse::<f64>()
                .ok()
                .and_then(|f| {
                    serde_json::Number::from_f64(f).map(|number| {
                        // Whole numbers as integers, for the count fields.
                        if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) {
                            Value::from(f as u64)
                        } else {
                            Value::Number(number)
                        }
                    })
                })
                .ok_or_else(|| {
                    Error::item(
                        at(n),
                        format!("“{cell}”不是数字 / `{cell}` is not a number"),
                    )
                })?,
            Cell::Approvals => approvals(cell).map_err(|reason| Error::item(at(n), reason))?,
        };
        insert(&mut object, path, value);
    }
    let column_of = |field: &str| {
        columns.iter().position(|c| {
            c.as_ref()
                .is_some_and(|(p, _)| field.starts_with(p.as_str()))
        })
    };
    let value = Value::Object(object);
    let parsed: Result<Item, _> = serde_path_to_error::deserialize(&value);
    parsed.map_err(|e| {
        let path = e.path().to_string();
        let reason = e.into_inner().to_string();
        let field = crate::model::field_path(&path, &reason);
        let location = match field.as_deref().and_then(column_of) {
            Some(n) => at(n),
            None => {
                let mut location = Location::source(source).line(line, None);
                location.field = field;
                location
            }
        };
        Error::item(location, reason)
    })
}

/// Sets `path` (`issuer.name`) in `object`, making the objects on the way.
fn insert(object: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            object.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let inner = object
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                insert(inner, rest, value);
            }
        }
    }
}

/// 是/否 and their usual spellings.
fn flag(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "是" | "有" | "√" | "✓" | "y" | "yes" | "true" | "1" => Some(true),
        "否" | "无" | "×" | "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// `秘书组初核 同意 2026-02-20 市委教育工作领导小组秘书组；分管领导审核 同意 2026-02-25`.
fn approvals(cell: &str) -> Result<Value, String> {
    let mut out = Vec::new();
    for entry in cell
        .split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let mut words = entry.split_whitespace();
        let (Some(step), Some(outcome), Some(on)) = (words.next(), words.next(), words.next())
        else {
            return Err(format!(
                "审批记录“{entry}”应为“步骤 结果 日期 [审批人]” / approval `{entry}` should read `step outcome date [by]`"
            ));
        };
        let step =
            Step::parse(step).ok_or_else(|| format!("未知的审批步骤 unknown step `{step}`"))?;
        let outcome = ApprovalOutcome::parse(outcome)
            .ok_or_else(|| format!("未知的审批结果 unknown outcome `{outcome}`"))?;
        let by: Vec<&str> = words.collect();
        let mut approval = Map::new();
        approval.insert("step".into(), step.as_str().into());
        approval.insert("outcome".into(), outcome.as_str().into());
        approval.insert("on".into(), on.into());
        if !by.is_empty() {
            approval.insert("by".into(), by.join(" ").into());
        }
        let approval = Value::Object(approval);
        // Checked here so a bad date names this cell.
        serde_json::from_value::<Approval>(approval.clone()).map_err(|e| e.to_string())?;
        out.push(approval);
    }
    Ok(Value::Array(out))
}

#[cfg(all(test, feature = "tables"))]
#[expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "test harness")]
mod tests {
    use super::*;

    const SHEET: &str = "\
编号,事项类型,标题,发文单位,发文单位类型,发文层级,面向对象,开始日期,内容说明,下载安装APP,审批记录
1,进校园,反诈宣传进校园,某县公安局,其他部门,县级,学生、家长,2026-03-20,组织学生下载反诈APP,是,秘书组初核 同意 2026-02-20 秘书组
2,报表,教师信息统计,某县人社局,其他部门,县级,教师,2026-03-20,,否,
3,会议,全县大会,某县政府,政府,县级,教师,2026-13-40,,,
";

    #[test]
    fn a_chinese_headed_sheet_reads_as_the_items_its_json_would_be() {
        let sheet = Sheet::from_csv(SHEET, "items.csv").unwrap();
        let records = items(&sheet, "items.csv").unwrap();
        assert_eq!(records.len(), 3);
        let first = records[0].item.as_ref().unwrap();
        let json = Item::from_json(
            r#"{"id": "1", "kind": "campus_entry", "title": "反诈宣传进校园",
                "issuer": {"name": "某县公安局", "kind": "other_department", "level": "county"},
                "targets": ["students", "parents"], "start": "2026-03-20",
                "description": "组织学生下载反诈APP", "requirements": {"install_app": true},
                "approvals": [{"step": "secretariat_review", "outcome": "approved", "on": "2026-02-20", "by": "秘书组"}]}"#,
        )
        .unwrap();
        assert_eq!(first, &json);
        assert!(records[1].item.is_ok());
        // A bad date names its row and column.
        let err = records[2].item.as_ref().unwrap_err();
        let location = err.location().unwrap();
        assert_eq!((location.line, location.column), (Some(4), Some(8)));
        assert_eq!(location.field.as_deref(), Some("开始日期"));
    }

    #[test]
    fn a_header_that_names_no_field_refuses_the_sheet() {
        let sheet = Sheet::from_csv("标题,备注栏\n一,二\n", "items.csv").unwrap();
        let err = items(&sheet, "items.csv").unwrap_err();
        assert_eq!(err.code(), "table.schema");
        assert_eq!(err.location().unwrap().column, Some(2));
    }
}
