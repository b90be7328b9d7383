//! Whose a provisioning file is, told by its content, never by its name alone
//! (`shared/domain/vendors.md`, "Telling whose file it is"): a `<MAC>.cfg` is Poly's or
//! Yealink's by what it holds.

pub mod cisco;
pub mod grandstream;
pub mod poly;
pub mod reading;
pub mod yealink;

pub use reading::{At, Entry, Note, Reading, VendorFile};

/// The makers of the phones a provisioning server serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vendor {
    /// snom, and Gigaset's P desk phones (snom inside).
    Snom,
    Poly,
    Yealink,
    /// Cisco SPA and MPP (3PCC firmware).
    Cisco,
    Grandstream,
    /// Cisco's enterprise firmware (`SEP<MAC>.cnf.xml`): its polling is not read.
    CiscoEnterprise,
    /// Its polling is not read.
    Fanvil,
    /// Gigaset's DECT bases (N870 and kin, N510/N720): their polling is not read.
    GigasetDect,
}

impl Vendor {
    pub const ALL: [Vendor; 8] = [
        Vendor::Snom,
        Vendor::Poly,
        Vendor::Yealink,
        Vendor::Cisco,
        Vendor::Grandstream,
        Vendor::CiscoEnterprise,
        Vendor::Fanvil,
        Vendor::GigasetDect,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Vendor::Snom => "snom",
            Vendor::Poly => "poly",
            Vendor::Yealink => "yealink",
            Vendor::Cisco => "cisco",
            Vendor::Grandstream => "grandstream",
            Vendor::CiscoEnterprise => "cisco-enterprise",
            Vendor::Fanvil => "fanvil",
            Vendor::GigasetDect => "gigaset-dect",
        }
    }

    /// The vendor's name as people write it.
    pub const fn name(self) -> &'static str {
        match self {
            Vendor::Snom => "snom",
            Vendor::Poly => "Poly",
            Vendor::Yealink => "Yealink",
            Vendor::Cisco => "Cisco",
            Vendor::Grandstream => "Grandstream",
            Vendor::CiscoEnterprise => "Cisco (enterprise firmware)",
            Vendor::Fanvil => "Fanvil",
            Vendor::GigasetDect => "Gigaset DECT",
        }
    }

    /// Whether provpoll reads this vendor's polling settings.
    pub const fn polling_read(self) -> bool {
        matches!(
            self,
            Vendor::Snom | Vendor::Poly | Vendor::Yealink | Vendor::Cisco | Vendor::Grandstream
        )
    }

    /// Reads one of its files (another vendor's than snom's; file index `file` in what the
    /// notes say). A vendor whose polling is not read gives nothing.
    pub fn read(self, bytes: &[u8], file: usize) -> VendorFile {
        match self {
            Vendor::Poly => poly::read(bytes, file),
            Vendor::Yealink => yealink::read(bytes, file),
            Vendor::Cisco => cisco::read(bytes, file),
            Vendor::Grandstream => grandstream::read(bytes, file),
            _ => VendorFile::default(),
        }
    }

    /// What the values of `entries` make its phone do, the first of each setting winning (the
    /// caller ranks its files by the vendor's rule). `None` for snom (`core::rule`) and for a
    /// vendor whose polling is not read.
    pub fn reading<'a>(self, entries: impl IntoIterator<Item = &'a Entry>) -> Option<Reading> {
        match self {
            Vendor::Poly => Some(poly::reading(entries)),
            Vendor::Yealink => Some(yealink::reading(entries)),
            Vendor::Cisco => Some(cisco::reading(entries)),
            Vendor::Grandstream => Some(grandstream::reading(entries)),
            _ => None,
        }
    }
}

/// The vendor whose file `bytes` is, by its content; `None` for anything else (a phone book,
/// a firmware image, a note).
pub fn of_file(bytes: &[u8]) -> Option<Vendor> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &text[start..];
    // Yealink's first line is `#!version:1.0.0.1`; Fanvil's text files begin with their banner.
    if text.starts_with(b"#!version:") {
        return Some(Vendor::Yealink);
    }
    if text.starts_with(b"<<VOIP CONFIG FILE>>") {
        return Some(Vendor::Fanvil);
    }
    if text.first() != Some(&b'<') && yealink_lines(text) {
        return Some(Vendor::Yealink);
    }
    xml_vendor(text)
}

/// A Yealink common file's name: `y` and 12 digits, the model's code after nine zeros
/// (`y000000000028.cfg`, `y000000000123.cfg`), in any case.
pub fn is_yealink_common(name: &str) -> bool {
    let name = name.as_bytes();
    name.len() == 17
        && name[0].eq_ignore_ascii_case(&b'y')
        && name[1..10].iter().all(|&b| b == b'0')
        && name[10..13].iter().all(u8::is_ascii_digit)
        && name[13..].eq_ignore_ascii_case(b".cfg")
}

