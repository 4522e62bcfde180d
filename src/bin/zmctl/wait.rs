//! Following work on the server until it is done: one test (a bar of its
//! progress) or a whole batch (one bar: done, running, waiting, rate and
//! time left). Bars go to stderr and only when it is a terminal.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use zonemaster::api_types::{BatchStatus, BatchStatusParams};
use zonemaster::client::Client;

use crate::Failure;

/// How `--wait` polls.
#[derive(Args, Clone, Debug)]
pub struct PollFlags {
    /// With --wait: seconds between progress polls.
    #[arg(long, value_name = "SECONDS", default_value_t = 0.5)]
    pub poll: f64,
    /// With --wait: seconds without an agent claiming the work before
    /// saying so (tests shorten it).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, hide = true)]
    pub unclaimed_notice: f64,
}

impl PollFlags {
    /// Time between polls, within sane bounds.
    fn every(&self) -> Duration {
        Duration::from_secs_f64(self.poll.clamp(0.05, 60.0))
    }

    /// Time with nothing claimed before the notice.
    fn notice_after(&self) -> Duration {
        Duration::from_secs_f64(self.unclaimed_notice.clamp(0.0, 3600.0))
    }
}

/// Says once, when nothing has been claimed for a while, that no agent
/// seems to run (issue 8, point 9); the wait goes on.
struct UnclaimedNotice {
    started: Instant,
    after: Duration,
    is_said: bool,
}

impl UnclaimedNotice {
    fn new(after: Duration) -> Self {
        Self {
            started: Instant::now(),
            after,
            is_said: false,
        }
    }

    fn check(&mut self, is_unclaimed: bool, what: &str, bar: Option<&ProgressBar>) {
        if !is_unclaimed || self.is_said || self.started.elapsed() < self.after {
            return;
        }
        self.is_said = true;
        let notice = format!("zmctl: no agent has picked {what} up; is zm-agent running?");
        match bar {
            Some(bar) => bar.suspend(|| eprintln!("{notice}")),
            None => eprintln!("{notice}"),
        }
    }
}

/// Polls `test_progress` until 100.
pub async fn for_test(client: &Client, id: &str, flags: &PollFlags) -> Result<(), Failure> {
    let mut notice = UnclaimedNotice::new(flags.notice_after());
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(100);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:40}] {pos:>3}% {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(id.to_owned());
        bar
    });
    loop {
        let progress = client.test_progress(id).await?;
        if let Some(bar) = &bar {
            bar.set_position(u64::from(progress));
        }
        if progress >= 100 {
            break;
        }
        notice.check(progress == 0, "this test", bar.as_ref());
        tokio::time::sleep(flags.every()).await;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

/// Polls `batch_status` until no test waits or runs.
pub async fn for_batch(
    client: &Client,
    batch_id: i64,
    flags: &PollFlags,
) -> Result<BatchStatus, Failure> {
    let mut notice = UnclaimedNotice::new(flags.notice_after());
    let bar = std::io::stderr().is_terminal().then(batch_bar);
    let params = BatchStatusParams {
        batch_id,
        ..BatchStatusParams::default()
    };
    let status = loop {
        let status = client.batch_status(&params).await?;
        if let Some(bar) = &bar {
            bar.set_length(status.total());
            bar.set_position(status.finished_count);
            bar.set_message(format!(
                "{} running, {} waiting",
                status.running_count, status.waiting_count
            ));
        }
        if status.waiting_count + status.running_count == 0 {
            break status;
        }
        let is_unclaimed = status.running_count == 0 && status.finished_count == 0;
        notice.check(is_unclaimed, "this batch", bar.as_ref());
        tokio::time::sleep(flags.every()).await;
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(status)
}

/// One bar for a whole batch.
fn batch_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    let template = "{spinner} [{bar:40}] {pos}/{len} done, {msg} ({per_sec}, {eta} left)";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
