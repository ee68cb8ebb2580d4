//! How the CLI answers: one error type printed as one line, JSON with
//! `--json`, tables from values otherwise, files written owner-only.

use std::io::Write as _;
use std::path::Path;

use kontor_core::AutomationOutcome;

/// Everything the CLI can fail with; printed as one line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] kontor_core::Error),
    #[error("no data directory: set --data-dir or KONTOR_DATA_DIR")]
    NoDataDir,
    #[error("not an id: {0:?}")]
    InvalidId(String),
    #[error("cannot write output: {0}")]
    Output(String),
    #[error("cannot write output: {0}")]
    Write(#[source] std::io::Error),
    #[error(
        "the check found {0} problem(s); `kontor doctor --repair` rebuilds what is derived from the records"
    )]
    Unhealthy(usize),
}

/// What a command returns.
pub type Result<T = ()> = std::result::Result<T, Error>;

/// `println!` that hands a failed write back as [`Error::Write`] instead of
/// panicking, so `kontor … | head` ends quietly when `head` has read enough.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err($crate::output::Error::Write)?
    }};
}
pub(crate) use out;

/// Prints `value` as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Output(e.to_string()))?;
    out!("{text}");
    Ok(())
}

/// Writes to `path` (owner-only, through a temporary file, so a failed
/// write leaves no half file) or to standard output.
pub fn write_out(path: Option<&Path>, bytes: &[u8]) -> Result {
    match path {
        None => std::io::stdout().write_all(bytes).map_err(|e| Error::Output(e.to_string())),
        Some(path) => Ok(kontor_core::api::data::write_file(path, bytes)?),
    }
}

/// Prints rows as aligned columns (each table followed by an empty line).
pub fn print_tables(tables: &[Vec<Vec<String>>]) -> Result {
    for rows in tables {
        let mut widths: Vec<usize> = vec![];
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                let w = cell.chars().count();
                match widths.get_mut(i) {
                    Some(max) => *max = (*max).max(w),
                    None => widths.push(w),
                }
            }
        }
        for row in rows {
            let cells: Vec<String> =
                row.iter().enumerate().map(|(i, c)| format!("{c:<width$}", width = widths[i])).collect();
            out!("{}", cells.join("  ").trim_end());
        }
        out!();
    }
    Ok(())
}

/// Tells what the rules a command fired did, on stderr (standard output
/// stays the command's answer); not with `--json`, whose output is all a
/// script reads.
pub fn report_automation(outcomes: &[AutomationOutcome], json: bool) {
    if json {
        return;
    }
    for outcome in outcomes {
        match outcome {
            AutomationOutcome::TaskCreated { task } => {
                eprintln!("automation: task {:?} due {}", task.title, task.due.format("%Y-%m-%d"))
            }
            AutomationOutcome::Notice { message } => eprintln!("automation: {message}"),
            AutomationOutcome::Proposed { stage, .. } => eprintln!("automation: proposed {stage}"),
        }
    }
}
