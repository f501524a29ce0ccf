//! The ZIP container of the workbooks, in the plain subset of the format (PKWARE's APPNOTE):
//! entries stored or deflated, with their sizes and CRC in the local headers, no data
//! descriptors, no ZIP64, and every entry dated 1980-01-01 so a build is byte-identical to
//! the last.
//!
//! Why not the `zip` crate: a workbook is a handful of sheets of a few kilobytes, and the crate
//! sets up a compressor for each entry and resets it again at the entry's end, each time clearing a
//! 128 KiB hash table; in a profile of `check` of the synthetic archive that took about half as
//! much processor time as deflating the sheets. Here each thread keeps one compressor for every
//! entry of every workbook it writes, reset once per entry: setting one up allocates and clears a
//! few hundred KiB, which cost 2% of a `check` of the synthetic archive when it was done once per
//! workbook.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

thread_local! {
    /// A scratch compressor; its state is reset before each entry, so nothing carries over.
    static COMPRESSOR: RefCell<Option<Compress>> = const { RefCell::new(None) };
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// Version 2.0: deflate.
const VERSION: u16 = 20;
/// 1980-01-01 in MS-DOS date format; the time is 00:00.
const DOS_DATE: u16 = (1 << 5) | 1;
/// General purpose flag: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Stored = 0,
    Deflated = 8,
}

/// An archive being written in memory.
pub struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

impl Zip {
    pub fn with_capacity(bytes: usize) -> Zip {
        Zip {
            out: Vec::with_capacity(bytes),
            central: Vec::new(),
            entries: 0,
        }
    }

    /// Adds an entry as it is: for parts so small that deflating them saves less than it costs.
    pub fn stored(&mut self, name: &str, data: &[u8]) -> Result<(), String> {
        let header = self.local_header(name, Method::Stored)?;
        self.out.extend_from_slice(data);
        self.end_entry(header, name, Method::Stored, data)
    }

    /// Adds an entry deflated at the fastest level.
    pub fn deflated(&mut self, name: &str, data: &[u8]) -> Result<(), String> {
        let header = self.local_header(name, Method::Deflated)?;
        COMPRESSOR.with_borrow_mut(|compress| {
            let compress =
                compress.get_or_insert_with(|| Compress::new(Compression::fast(), false));
            deflate(compress, data, &mut self.out)
                .map_err(|e| format!("cannot deflate {name}: {e}"))
        })?;
        self.end_entry(header, name, Method::Deflated, data)
    }

    /// The archive: its entries, then the central directory that lists them.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        let directory_at = offset(self.out.len())?;
        let directory_size = offset(self.central.len())?;
        self.out.extend_from_slice(&self.central);
        let out = &mut self.out;
        put32(out, END_OF_CENTRAL_DIRECTORY);
        put16(out, 0); // this disk
        put16(out, 0); // the disk where the directory starts
        put16(out, self.entries);
        put16(out, self.entries);
        put32(out, directory_size);
        put32(out, directory_at);
        put16(out, 0); // comment length
        Ok(self.out)
    }

    /// Writes an entry's local header with its CRC and sizes still zero; returns its offset.
    fn local_header(&mut self, name: &str, method: Method) -> Result<usize, String> {
        if self.entries == u16::MAX {
            return Err("more than 65,535 entries need ZIP64".to_string());
        }
        let at = self.out.len();
        let out = &mut self.out;
        put32(out, LOCAL_HEADER);
        put16(out, VERSION);
        put16(out, flags(name));
        put16(out, method as u16);
        put16(out, 0); // time
        put16(out, DOS_DATE);
        put32(out, 0); // CRC-32, set by end_entry
        put32(out, 0); // compressed size
        put32(out, 0); // uncompressed size
        put16(out, name_length(name)?);
        put16(out, 0); // extra field length
        out.extend_from_slice(name.as_bytes());
        Ok(at)
    }

    /// Fills in the local header at `header` now that the entry's data is written, and lists
    /// the entry in the central directory.
    fn end_entry(
        &mut self,
        header: usize,
        name: &str,
        method: Method,
        data: &[u8],
    ) -> Result<(), String> {
        let crc = crc32fast::hash(data);
        let data_at = header + 30 + name.len();
        let compressed = offset(self.out.len() - data_at)?;
        let size = offset(data.len())?;
        self.out[header + 14..header + 18].copy_from_slice(&crc.to_le_bytes());
        self.out[header + 18..header + 22].copy_from_slice(&compressed.to_le_bytes());
        self.out[header + 22..header + 26].copy_from_slice(&size.to_le_bytes());
        let c = &mut self.central;
        put32(c, CENTRAL_HEADER);
        put16(c, VERSION); // made by: MS-DOS attributes, version 2.0
        put16(c, VERSION);
        put16(c, flags(name));
        put16(c, method as u16);
        put16(c, 0);
        put16(c, DOS_DATE);
        put32(c, crc);
        put32(c, compressed);
        put32(c, size);
        put16(c, name_length(name)?);
        put16(c, 0); // extra field length
        put16(c, 0); // comment length
        put16(c, 0); // disk
        put16(c, 0); // internal attributes
        put32(c, 0); // external attributes
        put32(c, offset(header)?);
        c.extend_from_slice(name.as_bytes());
        self.entries += 1;
        Ok(())
    }
}

