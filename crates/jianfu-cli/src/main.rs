//! `jianfu` — the command line of jianfu (减负): check items, review drafts, check annual
//! inspection plans and inspect rulesets. A thin binding: it reads files, calls the core and
//! prints.

mod progress;
mod render;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jianfu::{AnnualPlan, Engine, Error, ErrorData, Register, Ruleset};

/// Exit codes (退出码). Documented in the README and in `--help`.
mod exit {
    /// Everything read; nothing prohibited (or no lint warning).
    pub const OK: u8 = 0;
    /// Everything read; some item is prohibited, a draft has burden clauses, or lint warns.
    pub const FINDINGS: u8 = 1;
    /// Bad arguments (clap's own code, and an argument the core refuses).
    pub const USAGE: u8 = 2;
    /// Some input records could not be read; every other record was still processed.
    pub const BAD_INPUT: u8 = 3;
    /// The ruleset or a file could not be loaded.
    pub const FATAL: u8 = 4;
}

const AFTER_HELP: &str = "退出码 Exit codes:
  0  全部读取，无禁止事项 / all input read, nothing prohibited
  1  有禁止事项、负担条款或规则警告 / something prohibited, burden clauses, or lint warnings
  2  参数错误 / bad arguments
  3  部分记录无法读取（其余记录已处理）/ some records unreadable (the rest were processed)
  4  规则集或文件无法加载 / ruleset or file could not be loaded";

/// 减负 jianfu：中小学教师减负规则核查工具 — teacher burden-reduction rules checker.
#[derive(Parser)]
#[command(
    name = "jianfu",
    version,
    about = "减负 jianfu：中小学教师减负规则核查、发文审核、年度计划核查 — teacher burden-reduction rules: check items, review drafts, check annual plans",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the rules come from: each command that judges has these flags, and only those.
#[derive(clap::Args, Default)]
struct RulesArgs {
    /// 规则集路径（默认：内置 国家→河南→三门峡）/ ruleset file or directory (default: embedded)
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        conflicts_with = "jurisdiction"
    )]
    ruleset: Option<PathBuf>,
    /// 内置辖区：sanmenxia（默认）、mianchi（渑池县）、zhengzhou（郑州市）、shaanxi（陕西省）/
    /// embedded jurisdiction: its stack of layers
    #[arg(long, global = true, value_name = "ID")]
    jurisdiction: Option<String>,
}

/// The flags of every command that judges: rules, calendar, threads and progress.
#[derive(clap::Args)]
struct JudgeArgs {
    #[command(flatten)]
    rules: RulesArgs,
    #[command(flatten)]
    calendar: CalendarArgs,
    #[command(flatten)]
    run: RunArgs,
}

/// The school calendar (dates, rest days, periods).
#[derive(clap::Args, Default)]
struct CalendarArgs {
    /// 校历文件（默认：内置河南校历）/ school calendar file (default: embedded Henan calendar)
    #[arg(long, value_name = "FILE")]
    calendar: Option<PathBuf>,
}

/// How a long command runs.
#[derive(clap::Args, Default)]
struct RunArgs {
    /// 线程数（0 = 全部核心）/ threads for checks and scoring (0 = every core)
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// 不在终端显示进度 / no progress display on the terminal
    #[arg(long, short)]
    quiet: bool,
}

/// `--format` of the commands that print text or JSON.
#[derive(clap::Args)]
struct TextOrJson {
    /// 输出格式 / output format
    #[arg(long, global = true, value_enum, default_value_t = Shown::Text)]
    format: Shown,
}

/// `--format` of the commands that print a score table.
#[derive(clap::Args)]
struct TableOut {
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// What `check`, `review`, `plan` and `rules` print.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Shown {
    /// 中英文可读文本 / human-readable text
    Text,
    /// JSON（JSON Lines for many items）
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// 中英文可读文本 / human-readable text
    Text,
    /// JSON
    Json,
    /// CSV（每校一行 / one row per school）
    Csv,
}

