//! msgpack framing: reading and writing single msgpack items over byte slices.
//!
//! Hand-rolled rather than via `rmp` so that every malformed input is a plain
//! error (never a panic or an oversized allocation) and writes into a `Vec`
//! are infallible.

/// The header of one msgpack item, with scalar payloads already read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    F32(f32),
    F64(f64),
    Str(usize),
    Bin(usize),
    Array(usize),
    Map(usize),
    Ext { code: i8, len: usize },
}

impl Head {
    /// The msgpack kind, for error messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Head::Nil => "nil",
            Head::Bool(_) => "bool",
            Head::Int(_) | Head::Uint(_) => "integer",
            Head::F32(_) | Head::F64(_) => "float",
            Head::Str(_) => "string",
            Head::Bin(_) => "binary",
            Head::Array(_) => "array",
            Head::Map(_) => "map",
            Head::Ext { .. } => "extension",
        }
    }
}

/// Why a read failed (the caller adds the attribute path).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum WireError {
    Truncated,
    ReservedMarker(u8),
    InvalidUtf8,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::Truncated => f.write_str("unexpected end of input"),
            WireError::ReservedMarker(m) => write!(f, "reserved msgpack marker 0x{m:02x}"),
            WireError::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
        }
    }
}

/// A cursor over msgpack bytes.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn is_at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Bytes not yet consumed; bounds preallocation for declared lengths.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).ok_or(WireError::Truncated)?;
        let slice = self.bytes.get(self.pos..end).ok_or(WireError::Truncated)?;
        self.pos = end;
        Ok(slice)
    }

    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take_array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, WireError> {
        Ok(u16::from_be_bytes(self.take_array()?))
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_be_bytes(self.take_array()?))
    }

    fn u64(&mut self) -> Result<u64, WireError> {
        Ok(u64::from_be_bytes(self.take_array()?))
    }

    /// Reads one item header (and the payload of scalars).
    pub(crate) fn head(&mut self) -> Result<Head, WireError> {
        let marker = self.u8()?;
        Ok(match marker {
            0x00..=0x7f => Head::Int(i64::from(marker)),
            0x80..=0x8f => Head::Map(usize::from(marker & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(marker & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(marker & 0x1f)),
            0xc0 => Head::Nil,
            0xc1 => return Err(WireError::ReservedMarker(marker)),
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => Head::Bin(usize::from(self.u8()?)),
            0xc5 => Head::Bin(usize::from(self.u16()?)),
            0xc6 => Head::Bin(self.u32()? as usize),
            0xc7 => {
                let len = usize::from(self.u8()?);
                Head::Ext {
                    code: self.u8()? as i8,
                    len,
                }
            }
            0xc8 => {
                let len = usize::from(self.u16()?);
                Head::Ext {
                    code: self.u8()? as i8,
                    len,
                }
            }
            0xc9 => {
                let len = self.u32()? as usize;
                Head::Ext {
                    code: self.u8()? as i8,
                    len,
                }
            }
            0xca => Head::F32(f32::from_bits(self.u32()?)),
            0xcb => Head::F64(f64::from_bits(self.u64()?)),
            0xcc => Head::Uint(u64::from(self.u8()?)),
            0xcd => Head::Uint(u64::from(self.u16()?)),
            0xce => Head::Uint(u64::from(self.u32()?)),
            0xcf => Head::Uint(self.u64()?),
            0xd0 => Head::Int(i64::from(self.u8()? as i8)),
            0xd1 => Head::Int(i64::from(self.u16()? as i16)),
            0xd2 => Head::Int(i64::from(self.u32()? as i32)),
            0xd3 => Head::Int(self.u64()? as i64),
            0xd4..=0xd8 => {
                let len = 1usize << (marker - 0xd4);
                Head::Ext {
                    code: self.u8()? as i8,
                    len,
                }
            }
            0xd9 => Head::Str(usize::from(self.u8()?)),
            0xda => Head::Str(usize::from(self.u16()?)),
            0xdb => Head::Str(self.u32()? as usize),
            0xdc => Head::Array(usize::from(self.u16()?)),
            0xdd => Head::Array(self.u32()? as usize),
            0xde => Head::Map(usize::from(self.u16()?)),
            0xdf => Head::Map(self.u32()? as usize),
            0xe0..=0xff => Head::Int(i64::from(marker as i8)),
        })
    }

    /// Reads the body of a string whose header declared `len` bytes.
    pub(crate) fn str_body(&mut self, len: usize) -> Result<&'a str, WireError> {
        std::str::from_utf8(self.take(len)?).map_err(|_| WireError::InvalidUtf8)
    }

    /// Skips one complete item, however nested, without recursion.
    pub(crate) fn skip_item(&mut self) -> Result<(), WireError> {
        let mut pending: u64 = 1;
        while pending > 0 {
            pending -= 1;
            match self.head()? {
                Head::Str(len) | Head::Bin(len) | Head::Ext { len, .. } => {
                    self.take(len)?;
                }
                Head::Array(n) => pending = pending.saturating_add(n as u64),
                Head::Map(n) => pending = pending.saturating_add(2 * n as u64),
                _ => {}
            }
        }
        Ok(())
    }
}

