//! `alphafactory alpha eval`: check and evaluate alphas over a panel file, write them long.
//!
//! ```text
//! alphafactory alpha eval --panel prices.parquet --library alpha101 --only 1,2,101 --out a.parquet
//! alphafactory alpha eval --panel prices.csv --expr "rank(delta(close, 5))" --expr tech:rsi14 --out a.csv
//! ```
//! Every expression is checked before anything is evaluated; a bad one stops the command with
//! its byte offset and a caret line. Output columns: `date, asset, alpha, value` (CSV or Parquet
//! by extension); cells whose value is `NaN` are skipped unless `--keep-nan`.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use af_alpha::library::{library, resolve, LibraryAlpha};
use af_alpha::{evaluate_each, Plan};
use af_core::Panel;
use af_data::{read_panel, ReadOptions, ValidationPolicy};
use anyhow::{bail, Context, Result};
use arrow::array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use clap::Args;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

/// Arguments of `alpha eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Panel file (long or wide; CSV or Parquet) with open, high, low, close, volume, vwap, …
    #[arg(long)]
    pub panel: PathBuf,
    /// An expression, or a library name such as alpha101:007 or tech:rsi14 (repeatable).
    #[arg(long, required_unless_present = "library")]
    pub expr: Vec<String>,
    /// Evaluate a whole library: alpha101 or tech.
    #[arg(long, conflicts_with = "expr")]
    pub library: Option<String>,
    /// With --library: only these entries (alpha101: numbers 1..101; tech: names), comma-separated.
    #[arg(long, requires = "library", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Output file: .csv or .parquet, long format (date, asset, alpha, value).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write cells whose value is NaN (empty / null value).
    #[arg(long)]
    pub keep_nan: bool,
    /// Repair fixable data problems (duplicates, unsorted rows) instead of stopping.
    #[arg(long)]
    pub repair: bool,
}

/// The `(name, source)` pairs the arguments ask for.
fn requested(args: &EvalArgs) -> Result<Vec<(String, String)>> {
    if let Some(lib) = &args.library {
        let all = library(lib)
            .with_context(|| format!("unknown library `{lib}`; use alpha101 or tech"))?;
        if args.only.is_empty() {
            return Ok(all.into_iter().map(|a| (a.name, a.source.into())).collect());
        }
        return args
            .only
            .iter()
            .map(|o| {
                let a: LibraryAlpha = resolve(&format!("{lib}:{}", o.trim()))
                    .map_err(|_| anyhow::anyhow!("--only: `{o}` is not an entry of `{lib}`"))?;
                Ok((a.name, a.source.to_string()))
            })
            .collect();
    }
    Ok(args
        .expr
        .iter()
        .enumerate()
        .map(|(i, e)| match resolve(e.trim()) {
            Ok(a) => (a.name, a.source.to_string()),
            Err(_) => (format!("expr{}", i + 1), e.clone()),
        })
        .collect())
}

/// Output file formats, chosen by extension.
#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Parquet,
}

/// The output format of `path`, checked before any work is done.
fn output_format(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => Ok(Format::Csv),
        "parquet" | "pq" => Ok(Format::Parquet),
        other => bail!(
            "unsupported output extension `.{other}` for {}; use .csv or .parquet",
            path.display()
        ),
    }
}

/// Run `alpha eval`.
pub fn run(args: &EvalArgs) -> Result<()> {
    let format = output_format(&args.out)?;
    let exprs = requested(args)?;
    let opts = ReadOptions {
        policy: if args.repair {
            ValidationPolicy::Repair
        } else {
            ValidationPolicy::Strict
        },
        ..ReadOptions::default()
    };
    let t0 = Instant::now();
    let panel = read_panel(&args.panel, &opts)
        .with_context(|| format!("reading panel {}", args.panel.display()))?
        .panel;
    let mut plan = Plan::for_panel(&panel);
    for (name, src) in &exprs {
        plan.add(name, src)
            .map_err(|e| anyhow::anyhow!("alpha `{name}`: {e}"))?;
    }
    let t1 = Instant::now();
    // each alpha is written as soon as it is computed; its buffer then serves the next ones
    let mut out = LongWriter::create(&panel, &args.out, format, args.keep_nan)?;
    evaluate_each(&plan, &panel, |a| out.alpha(a.name, a.values))?;
    let rows = out.finish()?;
    let t2 = Instant::now();
    eprintln!(
        "{} alphas ({} plan nodes) over {} dates × {} assets: read {:.2}s, evaluate and write \
         {:.2}s; wrote {rows} rows to {}",
        plan.roots().len(),
        plan.nodes().len(),
        panel.n_dates(),
        panel.n_assets(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        args.out.display()
    );
    Ok(())
}

/// Dates as text: `YYYY-MM-DD` when every date is at midnight, else ISO date-time.
fn date_strings(panel: &Panel) -> Vec<String> {
    let midnight = panel
        .dates()
        .iter()
        .all(|d| d.time() == chrono::NaiveTime::MIN);
    panel
        .dates()
        .iter()
        .map(|d| {
            if midnight {
                d.format("%Y-%m-%d").to_string()
            } else {
                d.format("%Y-%m-%dT%H:%M:%S").to_string()
            }
        })
        .collect()
}

/// Rows per Parquet record batch: the cells are streamed, never all held at once.
const BATCH_ROWS: usize = 1 << 16;

/// The long-format output, written one alpha at a time: `date, asset, alpha, value`, alpha-major
/// then date then asset.
struct LongWriter<'p> {
    panel: &'p Panel,
    dates: Vec<String>,
    keep_nan: bool,
    sink: Sink,
    rows: usize,
}