impl From<Shown> for Format {
    fn from(shown: Shown) -> Self {
        match shown {
            Shown::Text => Self::Text,
            Shown::Json => Self::Json,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// 核查事项 / check items (one JSON object, a JSON array, or JSON Lines; `-` for stdin)
    Check {
        /// 事项文件 / item file
        file: PathBuf,
        /// 核查日期 / the date to judge as of (YYYY-MM-DD, default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// 本期登记簿（跨事项规则）/ the period's register for cross-item rules
        #[arg(long, value_name = "FILE")]
        register: Option<PathBuf>,
        #[command(flatten)]
        judge: JudgeArgs,
        #[command(flatten)]
        shown: TextOrJson,
    },
    /// 发文审核 / review a draft document for burden clauses
    Review {
        /// 文稿（纯文本）或文件夹，多份时在各线程上同时审核 / draft text files or folders of them, several reviewed at once on the threads; with --eval, one labelled clause corpus (JSON Lines)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 审核日期 / as-of date (default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// 评测：按规则统计准确率和召回率（同一通知 doc 的条款合为整篇审核）/ evaluate on labelled clauses: precision and recall per rule (the clauses of one notice, `doc`, reviewed as one text)
        #[arg(long)]
        eval: bool,
        /// 评测时列出判错的条款 / with --eval, list the clauses the review got wrong
        #[arg(long, requires = "eval")]
        misses: bool,
        #[command(flatten)]
        judge: JudgeArgs,
        #[command(flatten)]
        shown: TextOrJson,
    },
    /// 年度督查检查计划核查 / check an annual inspection plan
    Plan {
        /// 计划文件（JSON）/ plan file
        file: PathBuf,
        /// 核查日期 / as-of date (default today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// 其他部门计划和事项 / register with other plans and items
        #[arg(long, value_name = "FILE")]
        register: Option<PathBuf>,
        #[command(flatten)]
        judge: JudgeArgs,
        #[command(flatten)]
        shown: TextOrJson,
    },
    /// 负担评分 / burden scores per school, teacher, county and stratum for one period
    Score {
        #[command(flatten)]
        tables: Tables,
        /// 输出文件（默认标准输出）/ output file (default stdout)
        #[arg(long, visible_alias = "out", value_name = "FILE")]
        output: Option<PathBuf>,
        /// 在标准错误输出各阶段耗时 / print read and scoring times to stderr
        #[arg(long)]
        timings: bool,
        /// 输出部分汇总（JSON），供 merge 合并 / write the partial aggregate (JSON) for `merge`
        /// instead of the report
        #[arg(long, conflicts_with = "format")]
        partial: bool,
        #[command(flatten)]
        judge: JudgeArgs,
        #[command(flatten)]
        table: TableOut,
    },
    /// 合并部分汇总 / merge partial aggregates (from `score --partial`, one per county or
    /// worker) into the report the whole data would give
    Merge {
        /// 部分汇总文件 / partial files (JSON)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 输出文件（默认标准输出）/ output file (default stdout)
        #[arg(long, visible_alias = "out", value_name = "FILE")]
        output: Option<PathBuf>,
        /// 输出合并后的部分汇总而非报告 / write the merged partial, not the report
        #[arg(long, conflicts_with = "format")]
        partial: bool,
        #[command(flatten)]
        table: TableOut,
    },
    /// 生成命令补全脚本 / print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        /// 终端类型 / the shell
        shell: clap_complete::Shell,
    },
    /// 生成手册页 / print the man page (roff), e.g. `jianfu man > jianfu.1`
    Man,
    /// 输出 JSON Schema / print the JSON Schema of an input or output (item, verdict, review,
    /// plan, score); every JSON output carries `format_version`
    Schema {
        /// 哪一种 / which shape
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(jianfu::schema::NAMES))]
        name: String,
    },
    /// 监测报告 / monitoring report: JSON and a self-contained HTML file with charts
    Report {
        #[command(flatten)]
        tables: Tables,
        /// 输出目录 / output directory
        #[arg(
            long,
            visible_alias = "output",
            value_name = "DIR",
            default_value = "."
        )]
        out: PathBuf,
        /// 报告标题 / report title
        #[arg(long, default_value = jianfu::score::html::DEFAULT_TITLE)]
        title: String,
        /// 预警阶梯范围：all_schools（全部学校）或 sample_points（样本点）/ which schools the ladder runs over
        #[arg(long, value_name = "SCOPE", default_value = "all_schools")]
        ladder: String,
        /// 覆盖已有的报告文件 / overwrite report files that already exist
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        judge: JudgeArgs,
    },
    /// 生成示例数据 / generate a deterministic demo city (schools.csv, events.csv)
    DemoData {
        /// 随机种子 / seed
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 学校数 / number of schools
        #[arg(long, default_value_t = 1200)]
        schools: usize,
        /// 学期（逗号分隔）/ semesters to fill, comma-separated
        #[arg(long, default_value = "2026-spring", value_delimiter = ',')]
        semesters: Vec<String>,
        #[command(flatten)]
        calendar: CalendarArgs,
        /// 输出目录 / output directory
        #[arg(
            long,
            visible_alias = "output",
            value_name = "DIR",
            default_value = "."
        )]
        out: PathBuf,
    },
    /// 规则 / list, show or lint the rules
    Rules {
        #[command(subcommand)]
        action: RulesAction,
        #[command(flatten)]
        rules: RulesArgs,
        #[command(flatten)]
        shown: TextOrJson,
    },
}

