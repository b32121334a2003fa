//! Writing whole records to a pipe: pieces a pipe takes whole or not at all.

use std::io::{self, Write};

/// Largest write a pipe takes whole (POSIX `PIPE_BUF`, 4 KiB on Linux).
pub(crate) const PIPE_BUF: usize = 4096;

/// A writer for a pipe that is given whole records (each ending with its
/// only newline, as `batch` and `replay` write them): each `write` passes on
/// a piece of at most [`PIPE_BUF`] bytes that ends at a record's end. A
/// pipe takes such a write whole or not at all, so a process killed while a
/// write blocks (Ctrl-C while a slow reader drains the pipe) leaves only
/// whole records in it (SPEC §8). A record longer than `PIPE_BUF` goes in a
/// write of its own, which a pipe may take in part.
#[derive(Debug)]
pub(crate) struct PipeRecords<W: Write>(pub W);

impl<W: Write> Write for PipeRecords<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(&buf[..piece_len(buf)])
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Bytes of the next piece: whole records up to [`PIPE_BUF`], else the
/// first record whole.
fn piece_len(buf: &[u8]) -> usize {
    if buf.len() <= PIPE_BUF {
        return buf.len();
    }
    match memchr::memrchr(b'\n', &buf[..PIPE_BUF]) {
        Some(i) => i + 1,
        None => memchr::memchr(b'\n', buf).map_or(buf.len(), |i| i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records every write it is given.
    struct Writes(Vec<Vec<u8>>);

    impl Write for Writes {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.push(b.to_vec());
            Ok(b.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pieces_are_whole_records_of_at_most_pipe_buf() {
        let mut text = Vec::new();
        for i in 0..5000 {
            text.extend_from_slice(format!("row {i},{}\n", "x".repeat(i % 97)).as_bytes());
        }
        // One record longer than PIPE_BUF goes alone.
        text.extend_from_slice(&[b'y'; 3 * PIPE_BUF]);
        text.push(b'\n');
        text.extend_from_slice(b"last\n");
        let mut w = PipeRecords(Writes(Vec::new()));
        w.write_all(&text).unwrap();
        let writes = w.0.0;
        assert_eq!(writes.concat(), text);
        for piece in &writes {
            assert!(piece.ends_with(b"\n"), "{:?}", String::from_utf8_lossy(&piece[piece.len() - 20..]));
            assert!(piece.len() <= PIPE_BUF || !piece[..piece.len() - 1].contains(&b'\n'));
        }
        assert!(writes.iter().any(|p| p.len() > PIPE_BUF));
        assert!(writes.iter().filter(|p| p.len() > PIPE_BUF - 200).count() > 10, "pieces are filled");
    }
}