/// Appends msgpack items to a byte vector, always in the most compact form.
pub(crate) mod write {
    pub(crate) fn nil(out: &mut Vec<u8>) {
        out.push(0xc0);
    }

    pub(crate) fn bool(out: &mut Vec<u8>, b: bool) {
        out.push(if b { 0xc3 } else { 0xc2 });
    }

    pub(crate) fn uint(out: &mut Vec<u8>, n: u64) {
        if n < 0x80 {
            out.push(n as u8);
        } else if n <= u64::from(u8::MAX) {
            out.extend_from_slice(&[0xcc, n as u8]);
        } else if n <= u64::from(u16::MAX) {
            out.push(0xcd);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= u64::from(u32::MAX) {
            out.push(0xce);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0xcf);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }

    pub(crate) fn int(out: &mut Vec<u8>, n: i64) {
        if n >= 0 {
            uint(out, n as u64);
        } else if n >= -32 {
            out.push(n as i8 as u8);
        } else if n >= i64::from(i8::MIN) {
            out.extend_from_slice(&[0xd0, n as i8 as u8]);
        } else if n >= i64::from(i16::MIN) {
            out.push(0xd1);
            out.extend_from_slice(&(n as i16).to_be_bytes());
        } else if n >= i64::from(i32::MIN) {
            out.push(0xd2);
            out.extend_from_slice(&(n as i32).to_be_bytes());
        } else {
            out.push(0xd3);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }

    pub(crate) fn f64(out: &mut Vec<u8>, f: f64) {
        out.push(0xcb);
        out.extend_from_slice(&f.to_bits().to_be_bytes());
    }

    fn sized_header(out: &mut Vec<u8>, len: usize, fix: Option<(u8, usize)>, markers: [u8; 3]) {
        match fix {
            Some((base, max)) if len <= max => out.push(base | len as u8),
            _ if len <= usize::from(u8::MAX) && markers[0] != 0 => {
                out.extend_from_slice(&[markers[0], len as u8])
            }
            _ if len <= usize::from(u16::MAX) => {
                out.push(markers[1]);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            }
            _ => {
                out.push(markers[2]);
                out.extend_from_slice(&(len as u32).to_be_bytes());
            }
        }
    }

    pub(crate) fn str(out: &mut Vec<u8>, s: &str) {
        sized_header(out, s.len(), Some((0xa0, 31)), [0xd9, 0xda, 0xdb]);
        out.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn bin(out: &mut Vec<u8>, b: &[u8]) {
        sized_header(out, b.len(), None, [0xc4, 0xc5, 0xc6]);
        out.extend_from_slice(b);
    }

    pub(crate) fn array_len(out: &mut Vec<u8>, len: usize) {
        sized_header(out, len, Some((0x90, 15)), [0, 0xdc, 0xdd]);
    }

    pub(crate) fn map_len(out: &mut Vec<u8>, len: usize) {
        sized_header(out, len, Some((0x80, 15)), [0, 0xde, 0xdf]);
    }

    /// An extension item: fixext for 1/2/4/8/16-byte payloads, else ext8/16/32.
    pub(crate) fn ext(out: &mut Vec<u8>, code: i8, payload: &[u8]) {
        match payload.len() {
            1 => out.push(0xd4),
            2 => out.push(0xd5),
            4 => out.push(0xd6),
            8 => out.push(0xd7),
            16 => out.push(0xd8),
            len => sized_header(out, len, None, [0xc7, 0xc8, 0xc9]),
        }
        out.push(code as u8);
        out.extend_from_slice(payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_use_the_smallest_encoding_and_read_back() {
        // Each value with the size of msgpack's smallest form for it.
        for (n, size) in [
            (0i64, 1),
            (1, 1),
            (127, 1),
            (128, 2),
            (255, 2),
            (256, 3),
            (65535, 3),
            (65536, 5),
            (i64::from(u32::MAX), 5),
            (i64::from(u32::MAX) + 1, 9),
            (-1, 1),
            (-32, 1),
            (-33, 2),
            (-128, 2),
            (-129, 3),
            (-32768, 3),
            (-32769, 5),
            (i64::from(i32::MIN), 5),
            (i64::from(i32::MIN) - 1, 9),
            (i64::MIN, 9),
            (i64::MAX, 9),
        ] {
            let mut out = Vec::new();
            write::int(&mut out, n);
            assert_eq!(out.len(), size, "{n}: {out:02x?}");
            let mut r = Reader::new(&out);
            let got = match r.head() {
                Ok(Head::Int(v)) => v,
                Ok(Head::Uint(v)) => v as i64,
                other => panic!("{other:?}"),
            };
            assert_eq!(got, n);
            assert!(r.is_at_end());
        }
        let mut out = Vec::new();
        write::int(&mut out, i64::MIN);
        assert_eq!(out[0], 0xd3);
    }

    #[test]
    fn skip_item_handles_nesting_and_truncation() {
        let bytes = [0x92, 0x81, 0xa1, b'a', 0xc0, 0xd4, 0x00, 0x00, 0x01];
        let mut r = Reader::new(&bytes);
        assert_eq!(r.skip_item(), Ok(()));
        assert_eq!(r.remaining(), 1);
        let mut r = Reader::new(&[0xdd, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(r.skip_item(), Err(WireError::Truncated));
    }
}