/// The inputs of `score` and `report`.
#[derive(clap::Args)]
struct Tables {
    /// 负担事件（CSV、JSON、Parquet 文件或 Parquet 目录）/ events: .csv, .json, .parquet, or a
    /// folder of .parquet files
    #[arg(long, value_name = "FILE")]
    events: PathBuf,
    /// 学校名录（CSV、JSON 或 Parquet）/ schools: .csv, .json, .parquet or a folder of them
    #[arg(long, value_name = "FILE")]
    schools: PathBuf,
    /// 监测期 / period id, e.g. 2026-spring-1
    #[arg(long)]
    period: String,
}

#[derive(Subcommand)]
enum RulesAction {
    /// 列出规则 / list rules
    List,
    /// 显示规则 / show one rule with its citation, parameters and condition
    Show {
        /// 规则编号 / rule id, e.g. SMX2022-5
        id: String,
    },
    /// 规则集检查 / lint: loosening layers, unreachable or duplicate rules, uncovered kinds
    Lint,
}

/// Standard output as its file descriptor where there is one: the standard library's stdout
/// is line-buffered and scans every large write for its last newline, which the review's
/// megabytes of JSON pay for (nothing else writes to stdout, so nothing interleaves).
fn raw_stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout().lock())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Buffered: a line per write call would be a system call per verdict. Commands that
    // stream flush as they go (check: after each batch).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, raw_stdout());
    let result = run(&cli, &mut out).and_then(|code| {
        out.flush()
            .map_err(|e| Error::write_failed("<stdout>", e))
            .map(|()| code)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`jianfu score … | head`) is the reader's choice, not an error.
        Err(Error::Io { path, reason }) if path == "<stdout>" && reason.contains("Broken pipe") => {
            ExitCode::from(exit::OK)
        }
        Err(error) => {
            report(&error, cli.command.format());
            let code = match error {
                Error::InvalidArgument { .. }
                | Error::UnknownJurisdiction { .. }
                | Error::DateInvalid { .. }
                | Error::UnknownPeriod { .. }
                | Error::UnknownRule { .. } => exit::USAGE,
                _ => exit::FATAL,
            };
            ExitCode::from(code)
        }
    }
}

impl Command {
    /// The format the command prints in (errors follow it: JSON errors for `--format json`).
    fn format(&self) -> Format {
        match self {
            Self::Check { shown, .. }
            | Self::Review { shown, .. }
            | Self::Plan { shown, .. }
            | Self::Rules { shown, .. } => shown.format.into(),
            Self::Score { table, .. } | Self::Merge { table, .. } => table.format,
            _ => Format::Text,
        }
    }

    /// The command's rules, calendar and run flags (the defaults where it has none).
    fn setup(&self) -> (Option<&RulesArgs>, Option<&CalendarArgs>, Option<&RunArgs>) {
        match self {
            Self::Check { judge, .. }
            | Self::Review { judge, .. }
            | Self::Plan { judge, .. }
            | Self::Score { judge, .. }
            | Self::Report { judge, .. } => {
                (Some(&judge.rules), Some(&judge.calendar), Some(&judge.run))
            }
            Self::DemoData { calendar, .. } => (None, Some(calendar), None),
            Self::Rules { rules, .. } => (Some(rules), None, None),
            _ => (None, None, None),
        }
    }
}

