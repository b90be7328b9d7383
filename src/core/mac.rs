//! A phone's MAC: read in any case, written one way in every output (12 upper-case hex
//! digits, as the log's spec and the vendor's file names write it), so that a script can join
//! what `scan`, `fleet` and `log` print.

use std::fmt;

/// Twelve hexadecimal digits, upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mac([u8; 12]);

/// In the text's order, compared as one number (a log's phones are looked up by MAC once per
/// line: a byte-wise comparison was a call each time).
impl Ord for Mac {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let number = |m: &Mac| {
            let mut wide = [0; 16];
            wide[4..].copy_from_slice(&m.0);
            u128::from_be_bytes(wide)
        };
        number(self).cmp(&number(other))
    }
}

impl PartialOrd for Mac {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Mac {
    /// Exactly 12 hexadecimal digits, in any case, not beginning `000000`.
    pub fn parse(text: &str) -> Option<Mac> {
        Mac::from_ascii(text.as_bytes())
    }

    /// [`Mac::parse`] on bytes. A run that begins `000000` is no MAC: no phone vendor holds
    /// the OUI 00-00-00, and common files are named so (Poly's `000000000000.cfg`, Yealink's
    /// `y000000000028.cfg`; `shared/domain/vendors.md`, "In the log").
    pub fn from_ascii(bytes: &[u8]) -> Option<Mac> {
        let bytes: [u8; 12] = bytes.try_into().ok()?;
        let hex = bytes.iter().all(u8::is_ascii_hexdigit);
        (hex && !bytes.starts_with(b"000000")).then(|| Mac(bytes.map(|b| b.to_ascii_uppercase())))
    }

    /// The 12 hexadecimal digits of `text` with any `:` or `-` between them (a user's
    /// `00:04:13:A1:B2:C3`).
    pub fn parse_loose(text: &str) -> Option<Mac> {
        let digits: String = text.chars().filter(|c| !matches!(c, ':' | '-')).collect();
        Mac::parse(&digits)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::ops::Deref for Mac {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_is_read_in_any_case_and_written_in_upper_case() {
        let upper = Mac::parse("000413A1B2C3").unwrap();
        assert_eq!(Mac::parse("000413a1b2c3"), Some(upper));
        assert_eq!(upper.to_string(), "000413A1B2C3");
        assert_eq!(Mac::parse_loose("00:04:13:a1:b2:c3"), Some(upper));
        assert_eq!(Mac::parse_loose("00-04-13-A1-B2-C3"), Some(upper));
        for bad in [
            "000413A1B2C",
            "000413A1B2C3D",
            "000413A1B2CG",
            "",
            "ÄÄÄÄÄÄ",
            // The OUI 00-00-00: a common file's name, no phone.
            "000000000000",
            "000000000028",
        ] {
            assert_eq!(Mac::parse(bad), None, "{bad}");
        }
        // Ordered as the text is, so tables sort the same way whatever case they were read in.
        assert!(Mac::parse("000413a1b2c3") < Mac::parse("000413A1B2D0"));
    }
}