fn flags(name: &str) -> u16 {
    if name.is_ascii() { 0 } else { UTF8_NAME }
}

fn name_length(name: &str) -> Result<u16, String> {
    u16::try_from(name.len()).map_err(|_| format!("the entry name {name:?} is too long"))
}

/// A size or offset, which without ZIP64 must fit in 32 bits.
fn offset(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "an archive over 4 GiB needs ZIP64".to_string())
}

fn put16(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// Appends `data` deflated as one whole raw stream to `out`.
fn deflate(
    compress: &mut Compress,
    data: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), flate2::CompressError> {
    compress.reset();
    out.reserve(data.len() / 2 + 64);
    loop {
        let read = usize::try_from(compress.total_in()).unwrap_or(data.len());
        let status =
            compress.compress_vec(&data[read.min(data.len())..], out, FlushCompress::Finish)?;
        if status == Status::StreamEnd {
            return Ok(());
        }
        // The output filled its spare capacity before the stream ended.
        out.reserve(data.len() / 4 + 4096);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Every entry's name, method and bytes, as the `zip` crate reads the archive.
    fn read_back(archive: Vec<u8>) -> Vec<(String, ::zip::CompressionMethod, Vec<u8>)> {
        let mut zip = ::zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index(i).unwrap();
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).unwrap();
                let name = entry.name().unwrap().to_string();
                (name, entry.compression(), bytes)
            })
            .collect()
    }

    #[test]
    fn entries_read_back_as_written() {
        // Text that compresses, bytes that do not (so the output outgrows its first
        // reservation), an empty entry and a non-ASCII name.
        let text = "<row><c t=\"inlineStr\"><is><t>Revenue</t></is></c></row>".repeat(500);
        let mut noise = Vec::new();
        let mut x: u32 = 1;
        for _ in 0..100_000 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            noise.push((x >> 24) as u8);
        }
        let mut zip = Zip::with_capacity(0);
        zip.stored("[Content_Types].xml", b"<Types/>").unwrap();
        zip.deflated("xl/worksheets/sheet1.xml", text.as_bytes())
            .unwrap();
        zip.deflated("noise.bin", &noise).unwrap();
        zip.deflated("empty", b"").unwrap();
        zip.stored("états.txt", "é".as_bytes()).unwrap();
        let archive = zip.finish().unwrap();
        use ::zip::CompressionMethod::{Deflated, Stored};
        assert_eq!(
            read_back(archive),
            [
                (
                    "[Content_Types].xml".to_string(),
                    Stored,
                    b"<Types/>".to_vec()
                ),
                (
                    "xl/worksheets/sheet1.xml".into(),
                    Deflated,
                    text.into_bytes()
                ),
                ("noise.bin".into(), Deflated, noise),
                ("empty".into(), Deflated, Vec::new()),
                ("états.txt".into(), Stored, "é".as_bytes().to_vec()),
            ]
        );
    }

    #[test]
    fn text_is_deflated() {
        let text = "<c r=\"B5\" s=\"5\"><v>42625</v></c>".repeat(200);
        let mut zip = Zip::with_capacity(0);
        zip.deflated("sheet.xml", text.as_bytes()).unwrap();
        let archive = zip.finish().unwrap();
        assert!(archive.len() < text.len() / 10, "{} bytes", archive.len());
    }

    #[test]
    fn the_same_entries_make_the_same_bytes() {
        let archive = |text: &str| {
            let mut zip = Zip::with_capacity(64);
            zip.deflated("a.xml", text.repeat(99).as_bytes()).unwrap();
            zip.stored("b.xml", b"<b/>").unwrap();
            zip.finish().unwrap()
        };
        // On a thread whose compressor has never been used, and on one whose compressor has
        // just deflated other text: nothing of the earlier entry may carry over.
        let fresh = std::thread::spawn(move || archive("<a/>")).join().unwrap();
        archive("<other>");
        assert_eq!(archive("<a/>"), fresh);
        assert_eq!(archive("<a/>"), archive("<a/>"));
    }
}
