//! A zip archive of files stored as they are (no compression): how the page hands over the
//! files an edit changed when it cannot write them back into their folder.
//!
//! Stored entries keep each file's bytes exactly, and need only the local headers, the central
//! directory and a CRC-32 (PKWARE's APPNOTE 6.3, sections 4.3 and 4.4). The `zip` crate would
//! bring its writer, deflate and time handling into the page's bundle for what is this much.

/// CRC-32 (IEEE 802.3, reflected, as zip uses it).
fn crc32(bytes: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    !bytes.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// Why an archive cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZipError {
    /// Zip's 32-bit sizes (without its 64-bit extension): a file or the archive over 4 GiB, or
    /// more than 65,535 files.
    TooLarge,
}

/// An archive of `files` (name, bytes), each stored as it is, in the given order. Names are
/// written as UTF-8 (flag bit 11) with `/` between folders; every file is dated 1 January 1980,
/// zip's first day, so the same files always give the same archive.
pub fn stored(files: &[(&str, &[u8])]) -> Result<Vec<u8>, ZipError> {
    let small = |n: usize| u32::try_from(n).map_err(|_| ZipError::TooLarge);
    let count = u16::try_from(files.len()).map_err(|_| ZipError::TooLarge)?;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, bytes) in files {
        let name = name.as_bytes();
        let name_len = u16::try_from(name.len()).map_err(|_| ZipError::TooLarge)?;
        let (crc, size, offset) = (crc32(bytes), small(bytes.len())?, small(out.len())?);
        // Version 2.0, UTF-8 names, stored, 00:00 on 1980-01-01.
        let common = |out: &mut Vec<u8>| {
            for half in [20u16, 0x0800, 0, 0, 0x21] {
                out.extend_from_slice(&half.to_le_bytes());
            }
            for word in [crc, size, size] {
                out.extend_from_slice(&word.to_le_bytes());
            }
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(bytes);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut central);
        // Comment length, disk, internal and external attributes, the local header's offset.
        for half in [0u16, 0, 0] {
            central.extend_from_slice(&half.to_le_bytes());
        }
        central.extend_from_slice(&0u32.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let (central_size, central_offset) = (small(central.len())?, small(out.len())?);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, count, count] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([b[at], b[at + 1]])
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn crc32_check_values() {
        // The standard check value, and two more from zlib's crc32.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"a"), 0xE8B7_BE43);
    }

    #[test]
    fn an_archive_holds_each_file_as_it_is() {
        let files: [(&str, &[u8]); 2] = [
            ("snomD785.xml", b"<settings/>\r\n"),
            ("sub/000413A11FA7.xml", b"caf\xc3\xa9"),
        ];
        let zip = stored(&files).unwrap();
        // The end record: 2 files, the central directory's size and place.
        let end = zip.len() - 22;
        assert_eq!(u32_at(&zip, end), 0x0605_4b50);
        assert_eq!((u16_at(&zip, end + 8), u16_at(&zip, end + 10)), (2, 2));
        let central = u32_at(&zip, end + 16) as usize;
        assert_eq!(central + u32_at(&zip, end + 12) as usize, end);
        // Each central entry points at a local header whose data is the file's bytes.
        let mut at = central;
        for (name, bytes) in files {
            assert_eq!(u32_at(&zip, at), 0x0201_4b50);
            assert_eq!(u16_at(&zip, at + 8), 0x0800, "UTF-8 names");
            assert_eq!(u16_at(&zip, at + 10), 0, "stored");
            assert_eq!(u32_at(&zip, at + 16), crc32(bytes));
            let name_len = u16_at(&zip, at + 28) as usize;
            assert_eq!(&zip[at + 46..at + 46 + name_len], name.as_bytes());
            let local = u32_at(&zip, at + 42) as usize;
            assert_eq!(u32_at(&zip, local), 0x0403_4b50);
            let data = local + 30 + u16_at(&zip, local + 26) as usize;
            assert_eq!(&zip[data..data + bytes.len()], bytes);
            at += 46 + name_len;
        }
        assert_eq!(stored(&[]).unwrap().len(), 22);
    }
}
