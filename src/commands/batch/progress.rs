//! Progress of a batch: a bar on a terminal, a plain count line every tenth of the way
//! otherwise (never names: document names carry patient ids), nothing when quiet.

use std::io::IsTerminal;

/// The progress display of one batch.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    total: u64,
    done: std::sync::atomic::AtomicU64,
}

impl Progress {
    /// A counter of `total` tasks.
    pub fn new(total: u64, quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} tasks {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            total,
            done: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// One task done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.plain {
            let step = (self.total / 10).max(1);
            if done.is_multiple_of(step) || done == self.total {
                eprintln!("{done}/{} tasks done", self.total);
            }
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
