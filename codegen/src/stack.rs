//! Stack room for deep specs.
//!
//! Generation recurses as deep as the spec nests: typify merges an `allOf`
//! of an `allOf` of ... member by member, and a vendor's chain of thousands
//! of components is legitimate. A main thread's stack (8 MiB) or a spawned
//! one's (2 MiB) holds a few hundred levels; every thread the pipeline runs
//! on takes [`STACK`] instead. Only the pages a thread touches are mapped,
//! so a shallow spec costs nothing. Cycles, which no stack holds, are
//! refused before generation (`validate`'s `composition_cycles`).

use std::thread::{Builder, Scope, ScopedJoinHandle};

use crate::timings;

/// Stack size of every thread the pipeline runs on: 1 GiB, or
/// `CODEGEN_STACK_MIB` MiB when set (a spec deeper still, or a test).
pub fn size() -> usize {
    std::env::var("CODEGEN_STACK_MIB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&mib| mib > 0)
        .map_or(STACK, |mib| mib << 20)
}

/// The default of [`size`].
pub const STACK: usize = 1 << 30;

/// Run `f` on a thread with a [`size`] stack and wait for it; a panic in
/// `f` resumes here, and the stages it times are recorded here too.
pub fn run<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let timed = timings::enabled();
    let (value, stages) = std::thread::scope(|s| {
        spawn(s, move || {
            if timed {
                timings::enable();
            }
            let value = f();
            (value, timings::take())
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    for (name, took) in stages {
        timings::record(name, took);
    }
    value
}

/// [`Scope::spawn`] with a [`size`] stack.
pub fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> ScopedJoinHandle<'scope, T> {
    Builder::new()
        .stack_size(size())
        .spawn_scoped(scope, f)
        .expect("start a thread (the system refused one more thread)")
}

/// Make a stack overflow, the one failure Rust cannot unwind from, end the
/// process with a message on stderr and exit status 1 instead of an abort
/// with none. A command line calls it once, first. Generation writes
/// nothing before every stage has succeeded, so nothing has been written.
///
/// On Unix it handles `SIGSEGV`/`SIGBUS` (what a guard-page hit raises) on
/// the alternate signal stack Rust sets up for every thread, writes the
/// message prepared here and the stage that was running, and `_exit`s.
/// Elsewhere it does nothing.
pub fn report_overflow_as_error() {
    #[cfg(unix)]
    overflow::install();
}

/// The stage [`report_overflow_as_error`] names: set by
/// [`crate::timings::stage`] (the last one entered on any thread).
pub(crate) fn entered(stage: &'static str) -> &'static str {
    #[cfg(unix)]
    return overflow::entered(stage);
    #[cfg(not(unix))]
    stage
}

/// Restore the stage [`entered`] replaced.
pub(crate) fn left(previous: &'static str) {
    #[cfg(unix)]
    overflow::entered(previous);
    #[cfg(not(unix))]
    let _ = previous;
}

#[cfg(unix)]
mod overflow {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

    static STAGE_PTR: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
    static STAGE_LEN: AtomicUsize = AtomicUsize::new(0);
    /// The message's two halves, around the stage's name: made before any
    /// signal, since a handler may not allocate.
    static MESSAGE: OnceLock<(String, String)> = OnceLock::new();
    /// Set by the first thread that overflows. Rule: one report, whole.
    /// Stages run on several threads, and two of them can overflow at
    /// once; their writes would interleave ("error: ... (error: ... (in
    /// stage"), so the second waits for the first to end the process.
    static REPORTING: AtomicBool = AtomicBool::new(false);

    pub(super) fn entered(stage: &'static str) -> &'static str {
        let ptr = STAGE_PTR.swap(stage.as_ptr().cast_mut(), Ordering::Relaxed);
        let len = STAGE_LEN.swap(stage.len(), Ordering::Relaxed);
        if ptr.is_null() {
            return "";
        }
        // SAFETY: the pair was stored from a `&'static str` just like `stage`.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len)) }
    }

    pub(super) fn install() {
        let mib = super::size() >> 20;
        MESSAGE.get_or_init(|| {
            (
                "error: generation ran out of stack (".to_owned(),
                format!(
                    "): the spec nests deeper than a {mib} MiB stack holds\n\
                     hint: look for a long chain of `allOf`/`anyOf`/`oneOf` references, \
                     or give generation more room: CODEGEN_STACK_MIB={}\n\
                     note: nothing was written\n",
                    mib * 4
                ),
            )
        });
        // SAFETY: `handler` only reads atomics and a value initialised
        // above, and calls `write` and `_exit`, which are async-signal-safe.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            for signal in [libc::SIGSEGV, libc::SIGBUS] {
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }

    extern "C" fn handler(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
        fn write(bytes: &[u8]) {
            // SAFETY: writes `bytes` to stderr; the result does not matter.
            unsafe {
                libc::write(2, bytes.as_ptr().cast(), bytes.len());
            }
        }
        if REPORTING.swap(true, Ordering::AcqRel) {
            // Another thread is writing the report and will `_exit`.
            loop {
                // SAFETY: `pause` is async-signal-safe; it only waits.
                unsafe {
                    libc::pause();
                }
            }
        }
        if let Some((before, after)) = MESSAGE.get() {
            write(before.as_bytes());
            let ptr = STAGE_PTR.load(Ordering::Relaxed);
            let len = STAGE_LEN.load(Ordering::Relaxed);
            if ptr.is_null() {
                write(b"before any stage");
            } else {
                write(b"in stage `");
                // SAFETY: the pair was stored from a `&'static str`.
                write(unsafe { std::slice::from_raw_parts(ptr, len) });
                write(b"`");
            }
            write(after.as_bytes());
        }
        // SAFETY: ends the process at once, as the abort would have.
        unsafe { libc::_exit(1) }
    }
}
