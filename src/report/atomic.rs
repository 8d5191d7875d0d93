//! Atomic file writes: a temporary file in the target folder, then a rename, so an interrupted
//! run never leaves a half-written file that looks complete.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
///
/// # Errors
/// Any I/O error creating, writing or renaming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // temporary files of killed writers (shards, `new`) go now, so none accumulate
    remove_stale(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".armistice-{}-", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // temporary files are created private (0600); outputs are meant to be shared like any file
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temporary path beside `path` keeping its extension (for writers that pick the format from
/// the extension), to be renamed onto `path` once complete.
pub fn staging_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{}-{name}", std::process::id()))
}

/// Whether process `pid` is alive on this machine (unknown counts as alive: nothing is removed).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: kill with signal 0 only checks that the process exists and may be signalled.
        if unsafe { libc::kill(pid, 0) } == 0 {
            return true;
        }
        std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The process id in the name of a staging folder (`.staging-<pid>`) or of a temporary file of
/// [`write_atomic`] (`.armistice-<pid>-<random>.tmp`).
fn owner(name: &str) -> Option<u32> {
    if let Some(pid) = name.strip_prefix(".staging-") {
        return pid.parse().ok();
    }
    let rest = name.strip_prefix(".armistice-")?.strip_suffix(".tmp")?;
    rest.split('-').next()?.parse().ok()
}

/// Removes what killed processes left in `dir`: `.staging-<pid>` folders and `.armistice-<pid>-*.tmp`
/// files of processes that are no longer alive (SIGKILL, a power cut: no destructor ran). A live
/// process's files, this process's own and every other file are left alone. Best-effort: errors
/// are ignored (the next run tries again).
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(owner) else {
            continue;
        };
        if pid == me || alive(pid) {
            continue;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => {
                let _ = std::fs::remove_dir_all(&path);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&path);
            }
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_read_from_staging_and_temporary_names() {
        assert_eq!(owner(".staging-4242"), Some(4242));
        assert_eq!(owner(".armistice-4242-Ab3xQ.tmp"), Some(4242));
        assert_eq!(owner(".staging-x"), None);
        assert_eq!(owner(".armistice-Ab3xQ.tmp"), None);
        assert_eq!(owner("report.md"), None);
    }

    #[test]
    fn only_dead_processes_leftovers_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // a child that has exited and been reaped: its pid is dead (until reused)
        let dead = std::process::Command::new("true").spawn().and_then(|mut c| {
            let id = c.id();
            c.wait().map(|_| id)
        });
        let Ok(dead) = dead else { return };
        let me = std::process::id();
        for name in [format!(".staging-{dead}"), format!(".staging-{me}")] {
            std::fs::create_dir_all(dir.path().join(name).join("charts")).unwrap();
        }
        std::fs::write(dir.path().join(format!(".armistice-{dead}-x.tmp")), "half").unwrap();
        std::fs::write(dir.path().join("report.md"), "mine").unwrap();
        remove_stale(dir.path());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, vec![format!(".staging-{me}"), "report.md".to_string()]);
    }
}
