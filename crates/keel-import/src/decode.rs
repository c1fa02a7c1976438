//! Text encodings of real exports: UTF-8 with or without a byte-order mark, UTF-16 (Excel's
//! "Unicode text"), and Windows-1252 (what Excel on Windows writes; Latin-1 files read the
//! same, as browsers read them). Detected from the first bytes, then decoded as a stream.

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::io::{self, Read};

/// The encoding a file was read in, as the summary names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1252 => "Windows-1252 / Latin-1",
        }
    }

    fn encoding(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Windows1252 => WINDOWS_1252,
        }
    }

    /// Bytes of byte-order mark to skip.
    fn bom_len(self, head: &[u8]) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le if head.starts_with(&[0xFF, 0xFE]) => 2,
            TextEncoding::Utf16Be if head.starts_with(&[0xFE, 0xFF]) => 2,
            _ => 0,
        }
    }
}

/// Detects the encoding from the first bytes of a file (a few KiB are enough).
pub fn detect(head: &[u8]) -> TextEncoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return TextEncoding::Utf8Bom;
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return TextEncoding::Utf16Le;
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return TextEncoding::Utf16Be;
    }
    // UTF-16 without a mark: ASCII text has a zero in every other byte.
    let pairs = head.len() / 2;
    if pairs >= 4 {
        let zero_odd = head
            .chunks_exact(2)
            .filter(|p| p[1] == 0 && p[0] != 0)
            .count();
        let zero_even = head
            .chunks_exact(2)
            .filter(|p| p[0] == 0 && p[1] != 0)
            .count();
        if zero_odd * 10 >= pairs * 7 {
            return TextEncoding::Utf16Le;
        }
        if zero_even * 10 >= pairs * 7 {
            return TextEncoding::Utf16Be;
        }
    }
    match std::str::from_utf8(head) {
        Ok(_) => TextEncoding::Utf8,
        // A character cut at the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => TextEncoding::Utf8,
        // Real UTF-8 characters beside a few broken bytes: a UTF-8 file with errors, which
        // are reported per field rather than read as Windows-1252 gibberish.
        Err(_) if head.utf8_chunks().any(|c| !c.valid().is_ascii()) => TextEncoding::Utf8,
        Err(_) => TextEncoding::Windows1252,
    }
}

/// A reader of UTF-8 bytes over a file in `enc`, with `\n` line ends. UTF-8 passes through
/// (invalid bytes are reported per field later, with line and column); other encodings are
/// decoded. Line ends become `\n` (`Lf`): the csv crate counts a record after a `\r\n` one
/// line short, and every error names its line.
pub fn reader<R: Read + Send + 'static>(
    mut inner: R,
    enc: TextEncoding,
) -> io::Result<Box<dyn Read + Send>> {
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < 3 {
        let k = inner.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let skip = enc.bom_len(&head[..n]);
    let rest = io::Cursor::new(head[skip..n].to_vec()).chain(inner);
    Ok(match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Box::new(Lf::new(rest)),
        other => Box::new(Lf::new(Transcode::new(rest, other.encoding()))),
    })
}

/// Turns `\r\n` and a lone `\r` into `\n` as the bytes are read (UTF-8, where neither byte
/// occurs inside a character).
pub struct Lf<R> {
    inner: R,
    /// The last byte read was `\r` (given out as `\n`): a `\n` right after it is dropped.
    after_cr: bool,
}

impl<R> Lf<R> {
    pub fn new(inner: R) -> Self {
        Lf {
            inner,
            after_cr: false,
        }
    }
}

impl<R: Read> Read for Lf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut w = 0;
            for i in 0..n {
                let b = buf[i];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                buf[w] = if self.after_cr { b'\n' } else { b };
                w += 1;
            }
            // Only the `\n` of a `\r\n` split across reads: read on rather than answer 0.
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// Decodes a byte stream into UTF-8 as it is read.
struct Transcode<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> Transcode<R> {
    fn new(inner: R, enc: &'static Encoding) -> Self {
        Transcode {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        let n = self.inner.read(&mut self.input)?;
        let last = n == 0;
        let cap = self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
        self.out.resize(cap, 0);
        let (_, read, written, _) =
            self.decoder
                .decode_to_utf8(&self.input[..n], &mut self.out, last);
        debug_assert_eq!(read, n);
        self.out.truncate(written);
        self.pos = 0;
        self.done = last;
        Ok(())
    }
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: Vec<u8>) -> (TextEncoding, String) {
        let enc = detect(&bytes);
        let mut s = String::new();
        reader(io::Cursor::new(bytes), enc)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        (enc, s)
    }

    /// Hands out one byte per read, so every `\r\n` is split across reads.
    struct Trickle(io::Cursor<Vec<u8>>);
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(1);
            self.0.read(&mut buf[..n])
        }
    }

    #[test]
    fn line_ends_become_newlines_even_split_across_reads() {
        let text = "a,b\r\n1,2\r\n\"x\r\ny\",3\r4\n\r\n";
        let want = "a,b\n1,2\n\"x\ny\",3\n4\n\n";
        let (_, s) = decode_all(text.as_bytes().to_vec());
        assert_eq!(s, want);
        let mut t = String::new();
        Lf::new(Trickle(io::Cursor::new(text.as_bytes().to_vec())))
            .read_to_string(&mut t)
            .unwrap();
        assert_eq!(t, want);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_all(utf16).1, want);
    }

    #[test]
    fn every_common_encoding_reads_as_the_same_text() {
        let text = "Name;Café;Straße\n";
        let (e, s) = decode_all(text.as_bytes().to_vec());
        assert_eq!((e, s.as_str()), (TextEncoding::Utf8, text));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode_all(bom), (TextEncoding::Utf8Bom, text.to_string()));
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode_all(le), (TextEncoding::Utf16Le, text.to_string()));
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode_all(be), (TextEncoding::Utf16Be, text.to_string()));
        let (latin, _, _) = WINDOWS_1252.encode(text);
        assert_eq!(
            decode_all(latin.into_owned()),
            (TextEncoding::Windows1252, text.to_string())
        );
    }

    #[test]
    fn long_files_decode_across_buffer_boundaries() {
        let text = "é€ü".repeat(50_000);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(decode_all(le).1 == text, "the decoded text differs");
    }
}