fn run(cli: &Cli, out: &mut dyn Write) -> Result<u8, Error> {
    // Generated from the clap definition alone: no ruleset is loaded for these.
    match &cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(*shell, &mut Cli::command(), "jianfu", out);
            return Ok(exit::OK);
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(out)
                .map_err(|e| Error::write_failed("<stdout>", e))?;
            return Ok(exit::OK);
        }
        Command::Schema { name } => {
            let schema = jianfu::schema::schema(name)?;
            let text = serde_json::to_string_pretty(&schema)
                .map_err(|e| Error::write_failed("<stdout>", e))?;
            writeln!(out, "{text}").map_err(|e| Error::write_failed("<stdout>", e))?;
            return Ok(exit::OK);
        }
        _ => {}
    }
    let (source, calendar, run) = cli.command.setup();
    let (no_source, no_run) = (RulesArgs::default(), RunArgs::default());
    let (source, run) = (source.unwrap_or(&no_source), run.unwrap_or(&no_run));
    let ruleset = match (&source.ruleset, &source.jurisdiction) {
        (Some(path), _) => Ruleset::from_path(path)?,
        (None, Some(id)) => Ruleset::jurisdiction(id)?,
        (None, None) => Ruleset::embedded()?,
    };
    let mut engine = Engine::new(ruleset)?.with_threads(jianfu::Threads::new(run.threads));
    if let Some(path) = calendar.and_then(|c| c.calendar.as_ref()) {
        let text = read(path)?;
        engine = engine.with_calendar(jianfu::Calendar::from_toml(
            &path.display().to_string(),
            &text,
        )?);
    }
    let format = cli.command.format();
    let json = format == Format::Json;
    let quiet = run.quiet;
    match &cli.command {
        Command::Check {
            file,
            as_of,
            register,
            ..
        } => {
            let as_of = as_of_date(as_of.as_deref())?;
            let register = register.as_deref().map(read_register).transpose()?;
            let source = file.display().to_string();
            let mut code = exit::OK;
            let mut bad = false;
            // JSON Lines stream, a batch at a time: its lines parsed, checked and (for JSON)
            // written out on the engine's threads, then printed in input order.
            let threads = engine.threads();
            // A sheet (CSV, Excel) is read whole; JSON and JSON Lines are streamed.
            let mut sheet = item_sheet(file)?.map(Vec::into_iter);
            let mut stream = match sheet {
                Some(_) => None,
                None => Some(jianfu::ffi::ItemStream::new(open(file)?, &source)),
            };
            // Batches grow from one item, so the first verdicts come out at once; typed at a
            // terminal, every line is its own batch.
            let typed = file.as_os_str() == "-" && std::io::stdin().is_terminal();
            let most = if typed { 1 } else { CHECK_BATCH };
            let mut size = 1;
            let progress = progress::Progress::items(quiet);
            loop {
                let batch = match (&mut sheet, &mut stream) {
                    (Some(rows), _) => {
                        let batch: Vec<_> = rows.by_ref().take(size).collect();
                        (!batch.is_empty()).then_some(Ok(batch))
                    }
                    (None, Some(stream)) => stream.next_batch(size, threads),
                    (None, None) => None,
                };
                let Some(batch) = batch else { break };
                size = (size * 2).min(most);
                let batch = batch?;
                progress.inc(batch.len());
                let done = threads.map(&batch, |record| {
                    let item = record.item.as_ref().ok()?;
                    let verdict = match &register {
                        Some(register) => engine.check_with(item, as_of, register),
                        None => engine.check(item, as_of),
                    };
                    let line = json.then(|| serde_json::to_string(&verdict));
                    Some((verdict, line))
                });
                for (record, done) in batch.iter().zip(done) {
                    match (&record.item, done) {
                        (Ok(item), Some((verdict, line))) => {
                            if verdict.decision == jianfu::Decision::Prohibited {
                                code = exit::FINDINGS;
                            }
                            match line {
                                Some(line) => {
                                    let line =
                                        line.map_err(|e| Error::write_failed("<stdout>", e))?;
                                    writeln!(out, "{line}")
                                        .map_err(|e| Error::write_failed("<stdout>", e))?;
                                }
                                None => render::verdict(out, item, &verdict)?,
                            }
                        }
                        (Err(error), _) => {
                            bad = true;
                            if json {
                                write_json(
                                    out,
                                    &serde_json::json!({ "error": ErrorData::from(error) }),
                                )?;
                            } else {
                                report(error, Format::Text);
                            }
                        }
                        (Ok(_), None) => {}
                    }
                }
                out.flush()
                    .map_err(|e| Error::write_failed("<stdout>", e))?;
            }
            Ok(if bad { exit::BAD_INPUT } else { code })
        }
        Command::Review {
            files,
            as_of,
            eval: true,
            misses,
            ..
        } => {
            let [file] = files.as_slice() else {
                return Err(Error::InvalidArgument {
                    name: "review --eval".into(),
                    value: format!("{} files", files.len()),
                    expected: "one labelled corpus file (只接受一个语料文件)".into(),
                });
            };
            let as_of = as_of_date(as_of.as_deref())?;
            let source = file.display().to_string();
            let clauses = jianfu::text::eval::read_labelled(&read(file)?, &source)?;
            let report = engine.evaluate(&clauses, as_of);
            if json {
                write_json(out, &report)?;
            } else {
                render::evaluation(out, &report, *misses)?;
            }
            Ok(exit::OK)
        }
        Command::Review { files, as_of, .. } => {
            let as_of = as_of_date(as_of.as_deref())?;
            let (drafts, folder) = draft_files(files)?;
            let ([file], false) = (drafts.as_slice(), folder) else {
                return review_files(out, &engine, &drafts, as_of, json, quiet);
            };
            let source = file.display().to_string();
            // The draft is read and reviewed a part at a time; each part's findings are
            // rendered on the thread that found them and written in order, the totals last.
            let review = if json {
                out.write_all(b"{\"findings\":[").map_err(stdout_error)?;
                let review = render::review_parts(
                    out,
                    &engine,
                    draft(file, quiet)?,
                    &source,
                    as_of,
                    b",",
                    |share| findings_json(share).map_err(|e| stdout_error(e.into())),
                )?;
                // The totals close the object: the review's other fields, after the findings.
                let mut totals =
                    serde_json::to_value(&review).map_err(|e| stdout_error(e.into()))?;
                if let Some(fields) = totals.as_object_mut() {
                    fields.shift_remove("findings");
                }
                let totals = totals.to_string();
                writeln!(out, "],{}", totals.get(1..).unwrap_or("}")).map_err(stdout_error)?;
                review
            } else {
                render::review_streamed(out, &engine, draft(file, quiet)?, &source, as_of)?
            };
            Ok(if review.flagged == 0 {
                exit::OK
            } else {
                exit::FINDINGS
            })
        }
        Command::Plan {
            file,
            as_of,
            register,
            ..
        } => {
            let as_of = as_of_date(as_of.as_deref())?;
            let register = register.as_deref().map(read_register).transpose()?;
            let plan = AnnualPlan::from_json(&read(file)?).map_err(|e| with_source(e, file))?;
            let report = engine.check_plan(&plan, as_of, register.as_ref());
            if json {
                write_json(out, &report)?;
            } else {
                render::plan(out, &plan, &report)?;
            }
            Ok(if report.decision == jianfu::Decision::Prohibited {
                exit::FINDINGS
            } else {
                exit::OK
            })
        }
        Command::Rules { action, .. } => rules(&engine, action, json, out),
        Command::Score {
            tables,
            output,
            timings,
            partial,
            ..
        } => {
            let started = std::time::Instant::now();
            let (events, schools, bad) = read_tables(tables, engine.threads(), quiet)?;
            let read_done = std::time::Instant::now();
            let sums = engine.partial(&events, &schools, &tables.period)?;
            if *timings {
                eprintln!(
                    "timings: read {:.3} s, score {:.3} s ({} events, {} threads)",
                    (read_done - started).as_secs_f64(),
                    read_done.elapsed().as_secs_f64(),
                    events.len(),
                    engine.threads().count()
                );
            }
            let mut sink = Sink::open(output.as_deref(), out)?;
            if *partial {
                write_json(sink.get(), &sums)?;
            } else {
                write_scores(sink.get(), format, &sums.finish()?)?;
            }
            Ok(if bad { exit::BAD_INPUT } else { exit::OK })
        }
        Command::Merge {
            files,
            output,
            partial,
            ..
        } => {
            let mut merged: Option<jianfu::score::Partial> = None;
            for path in files {
                let text = read(path)?;
                let with_path = |e: Error| match e {
                    Error::PartialInvalid { reason } => Error::PartialInvalid {
                        reason: format!("{}: {reason}", path.display()),
                    },
                    other => other,
                };
                let next = jianfu::score::Partial::from_json(&text).map_err(with_path)?;
                merged = Some(match merged {
                    None => next,
                    Some(m) => m.merge(next).map_err(with_path)?,
                });
            }
            let Some(merged) = merged else {
                return Ok(exit::OK);
            };
            let mut sink = Sink::open(output.as_deref(), out)?;
            if *partial {
                write_json(sink.get(), &merged)?;
            } else {
                write_scores(sink.get(), format, &merged.finish()?)?;
            }
            Ok(exit::OK)
        }
        Command::Report {
            tables,
            out: dir,
            title,
            ladder,
            force,
            ..
        } => {
            let json_path = dir.join(format!("report-{}.json", tables.period));
            let html_path = dir.join(format!("report-{}.html", tables.period));
            // A report already written (perhaps sent, perhaps edited) is not replaced unasked.
            if let Some(existing) = [&json_path, &html_path].into_iter().find(|p| p.exists()) {
                if !force {
                    return Err(Error::InvalidArgument {
                        name: "report --out".into(),
                        value: existing.display().to_string(),
                        expected: "a file that does not exist yet (已存在；加 --force 覆盖 / exists; add --force to overwrite)".into(),
                    });
                }
            }
            let (events, schools, bad) = read_tables(tables, engine.threads(), quiet)?;
            let options = jianfu::score::MonitorOptions {
                ladder: ladder.parse()?,
            };
            let report = engine.monitor_with(&events, &schools, &tables.period, options)?;
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
            let text =
                serde_json::to_string_pretty(&report).map_err(|e| io_error(&json_path, e))?;
            std::fs::write(&json_path, text).map_err(|e| io_error(&json_path, e))?;
            std::fs::write(&html_path, jianfu::score::html::render(&report, title))
                .map_err(|e| io_error(&html_path, e))?;
            render::monitor(out, &report, &json_path, &html_path)?;
            Ok(if bad { exit::BAD_INPUT } else { exit::OK })
        }
        Command::DemoData {
            seed,
            schools,
            semesters,
            out: dir,
            ..
        } => {
            let config = jianfu::score::demo::DemoConfig {
                seed: *seed,
                schools: *schools,
                semesters: semesters.clone(),
                ..Default::default()
            };
            config.check(engine.calendar())?;
            let schools = jianfu::score::demo::schools(&config);
            let events = jianfu::score::demo::events(&config, &schools, engine.calendar());
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
            let schools_path = dir.join("schools.csv");
            let events_path = dir.join("events.csv");
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&schools_path).map_err(|e| io_error(&schools_path, e))?,
            );
            jianfu::score::write::schools_csv(&schools, &mut f)?;
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(&events_path).map_err(|e| io_error(&events_path, e))?,
            );
            jianfu::score::write::events_csv(&events, &schools, &mut f)?;
            let teachers: u32 = schools.rows().iter().map(|s| s.teachers).sum();
            let sample = schools.rows().iter().filter(|s| s.sample_point).count();
            writeln!(out, "示例数据 Demo data (seed {seed}): {} 所学校 schools（{sample} 个样本点 sample points），{teachers} 名教师 teachers，{} 条事件 events → {}, {}",
                schools.len(), events.len(), schools_path.display(), events_path.display()).map_err(|e| io_error(Path::new("<stdout>"), e))?;
            Ok(exit::OK)
        }
        // Answered above, before the ruleset is loaded.
        Command::Completions { .. } | Command::Man | Command::Schema { .. } => Ok(exit::OK),
    }
}