/// Whether text without Yealink's first line still is Yealink's (its reader then says the line
/// is missing): a `name = value` line among its first 64 whose name begins with `static.`,
/// `auto_provision.` or `account.` (**Choice**; snom's text settings are `name: value`).
fn yealink_lines(text: &[u8]) -> bool {
    text.split(|&b| b == b'\n').take(64).any(|line| {
        let Some(eq) = line.iter().position(|&b| b == b'=') else {
            return false;
        };
        let name = line[..eq].trim_ascii();
        [&b"static."[..], b"auto_provision.", b"account."]
            .iter()
            .any(|p| name.starts_with(p))
            && name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_'))
    })
}

/// An XML file's vendor: by its root element, or for Poly by an `APPLICATION` element or an
/// attribute named `x.y.z` (`prov.polling.enabled`) among its first elements.
fn xml_vendor(text: &[u8]) -> Option<Vendor> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(text);
    let mut buf = Vec::new();
    let mut root: Option<Vec<u8>> = None;
    // Poly's settings stand on the first elements; a snom or Cisco file never has such names.
    for _ in 0..64 {
        let event = reader.read_event_into(&mut buf).ok()?;
        let element = match &event {
            Event::Start(e) | Event::Empty(e) => e,
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let name = element.name().as_ref().to_vec();
        if name == b"APPLICATION" {
            return Some(Vendor::Poly);
        }
        let dotted = element.attributes().with_checks(false).flatten().any(|a| {
            let key = a.key.as_ref();
            key.iter().filter(|&&b| b == b'.').count() >= 2
                && key.split(|&b| b == b'.').all(|part| !part.is_empty())
        });
        if dotted {
            return Some(Vendor::Poly);
        }
        if root.is_none() {
            let vendor = match name.as_slice() {
                b"settings" | b"phone-settings" | b"setting-files" => Some(Vendor::Snom),
                b"flat-profile" => Some(Vendor::Cisco),
                b"gs_provision" => Some(Vendor::Grandstream),
                b"device" => Some(Vendor::CiscoEnterprise),
                b"VOIP_CONFIG_FILE" | b"sysConf" => Some(Vendor::Fanvil),
                // N870 and kin (`<provisioning version="1.1">`), N510 and N720.
                b"provisioning" | b"ProviderFrame" => Some(Vendor::GigasetDect),
                _ => None,
            };
            if vendor.is_some() {
                return vendor;
            }
            root = Some(name);
        }
        buf.clear();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_vendors_file_is_told_by_its_content() {
        for (bytes, vendor) in [
            (
                &b"<?xml version=\"1.0\"?>\n<settings><phone-settings/></settings>"[..],
                Some(Vendor::Snom),
            ),
            (b"<setting-files><file url=\"a.xml\"/></setting-files>", Some(Vendor::Snom)),
            // Poly's master file, and a config file of dotted attributes under any root.
            (
                b"<?xml version=\"1.0\" standalone=\"yes\"?>\n<APPLICATION APP_FILE_PATH=\"sip.ld\" CONFIG_FILES=\"site.cfg\"/>",
                Some(Vendor::Poly),
            ),
            (
                b"<polycomConfig><prov prov.polling.enabled=\"1\" prov.polling.period=\"7200\"/></polycomConfig>",
                Some(Vendor::Poly),
            ),
            (b"#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\n", Some(Vendor::Yealink)),
            (b"\xEF\xBB\xBF#!version:1.0.0.1\n", Some(Vendor::Yealink)),
            // Without its first line: Yealink's still, and its reader says so.
            (b"# common\nstatic.auto_provision.repeat.enable = 1\n", Some(Vendor::Yealink)),
            (b"auto_provision.repeat.enable=1\n", Some(Vendor::Yealink)),
            // snom's text settings are `name: value`; a note with an `=` is nobody's.
            (b"prov_polling_enabled: on\n", None),
            (b"x = 1\n", None),
            (
                b"<flat-profile>\n<Resync_Periodic ua=\"na\">3600</Resync_Periodic>\n</flat-profile>",
                Some(Vendor::Cisco),
            ),
            (
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gs_provision version=\"1\"><config version=\"1\"><P194>2</P194></config></gs_provision>",
                Some(Vendor::Grandstream),
            ),
            (b"<device><deviceProtocol>SIP</deviceProtocol></device>", Some(Vendor::CiscoEnterprise)),
            (b"<<VOIP CONFIG FILE>>Version:2.0000000000\n", Some(Vendor::Fanvil)),
            (b"<ProviderFrame xmlns=\"x\"><Provider/></ProviderFrame>", Some(Vendor::GigasetDect)),
            (b"<provisioning version=\"1.1\" productID=\"e2\"><nvm><param name=\"Provisioning.global.Period\" value=\"0\"/></nvm></provisioning>", Some(Vendor::GigasetDect)),
            // A phone book, a note, a firmware image, nothing: no vendor's settings.
            (b"<tbook><item><name>A</name></item></tbook>", None),
            (b"a note", None),
            (b"\x7fELF\x02\x01", None),
            (b"", None),
        ] {
            assert_eq!(of_file(bytes), vendor, "{}", String::from_utf8_lossy(bytes));
        }
    }
}
