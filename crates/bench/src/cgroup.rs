//! A memory cgroup around one measured command: the kernel holds the whole process tree to a budget, so a run that
//! finishes has shown that the budget is enough. Peak RSS alone cannot show that: it also counts pages of mapped
//! files (the search index is read through mmap), which the kernel takes back when memory runs short.
//!
//! Works with cgroup v2 (memory controller enabled at the root) and v1 (`/sys/fs/cgroup/memory`), as root; where
//! neither can be written, [`MemoryCap::new`] says why and the benchmark runs without a cap.

use std::ffi::CString;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const V2_ROOT: &str = "/sys/fs/cgroup";
const V1_ROOT: &str = "/sys/fs/cgroup/memory";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// A cgroup made for one run, removed when dropped.
#[derive(Debug)]
pub struct MemoryCap {
    dir: PathBuf,
    version: Version,
    limit: u64,
}

/// What the kernel recorded for the capped run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapUsage {
    /// The cap, in bytes.
    pub limit: u64,
    /// Processes of the group the kernel killed for want of memory.
    pub oom_kills: u64,
}

impl MemoryCap {
    /// A new, empty cgroup limited to `limit` bytes; `name` tells runs apart. The error says why there can be none.
    pub fn new(limit: u64, name: &str) -> Result<MemoryCap, String> {
        let name = format!("dossier-bench-{}-{name}", std::process::id());
        let (version, dir) = if v2_has_memory() {
            (Version::V2, Path::new(V2_ROOT).join(&name))
        } else if Path::new(V1_ROOT).join("memory.limit_in_bytes").exists() {
            (Version::V1, Path::new(V1_ROOT).join(&name))
        } else {
            return Err("this kernel offers no memory cgroup controller".into());
        };
        std::fs::create_dir(&dir).map_err(|err| format!("cannot create the cgroup {}: {err}", dir.display()))?;
        let cap = MemoryCap { dir, version, limit };
        let settings: &[(&str, String)] = match version {
            Version::V2 => &[("memory.max", limit.to_string()), ("memory.swap.max", "0".into())],
            Version::V1 => {
                &[("memory.limit_in_bytes", limit.to_string()), ("memory.memsw.limit_in_bytes", limit.to_string())]
            }
        };
        for (file, value) in settings {
            let path = cap.dir.join(file);
            // Swap accounting is optional in the kernel; without it there is nothing to limit.
            if file.contains("sw") && !path.exists() {
                continue;
            }
            std::fs::write(&path, value).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        }
        Ok(cap)
    }

    /// Makes `command`'s process join the group before it runs its program, so that it and everything it starts are
    /// held to the cap from the first allocation.
    pub fn confine(&self, command: &mut Command) {
        let procs = CString::new(self.dir.join("cgroup.procs").into_os_string().into_encoded_bytes())
            .expect("a path made from a cgroup root and a plain name has no NUL");
        // SAFETY: the closure runs between fork and exec; it only calls async-signal-safe functions (getpid, open,
        // write, close) and allocates nothing.
        unsafe {
            command.pre_exec(move || {
                let mut digits = [0u8; 20];
                let pid = decimal(libc::getpid() as u64, &mut digits);
                let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                if fd < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                let written = libc::write(fd, pid.as_ptr().cast(), pid.len());
                let error = std::io::Error::last_os_error();
                libc::close(fd);
                if written != pid.len() as isize {
                    return Err(error);
                }
                Ok(())
            });
        }
    }

    /// What the kernel counted, once the run is over.
    pub fn usage(&self) -> CapUsage {
        let read = |file: &str| std::fs::read_to_string(self.dir.join(file)).ok();
        let events = match self.version {
            Version::V2 => read("memory.events"),
            Version::V1 => read("memory.oom_control"),
        };
        CapUsage {
            limit: self.limit,
            oom_kills: events.as_deref().and_then(|text| field(text, "oom_kill")).unwrap_or(0),
        }
    }
}

impl Drop for MemoryCap {
    fn drop(&mut self) {
        // The group can only go once its last process has been reaped, which may take the kernel a moment.
        for _ in 0..50 {
            if std::fs::remove_dir(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        eprintln!("warning: could not remove the cgroup {}", self.dir.display());
    }
}

fn v2_has_memory() -> bool {
    std::fs::read_to_string(Path::new(V2_ROOT).join("cgroup.subtree_control"))
        .is_ok_and(|controllers| controllers.split_whitespace().any(|controller| controller == "memory"))
}

/// The value of a `key value` line (memory.events, memory.oom_control).
fn field(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| line.strip_prefix(key)?.strip_prefix(' ')?.trim().parse().ok())
}

/// `n` in decimal, written into the end of `buffer` without allocating.
fn decimal(mut n: u64, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buffer[start..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut buffer = [0u8; 20];
        assert_eq!(decimal(0, &mut buffer), b"0");
        assert_eq!(decimal(40_319, &mut buffer), b"40319");
        assert_eq!(decimal(u64::MAX, &mut buffer), u64::MAX.to_string().as_bytes());
    }

    #[test]
    fn oom_kills_are_read_from_either_version() {
        let v1 = "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n";
        let v2 = "low 0\nhigh 0\nmax 17\noom 2\noom_kill 2\noom_group_kill 0\n";
        assert_eq!(field(v1, "oom_kill"), Some(3));
        assert_eq!(field(v2, "oom_kill"), Some(2));
        assert_eq!(field(v2, "oom"), Some(2));
        assert_eq!(field("max 1\n", "oom_kill"), None);
    }

    /// As root on a kernel with a memory controller (as CI runs), the cap must be made, a process that wants more
    /// than it must be killed and the kill counted, and one that stays under it must run to the end. Anywhere else,
    /// making a cap must fail with a reason.
    #[test]
    fn a_capped_process_is_held_to_the_cap() {
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        let controller = v2_has_memory() || Path::new(V1_ROOT).join("memory.limit_in_bytes").exists();
        let made = MemoryCap::new(32 << 20, "test-over");
        if !(root && controller) {
            let why = made.expect_err("a cgroup made without root or a memory controller");
            assert!(why.contains("cgroup"), "{why}");
            return;
        }
        let cap = made.expect("root with a memory controller can make a cgroup");
        // tail holds all 96 MB of its input in memory before it writes the last bytes.
        let mut over = Command::new("sh");
        over.args(["-c", "head -c 96000000 /dev/zero | tail -c 96000000 > /dev/null"]);
        cap.confine(&mut over);
        let status = over.status().expect("sh runs");
        assert!(!status.success(), "96 MB fitted in a 32 MB cap");
        let usage = cap.usage();
        assert!(usage.oom_kills >= 1, "{usage:?}");
        assert_eq!(usage.limit, 32 << 20);
        drop(cap);

        let cap = MemoryCap::new(32 << 20, "test-under").expect("made once already");
        let mut under = Command::new("sh");
        under.args(["-c", "head -c 8000000 /dev/zero | tail -c 8000000 > /dev/null"]);
        cap.confine(&mut under);
        assert!(under.status().expect("sh runs").success());
        let usage = cap.usage();
        assert_eq!(usage.oom_kills, 0, "{usage:?}");
    }
}