fn rules(
    engine: &Engine,
    action: &RulesAction,
    json: bool,
    out: &mut dyn Write,
) -> Result<u8, Error> {
    let ruleset = engine.ruleset();
    match action {
        RulesAction::List => {
            if json {
                write_json(out, &ruleset.rules())?;
            } else {
                render::rule_list(out, ruleset)?;
            }
            Ok(exit::OK)
        }
        RulesAction::Show { id } => {
            let rules = ruleset.rule(id)?;
            if json {
                write_json(out, &rules)?;
            } else {
                for rule in rules {
                    render::rule(out, ruleset, rule)?;
                }
            }
            Ok(exit::OK)
        }
        RulesAction::Lint => {
            let findings = ruleset.lint();
            if json {
                write_json(out, &findings)?;
            } else {
                render::lint(out, ruleset, &findings)?;
            }
            let warns = findings.iter().any(|f| f.severity == "warning");
            Ok(if warns { exit::FINDINGS } else { exit::OK })
        }
    }
}

fn as_of_date(text: Option<&str>) -> Result<chrono::NaiveDate, Error> {
    match text {
        Some(text) => jianfu::parse_date(text),
        // The CLI may read the clock; the core never does.
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// A buffered reader over a file, or stdin for `-`, yielding UTF-8 whatever the file's encoding
/// (UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030: [`jianfu::encoding`]).
fn open(path: &Path) -> Result<Box<dyn std::io::BufRead>, Error> {
    let source = path.display().to_string();
    if path == Path::new("-") {
        return jianfu::encoding::reader(std::io::stdin().lock(), &source);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::read_failed(source.clone(), e))?;
    jianfu::encoding::reader(std::io::BufReader::with_capacity(1 << 16, file), &source)
}

/// A whole file (`-`: standard input) as UTF-8 text, from whatever encoding it is in.
fn read(path: &Path) -> Result<String, Error> {
    let source = path.display().to_string();
    let io_error = |e: std::io::Error| Error::read_failed(source.clone(), e);
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(io_error)?;
        bytes
    } else {
        std::fs::read(path).map_err(io_error)?
    };
    jianfu::encoding::decode(bytes, &source)
}

/// Drafts reviewed at once, for `jianfu review FILE...`: a round of files read, reviewed and
/// rendered on the engine's threads, then written in the order given, one JSON line or one
/// headed text report each. A file that cannot be read is an error in its place (a JSON
/// line, or stderr) and the others are still reviewed. Each file is read whole (a round holds
/// its files, unlike one draft, which is read a part at a time).
fn review_files(
    out: &mut dyn Write,
    engine: &Engine,
    files: &[PathBuf],
    as_of: chrono::NaiveDate,
    json: bool,
    quiet: bool,
) -> Result<u8, Error> {
    /// One draft's review, named by its file, as a JSON line.
    #[derive(serde::Serialize)]
    struct Sourced<'a, 'e> {
        source: &'a str,
        #[serde(flatten)]
        review: &'a jianfu::Review<'e>,
    }
    let threads = engine.threads();
    let progress = progress::Progress::drafts(quiet, files.len());
    let (mut reviewed, mut flagged, mut bad) = (0usize, 0usize, false);
    // Rounds of many files a thread: threads that finish a short notice take the next, and a
    // round's start and end (the threads wait for its last file) are paid rarely.
    for round in files.chunks(threads.count() * REVIEW_ROUND_PER_THREAD) {
        let done = threads.map(round, |path| {
            let source = path.display().to_string();
            let review = engine.review(&read(path)?, as_of);
            let bytes = if json {
                let mut line = serde_json::to_vec(&Sourced {
                    source: &source,
                    review: &review,
                })
                .map_err(|e| stdout_error(e.into()))?;
                line.push(b'\n');
                line
            } else {
                render::review_of(&source, &review)?
            };
            Ok::<_, Error>((review.flagged, bytes))
        });
        for (path, done) in round.iter().zip(done) {
            match done {
                Ok((found, bytes)) => {
                    reviewed += 1;
                    flagged += usize::from(found > 0);
                    out.write_all(&bytes).map_err(stdout_error)?;
                }
                Err(error) => {
                    bad = true;
                    if json {
                        let source = path.display().to_string();
                        write_json(
                            out,
                            &serde_json::json!({ "source": source, "error": ErrorData::from(&error) }),
                        )?;
                    } else {
                        // The reports before it first, so the error stands in its place.
                        out.flush().map_err(stdout_error)?;
                        report(&error, Format::Text);
                    }
                }
            }
        }
        progress.inc(round.len());
        out.flush().map_err(stdout_error)?;
    }
    progress.finish();
    if !json {
        writeln!(
            out,
            "\n共审核 {reviewed} 份文稿，{flagged} 份有负担条款 / {reviewed} drafts reviewed, {flagged} with burden clauses"
        )
        .map_err(stdout_error)?;
    }
    Ok(if bad {
        exit::BAD_INPUT
    } else if flagged > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// The drafts `jianfu review` is given: each file as named, and each folder's files in name
/// order (not those whose names start with a dot, nor its folders); whether a folder was
/// among them.
fn draft_files(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, bool), Error> {
    let mut files = Vec::with_capacity(paths.len());
    let mut folder = false;
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        folder = true;
        let source = path.display().to_string();
        let entries = std::fs::read_dir(path).map_err(|e| Error::read_failed(source.clone(), e))?;
        let mut inside = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::read_failed(source.clone(), e))?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && !entry.path().is_dir() {
                inside.push(entry.path());
            }
        }
        inside.sort();
        files.extend(inside);
    }
    Ok((files, folder))
}

