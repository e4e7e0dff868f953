//! The one rule for programs a reader runs (Tesseract, readpst, unar, lsar): they cannot outlive the reader.
//!
//! A reader runs inside a sandboxed worker that its parent kills when the file takes too long, and that the kernel
//! kills when the parent dies (`kill -9` of an ingest). Its own children would survive both, orphaned, with no time
//! limit and with temporary files open. [`tie_to_this_process`] prepares a command so that the kernel kills the
//! child with SIGKILL as soon as the process that started it goes away, and bounds the CPU time the child may use
//! even if that ever fails.

use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

/// Makes the program `command` starts die with the calling process and use at most `cpu_limit` of CPU time (the
/// kernel sends SIGXCPU at the limit and SIGKILL a second later).
///
/// The death signal is tied to the *thread* that spawns the child: spawn from a thread that lives as long as the
/// reader (the worker's main thread, where readers run), not from a short-lived helper thread.
pub fn tie_to_this_process(command: &mut Command, cpu_limit: Duration) -> &mut Command {
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    let cpu_seconds = cpu_limit.as_secs().max(1) as libc::rlim_t;
    // SAFETY: the closure runs between fork and exec in the child and only makes async-signal-safe system calls
    // (prctl, getppid, setrlimit, raise) on the child itself.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died between fork and prctl: then no signal would ever come.
            if libc::getppid() != parent {
                libc::raise(libc::SIGKILL);
            }
            let cpu = libc::rlimit { rlim_cur: cpu_seconds, rlim_max: cpu_seconds.saturating_add(1) };
            if libc::setrlimit(libc::RLIMIT_CPU, &cpu) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command
}

#[cfg(test)]
mod tests {
    use std::process::Stdio;

    use super::*;

    /// Whether a `sleep` started by an intermediate process that then exits is still alive afterwards.
    fn orphan_survives(tie: bool) -> bool {
        // The intermediate is this test binary itself, re-run with an environment variable that makes its
        // `intermediate` test start the sleeper, print its pid and exit.
        let exe = std::env::current_exe().expect("test binary");
        let output = Command::new(exe)
            .args(["--exact", "subprocess::tests::intermediate", "--nocapture", "--test-threads", "1"])
            .env("DOSSIER_SUBPROCESS_TEST_INTERMEDIATE", if tie { "tie" } else { "plain" })
            .output()
            .expect("the test binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let pid: i32 = stdout
            .lines()
            .find_map(|line| line.split("sleeper pid ").nth(1))
            .and_then(|pid| pid.trim().parse().ok())
            .unwrap_or_else(|| panic!("the intermediate reports its sleeper: {stdout}"));
        // The intermediate has exited (output() waited for it). A tied sleeper was killed by the kernel at that
        // moment; it may still be a zombie until init reaps it, which counts as dead.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')));
            if !alive || std::time::Instant::now() > deadline {
                if alive {
                    // SAFETY: kill on a pid this test started.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
                return alive;
            }
            if !tie {
                // SAFETY: as above; an untied sleeper is known to be alive, so the check has been made.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                return true;
            }
            std::thread::yield_now();
        }
    }

    /// Acts as the intermediate process for [`orphan_survives`] when asked to; otherwise does nothing.
    #[test]
    fn intermediate() {
        let Ok(how) = std::env::var("DOSSIER_SUBPROCESS_TEST_INTERMEDIATE") else { return };
        let mut command = Command::new("sleep");
        // Its own output goes nowhere: holding the test's pipe open would keep `output()` waiting for it.
        command.arg("300").stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        if how == "tie" {
            tie_to_this_process(&mut command, Duration::from_secs(60));
        }
        let child = command.spawn().expect("sleep starts");
        println!("sleeper pid {}", child.id());
        // Exit without waiting: the sleeper is orphaned.
        std::process::exit(0);
    }

    #[test]
    fn a_tied_subprocess_dies_with_the_process_that_started_it() {
        assert!(orphan_survives(false), "the check must see an untied orphan alive, or it proves nothing");
        assert!(!orphan_survives(true), "a tied subprocess outlived the process that started it");
    }

    #[test]
    fn a_tied_subprocess_has_a_cpu_time_limit() {
        let mut command = Command::new("bash");
        command.args(["-c", "ulimit -t"]);
        tie_to_this_process(&mut command, Duration::from_secs(7));
        let output = command.output().expect("bash runs");
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "7");
    }
}
