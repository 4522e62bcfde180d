//! A daemon's pid file: which process runs under it.
//!
//! Two daemons given the same file must not both run: the second would
//! overwrite the first's pid and, when either stops, the file would vanish
//! while the other still runs. So a file naming a live process refuses the
//! start; a file naming a dead one (a crash, SIGKILL) is stale and
//! replaced. The file is written whole in a temporary file beside it and
//! linked (or renamed) into place, so no reader ever sees it half written;
//! on exit it is removed only if it still names us.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;

/// Why a pid file could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum PidFileError {
    /// The file names a process that is alive.
    #[error(
        "pid file {} names process {pid}, which is running: stop it first, or give this one \
         another pid file",
        .path.display()
    )]
    Running {
        /// The pid file.
        path: PathBuf,
        /// The live process it names.
        pid: u32,
    },
    /// The file or its temporary twin cannot be written or read.
    #[error("cannot write the pid file {}", .path.display())]
    Write {
        /// The pid file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
}

/// A pid file naming this process; removed on drop if it still does.
#[derive(Debug)]
pub struct PidFile {
    /// The file.
    path: PathBuf,
    /// Our pid, as written.
    pid: u32,
}

impl PidFile {
    /// Writes our pid to `path` unless the file names a live process
    /// other than us; a stale file is replaced.
    pub fn create(path: &Path) -> Result<Self, PidFileError> {
        let pid = std::process::id();
        let write_error = |source| PidFileError::Write {
            path: path.to_path_buf(),
            source,
        };
        let temporary = temporary_twin(path, pid);
        fs::write(&temporary, format!("{pid}\n")).map_err(write_error)?;
        let taken = take(path, &temporary, pid);
        let _ = fs::remove_file(&temporary);
        taken?;
        Ok(Self {
            path: path.to_path_buf(),
            pid,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PidFile {
    /// Removes the file unless another process has taken it meanwhile.
    fn drop(&mut self) {
        if read_pid(&self.path) == Some(self.pid) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A temporary file beside `path` (same file system, so it can be
/// linked or renamed into place).
fn temporary_twin(path: &Path, pid: u32) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "pid".into(), |name| name.to_string_lossy());
    path.with_file_name(format!(".{name}.{pid}.tmp"))
}

/// Puts `temporary` (holding `pid`) in place at `path`: linked when `path`
/// does not exist (the link fails if it appeared meanwhile), renamed over
/// a stale file. After a rename the file is read back, so of two daemons
/// replacing one stale file at once only the last keeps it.
fn take(path: &Path, temporary: &Path, pid: u32) -> Result<(), PidFileError> {
    let write_error = |source| PidFileError::Write {
        path: path.to_path_buf(),
        source,
    };
    match fs::hard_link(temporary, path) {
        Ok(()) => return Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(write_error(error)),
    }
    refuse_if_running(path, pid)?;
    tracing::warn!(path = %path.display(), "replacing a stale pid file");
    fs::rename(temporary, path).map_err(write_error)?;
    refuse_if_running(path, pid)
}

/// Refuses when `path` names a live process other than `pid`.
fn refuse_if_running(path: &Path, pid: u32) -> Result<(), PidFileError> {
    match read_pid(path) {
        Some(other) if other != pid && is_alive(other) => Err(PidFileError::Running {
            path: path.to_path_buf(),
            pid: other,
        }),
        _ => Ok(()),
    }
}

/// The pid a file holds; `None` when it is missing, empty or not a pid.
fn read_pid(path: &Path) -> Option<u32> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// True when process `pid` exists (signal 0 reaches it, or it exists but
/// belongs to another user).
fn is_alive(pid: u32) -> bool {
    let Ok(raw) = i32::try_from(pid) else {
        return false;
    };
    if raw <= 0 {
        return false;
    }
    !matches!(kill(Pid::from_raw(raw), None), Err(Errno::ESRCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pid no process can have: above Linux's largest `pid_max`.
    const DEAD: u32 = 2_147_483_000;

    #[test]
    fn a_new_file_names_us_and_goes_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.pid");
        let file = PidFile::create(&path).unwrap();
        assert_eq!(read_pid(&path), Some(std::process::id()));
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
        drop(file);
        assert!(!path.exists());
    }

    #[test]
    fn a_live_process_s_file_refuses_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.pid");
        // Process 1 always runs.
        fs::write(&path, "1\n").unwrap();
        let error = PidFile::create(&path).unwrap_err();
        assert!(
            matches!(error, PidFileError::Running { pid: 1, .. }),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .contains("names process 1, which is running")
        );
        assert_eq!(read_pid(&path), Some(1), "left alone");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn a_stale_or_garbled_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.pid");
        for stale in [format!("{DEAD}\n"), "not a pid".to_owned(), String::new()] {
            fs::write(&path, &stale).unwrap();
            let file = PidFile::create(&path).unwrap();
            assert_eq!(read_pid(&path), Some(std::process::id()), "{stale:?}");
            drop(file);
        }
    }

    #[test]
    fn a_file_taken_by_another_process_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agent.pid");
        let file = PidFile::create(&path).unwrap();
        fs::write(&path, "1\n").unwrap();
        drop(file);
        assert_eq!(read_pid(&path), Some(1));
    }
}