/// Drafts a thread takes in one round of `jianfu review FILE...`.
const REVIEW_ROUND_PER_THREAD: usize = 64;

/// A draft for review, opened with a progress display over its bytes.
fn draft(path: &Path, quiet: bool) -> Result<Box<dyn std::io::BufRead>, Error> {
    let len = progress::file_len(path);
    let progress = progress::Progress::bytes(quiet, "审核文稿 reviewing", len);
    Ok(progress.wrap(open(path)?))
}

/// A workbook's first sheet (.xlsx, .xls, .ods) as CSV text, for the table readers.
fn workbook_csv(path: &Path) -> Result<String, Error> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::read_failed(source.clone(), e))?;
    Ok(jianfu::sheet::Sheet::from_excel(&bytes, &source)?.to_csv())
}

/// An item sheet (CSV, or a workbook's first sheet) by its extension, as records; `None` for
/// JSON and JSON Lines.
fn item_sheet(path: &Path) -> Result<Option<Vec<jianfu::ffi::Record>>, Error> {
    let source = path.display().to_string();
    let sheet = if jianfu::sheet::is_workbook(path) {
        let bytes = std::fs::read(path).map_err(|e| Error::read_failed(source.clone(), e))?;
        jianfu::sheet::Sheet::from_excel(&bytes, &source)?
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        jianfu::sheet::Sheet::from_csv(&read(path)?, &source)?
    } else {
        return Ok(None);
    };
    jianfu::sheet::items(&sheet, &source).map(Some)
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::write_failed(path.display().to_string(), e)
}

