//! Running a measured command: wall time, and peak memory of its whole process tree (the command, its workers, the
//! tools they start), sampled from /proc while it runs.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// How often the process tree's memory is summed.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);

/// What one run of a command cost.
#[derive(Debug, Clone, Copy)]
pub struct RunCost {
    pub wall: Duration,
    /// CPU time (user and system) of the process tree: of every process in it that was waited for.
    pub cpu: Duration,
    /// The largest sum of resident memory over the process tree seen in any sample, in bytes. It counts the pages
    /// of memory-mapped files the processes touched (the binary; a search index is read through mmap), which the
    /// kernel can take back when memory runs short.
    pub peak_tree_rss: u64,
    /// The largest sum of resident memory not backed by a file (heap, stacks): what the processes cannot give back.
    pub peak_tree_anon: u64,
}

/// Runs `command` to the end with stdout going to `stdout_to` (or discarded), measuring it.
pub fn measure(command: &mut Command, stdout_to: Option<&Path>) -> anyhow::Result<(ExitStatus, RunCost)> {
    let stdout = match stdout_to {
        Some(path) => Stdio::from(std::fs::File::create(path).with_context(|| path.display().to_string())?),
        None => Stdio::null(),
    };
    let cpu_before = children_cpu();
    let started = Instant::now();
    let child = command.stdout(stdout).spawn().with_context(|| format!("starting {command:?}"))?;
    let (status, peak) = wait_sampling(child)?;
    let wall = started.elapsed();
    let cpu = children_cpu().saturating_sub(cpu_before);
    Ok((status, RunCost { wall, cpu, peak_tree_rss: peak.resident, peak_tree_anon: peak.anonymous }))
}

/// User and system time of this process's children that have ended and were waited for (their own waited-for
/// children included). The benchmarks run one measured command at a time, so a difference is that command's.
fn children_cpu() -> Duration {
    // SAFETY: getrusage fills the struct it is given; an all-zero rusage is a valid value to start from.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |tv: libc::timeval| Duration::new(tv.tv_sec.max(0) as u64, (tv.tv_usec.max(0) as u32) * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Waits for `child`, sampling its process tree's memory meanwhile; returns its status and the peaks (each the
/// largest in any one sample).
pub fn wait_sampling(mut child: Child) -> anyhow::Result<(ExitStatus, TreeMemory)> {
    let root = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let peak_resident = Arc::new(AtomicU64::new(0));
    let peak_anonymous = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, resident, anonymous) = (Arc::clone(&done), Arc::clone(&peak_resident), Arc::clone(&peak_anonymous));
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let now = tree_memory(root);
                resident.fetch_max(now.resident, Ordering::Relaxed);
                anonymous.fetch_max(now.anonymous, Ordering::Relaxed);
                std::thread::sleep(SAMPLE_EVERY);
            }
        })
    };
    let status = child.wait().context("waiting for the measured command")?;
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let peak = TreeMemory {
        resident: peak_resident.load(Ordering::Relaxed),
        anonymous: peak_anonymous.load(Ordering::Relaxed),
    };
    Ok((status, peak))
}

/// Memory of a process tree, in bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct TreeMemory {
    pub resident: u64,
    /// Resident and not shared with a file or shared memory (statm's resident minus shared).
    pub anonymous: u64,
}

/// The memory of `root` and all its descendants now.
pub fn tree_memory(root: u32) -> TreeMemory {
    let page = page_size();
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return TreeMemory::default() };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else { continue };
        if let Some(parent) = parent_of(pid) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut total = TreeMemory::default();
    let mut stack = vec![root];
    while let Some(pid) = stack.pop() {
        let (resident, shared) = resident_and_shared_pages(pid);
        total.resident += resident * page;
        total.anonymous += resident.saturating_sub(shared) * page;
        if let Some(kids) = children.get(&pid) {
            stack.extend(kids);
        }
    }
    total
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// statm's second and third fields: resident pages, and those of them backed by a file or shared memory.
fn resident_and_shared_pages(pid: u32) -> (u64, u64) {
    let Ok(statm) = std::fs::read_to_string(format!("/proc/{pid}/statm")) else { return (0, 0) };
    let mut fields = statm.split_whitespace().skip(1).map(|pages| pages.parse::<u64>().unwrap_or(0));
    (fields.next().unwrap_or(0), fields.next().unwrap_or(0))
}

fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if size > 0 { size as u64 } else { 4096 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_of_processes_is_measured_whole() {
        // A shell that holds ~64 MB in a child process: the tree's peak includes the child's memory.
        let mut command = Command::new("sh");
        command.args(["-c", "head -c 64000000 /dev/zero | tail -c 64000000 > /dev/null"]);
        let (status, cost) = measure(&mut command, None).expect("runs");
        assert!(status.success());
        assert!(cost.peak_tree_rss > 40_000_000, "{} bytes", cost.peak_tree_rss);
        // tail's buffer is heap, not a file.
        assert!(cost.peak_tree_anon > 40_000_000, "{} bytes", cost.peak_tree_anon);
        assert!(cost.peak_tree_anon <= cost.peak_tree_rss);
        assert!(cost.wall > Duration::ZERO);
        assert!(cost.cpu > Duration::ZERO, "copying 128 MB through a pipe takes some CPU time");
    }
}