/// The open output file.
enum Sink {
    Csv(csv::Writer<BufWriter<File>>),
    Parquet {
        w: ArrowWriter<BufWriter<File>>,
        schema: Arc<Schema>,
        /// `(date, asset, value)` of the cells not yet written, all of `alpha`.
        batch: Vec<(usize, usize, f64)>,
        alpha: String,
    },
}

impl<'p> LongWriter<'p> {
    fn create(panel: &'p Panel, path: &Path, format: Format, keep_nan: bool) -> Result<Self> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let sink = match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(BufWriter::new(file));
                w.write_record(["date", "asset", "alpha", "value"])?;
                Sink::Csv(w)
            }
            Format::Parquet => {
                let schema = Arc::new(Schema::new(vec![
                    Field::new("date", DataType::Utf8, false),
                    Field::new("asset", DataType::Utf8, false),
                    Field::new("alpha", DataType::Utf8, false),
                    Field::new("value", DataType::Float64, true),
                ]));
                let props = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .build();
                let w = ArrowWriter::try_new(BufWriter::new(file), schema.clone(), Some(props))?;
                Sink::Parquet {
                    w,
                    schema,
                    batch: Vec::with_capacity(BATCH_ROWS),
                    alpha: String::new(),
                }
            }
        };
        Ok(Self {
            panel,
            dates: date_strings(panel),
            keep_nan,
            sink,
            rows: 0,
        })
    }

    /// Every written cell of one alpha (`values` in the panel's layout).
    fn alpha(&mut self, name: &str, values: &[f64]) -> Result<()> {
        let (nd, na) = (self.panel.n_dates(), self.panel.n_assets());
        let keep_nan = self.keep_nan;
        let cells = (0..nd).flat_map(|t| {
            (0..na).filter_map(move |a| {
                let v = values[a * nd + t];
                (keep_nan || !v.is_nan()).then_some((t, a, v))
            })
        });
        match &mut self.sink {
            Sink::Csv(w) => {
                for (t, a, v) in cells {
                    let value = if v.is_nan() {
                        String::new()
                    } else {
                        format!("{v}")
                    };
                    w.write_record([&self.dates[t], &self.panel.assets()[a], name, &value])?;
                    self.rows += 1;
                }
            }
            Sink::Parquet {
                w,
                schema,
                batch,
                alpha,
            } => {
                alpha.clear();
                alpha.push_str(name);
                for cell in cells {
                    batch.push(cell);
                    self.rows += 1;
                    if batch.len() == BATCH_ROWS {
                        flush(w, schema, batch, alpha, &self.dates, self.panel)?;
                    }
                }
                flush(w, schema, batch, alpha, &self.dates, self.panel)?;
            }
        }
        Ok(())
    }

    /// Close the file; the number of rows written.
    fn finish(self) -> Result<usize> {
        match self.sink {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Parquet { w, .. } => {
                w.close()?;
            }
        }
        Ok(self.rows)
    }
}

/// Write the pending cells of `alpha` as one record batch.
fn flush(
    w: &mut ArrowWriter<BufWriter<File>>,
    schema: &Arc<Schema>,
    batch: &mut Vec<(usize, usize, f64)>,
    alpha: &str,
    dates: &[String],
    panel: &Panel,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            batch.iter().map(|c| &dates[c.0]),
        )),
        Arc::new(StringArray::from_iter_values(
            batch.iter().map(|c| &panel.assets()[c.1]),
        )),
        Arc::new(StringArray::from_iter_values(std::iter::repeat_n(
            alpha,
            batch.len(),
        ))),
        Arc::new(
            batch
                .iter()
                .map(|c| (!c.2.is_nan()).then_some(c.2))
                .collect::<Float64Array>(),
        ),
    ];
    w.write(&RecordBatch::try_new(schema.clone(), cols)?)?;
    batch.clear();
    Ok(())
}