/// Reads schools and events (CSV or JSON by extension). Bad rows are reported on stderr and
/// the rest are kept; the flag says whether any row was bad.
fn read_tables(
    tables: &Tables,
    threads: jianfu::Threads,
    quiet: bool,
) -> Result<(jianfu::score::Events, jianfu::score::Schools, bool), Error> {
    use jianfu::score::read;
    let is_json = |p: &Path| {
        p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    };
    use jianfu::arrow::parquet;
    let schools = if parquet::is_parquet(&tables.schools) {
        parquet::schools(&tables.schools, threads)?
    } else if jianfu::sheet::is_workbook(&tables.schools) {
        let source = tables.schools.display().to_string();
        read::schools_csv(&workbook_csv(&tables.schools)?, &source)
    } else {
        let text = read(&tables.schools)?;
        let source = tables.schools.display().to_string();
        if is_json(&tables.schools) {
            read::schools_json(&text, &source)
        } else {
            read::schools_csv(&text, &source)
        }
    };
    let events = if parquet::is_parquet(&tables.events) {
        parquet::events(&tables.events, &schools.table, threads)?
    } else if jianfu::sheet::is_workbook(&tables.events) {
        let source = tables.events.display().to_string();
        let csv = workbook_csv(&tables.events)?;
        read::events_csv_on(&csv, &source, &schools.table, threads)
    } else {
        let source = tables.events.display().to_string();
        if is_json(&tables.events) {
            read::events_json(&read(&tables.events)?, &source, &schools.table)
        } else {
            // Read a block at a time: memory holds the events, not the whole text.
            let len = progress::file_len(&tables.events);
            let progress = progress::Progress::bytes(quiet, "读取事件 reading events", len);
            let events = progress.wrap(open(&tables.events)?);
            read::events_csv_reader(events, &source, &schools.table, threads)?
        }
    };
    // A table whose columns do not match is not scored as an empty one.
    read::refuse_schema(&schools.errors)?;
    read::refuse_schema(&events.errors)?;
    let bad = !schools.errors.is_empty() || !events.errors.is_empty();
    for error in schools.errors.iter().chain(&events.errors) {
        report(error, Format::Text);
    }
    Ok((events.table, schools.table, bad))
}

