//! Progress reporting: a bar with models/s and ETA on a terminal, JSON lines on stderr otherwise
//! (one line per second at most, plus a final line).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar when stderr is a terminal, JSON lines otherwise.
    #[default]
    Auto,
    /// Always the bar.
    Bar,
    /// Always JSON lines on stderr.
    Json,
    /// Nothing.
    Quiet,
}

/// Live progress of one run session.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    json: bool,
    total: u64,
    done: u64,
    ok: u64,
    failed: u64,
    start: Instant,
    last_line: Instant,
}

impl Progress {
    /// `total` tasks in this session's scope, `already` of them done before it started.
    pub(crate) fn new(mode: ProgressMode, total: u64, already: u64) -> Self {
        let mode = match mode {
            ProgressMode::Auto if std::io::stderr().is_terminal() => ProgressMode::Bar,
            ProgressMode::Auto => ProgressMode::Json,
            m => m,
        };
        let bar = (mode == ProgressMode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:40}] {pos}/{len} models  {per_sec}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_position(already);
            bar.reset_eta();
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            json: mode == ProgressMode::Json,
            total,
            done: already,
            ok: 0,
            failed: 0,
            start: Instant::now(),
            last_line: Instant::now(),
        }
    }

    /// One more task finished.
    pub(crate) fn task_done(&mut self, failed: bool) {
        self.done += 1;
        if failed {
            self.failed += 1;
        } else {
            self.ok += 1;
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if failed || self.done.is_multiple_of(64) {
                bar.set_message(format!("{} ok, {} failed", self.ok, self.failed));
            }
        }
        if self.json && self.last_line.elapsed() >= Duration::from_secs(1) {
            self.line("progress");
        }
    }

    fn line(&mut self, event: &str) {
        self.last_line = Instant::now();
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let rate = (self.ok + self.failed) as f64 / secs;
        let left = self.total.saturating_sub(self.done) as f64;
        let eta = if rate > 0.0 { left / rate } else { f64::NAN };
        let v = serde_json::json!({
            "event": event,
            "done": self.done,
            "total": self.total,
            "ok": self.ok,
            "failed": self.failed,
            "models_per_s": (rate * 10.0).round() / 10.0,
            "eta_s": if eta.is_finite() { serde_json::json!((eta * 10.0).round() / 10.0) } else { serde_json::Value::Null },
        });
        let mut err = std::io::stderr().lock();
        // Progress is best effort: a closed stderr must not stop the run.
        let _ = writeln!(err, "{v}");
    }

    /// The session ended.
    pub(crate) fn finish(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{} ok, {} failed", self.ok, self.failed));
            bar.finish();
        }
        if self.json {
            self.line("finished");
        }
    }
}
