//! Files read whole, through a cap: whatever a path names (a regular file,
//! a FIFO, a device such as `/dev/zero`, stdin), at most the limit plus one
//! byte is read, so an endless source ends at once and a big one costs the
//! limit, not its size.

use std::io::{self, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// Opens `path` for reading (`-` is stdin) and returns it with the name to use
/// in messages (`<stdin>` for `-`). FIFOs and devices are read as they come.
///
/// # Errors
/// [`Error::Io`] when it cannot be opened or is a directory.
pub(crate) fn open(path: &Path) -> Result<(Box<dyn Read>, String)> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(io::stdin().lock()), "<stdin>".into()));
    }
    let name = path.display().to_string();
    let io_err = |e: io::Error| Error::io(name.clone(), e);
    let file = std::fs::File::open(path).map_err(io_err)?;
    if file.metadata().map_err(io_err)?.is_dir() {
        return Err(Error::io(name, io::Error::new(io::ErrorKind::IsADirectory, "is a directory, not a file")));
    }
    Ok((Box::new(file), name))
}

/// Reads all of `path` (`-` is stdin), at most `limit` bytes: it never reads
/// more than `limit + 1`, so a device or an endless FIFO ends at once. `what`
/// names the kind of file in the message (`"plan files"`).
///
/// # Errors
/// [`Error::Io`] when it cannot be read; [`Error::Input`] `FILE is larger
/// than N (limit for WHAT)` when it holds more.
#[cfg(test)]
pub(crate) fn read_capped(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>> {
    let (input, name) = open(path)?;
    read_at_most(input, limit).map_err(|e| Error::io(name.clone(), e))?.ok_or_else(|| too_large(&name, limit, what))
}

pub(crate) fn too_large(name: &str, limit: u64, kind: &'static str) -> Error {
    Error::TooLarge { name: name.to_string(), limit, kind }
}

/// How long a FIFO opened with no writer yet is given to get one (a
/// writer started just after slacalc, as in `mkfifo p; writer > p & slacalc
/// … p`): past it, the FIFO reads as empty and is refused.
const FIFO_GRACE_SECONDS: i64 = 2;

/// Opens `p` for reading without waiting for ever for a writer: `open` of a
/// FIFO blocks until someone opens it to write, and a FIFO nobody writes
/// would hang the run. A FIFO gets [`FIFO_GRACE_SECONDS`] for a writer to
/// come and send something; once open, reads wait as usual (a writer that
/// is there is waited for), and a FIFO with no writer reads as empty.
///
/// # Errors
/// Those of `open(2)`, `fstat(2)`, `poll(2)` and `fcntl(2)`.
pub(crate) fn open_for_reading(p: &Path) -> io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        use rustix::fs::{FileType, Mode, OFlags};
        let fd = rustix::fs::open(p, OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC, Mode::empty())?;
        if FileType::from_raw_mode(rustix::fs::fstat(&fd)?.st_mode) == FileType::Fifo {
            // Ready (data, or a writer that came and went) or the grace ran
            // out: either way the reads below do not wait for ever.
            let grace = Timespec { tv_sec: FIFO_GRACE_SECONDS, tv_nsec: 0 };
            let mut fds = [PollFd::new(&fd, PollFlags::IN)];
            loop {
                match poll(&mut fds, Some(&grace)) {
                    Err(rustix::io::Errno::INTR) => {}
                    r => {
                        r?;
                        break;
                    }
                }
            }
        }
        let flags = rustix::fs::fcntl_getfl(&fd)?;
        rustix::fs::fcntl_setfl(&fd, flags - OFlags::NONBLOCK)?;
        Ok(std::fs::File::from(fd))
    }
    #[cfg(not(unix))]
    std::fs::File::open(p)
}

/// The error for a FIFO (or device) that gave no byte: nobody is writing to
/// it, and reading it as an empty file would pass for a real one.
pub(crate) fn nothing_to_read() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "not a regular file and nothing to read (a FIFO with no writer?)")
}

/// All of `input`, or `None` when it holds more than `limit` bytes: it never
/// reads more than `limit + 1`. The one bounded read of a whole file: plan
/// files, `.ics` holiday files and [`read_capped`] go through it, each
/// wording "too large" for its own kind of file.
///
/// # Errors
/// The read error.
pub(crate) fn read_at_most(input: impl Read, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    input.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_capped_stops_after_the_limit() {
        let e = read_capped(Path::new("/dev/zero"), 1 << 20, "plan files").unwrap_err().to_string();
        assert_eq!(e, "/dev/zero is larger than 1 MiB (limit for plan files)");
        let dir = std::env::temp_dir().join(format!("slacalc-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("ok.txt");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_capped(&f, 5, "x").unwrap(), b"12345");
        assert!(read_capped(&f, 4, "x").unwrap_err().to_string().contains("larger than 4 bytes"));
        assert!(read_capped(&dir, 4, "x").unwrap_err().to_string().contains("is a directory"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