/// Scores as the format asks: JSON, one CSV row per school, or text.
fn write_scores(
    sink: &mut dyn Write,
    format: Format,
    report: &jianfu::score::ScoreReport,
) -> Result<(), Error> {
    match format {
        Format::Json => write_json(sink, report),
        Format::Csv => jianfu::score::write::scores_csv(report, sink),
        Format::Text => render::scores(sink, report),
    }
}

/// Where a command's main output goes: a file (`--output`) or stdout.
enum Sink<'a> {
    File(std::fs::File),
    Out(&'a mut dyn Write),
}

impl<'a> Sink<'a> {
    fn open(path: Option<&Path>, out: &'a mut dyn Write) -> Result<Self, Error> {
        Ok(match path {
            Some(path) => Sink::File(std::fs::File::create(path).map_err(|e| io_error(path, e))?),
            None => Sink::Out(out),
        })
    }

    fn get(&mut self) -> &mut dyn Write {
        match self {
            Sink::File(file) => file,
            Sink::Out(out) => *out,
        }
    }
}

/// Findings as the comma-separated inside of a JSON list, in one buffer, each rule's texts
/// serialised once.
fn findings_json(findings: &[jianfu::ReviewFinding<'_>]) -> serde_json::Result<Vec<u8>> {
    let mut buffer = Vec::with_capacity(findings.len() * 1024);
    let mut json = jianfu::FindingsJson::new();
    for (n, finding) in findings.iter().enumerate() {
        if n > 0 {
            buffer.push(b',');
        }
        json.write(&mut buffer, finding)?;
    }
    Ok(buffer)
}

/// Items read, checked and written per batch by `check`: large enough to keep every thread
/// busy, small enough that the first verdicts come out at once.
const CHECK_BATCH: usize = 4096;

fn read_register(path: &Path) -> Result<Register, Error> {
    Register::from_json(&read(path)?).map_err(|e| with_source(e, path))
}

/// Replaces the generic `<register>` / `<plan>` source name with the file's path.
fn with_source(error: Error, path: &Path) -> Error {
    match error {
        Error::ItemInvalid {
            mut location,
            reason,
        } => {
            location.source = Some(path.display().to_string());
            Error::ItemInvalid { location, reason }
        }
        other => other,
    }
}

fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_string(value).map_err(|e| Error::write_failed("<stdout>", e))?;
    writeln!(out, "{text}").map_err(|e| Error::write_failed("<stdout>", e))
}

fn report(error: &Error, format: Format) {
    let mut err = std::io::stderr().lock();
    let _ = match format {
        Format::Json => writeln!(
            err,
            "{}",
            serde_json::json!({ "error": ErrorData::from(error) })
        ),
        Format::Text | Format::Csv => writeln!(err, "错误 error[{}]: {error}", error.code()),
    };
}

/// A failure to write the output.
fn stdout_error(e: std::io::Error) -> Error {
    Error::write_failed("<stdout>", e)
}
