//! Reading and editing a 1 MB settings file, beside a bare quick-xml event loop over the same
//! bytes (the floor any reader built on quick-xml can reach).

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{Criterion, Throughput, black_box};
    use provpoll::core::file::SettingsFile;
    use provpoll::core::settings::{Draft, Key};
    use quick_xml::events::Event;
    use quick_xml::reader::Reader;

    /// A real-looking file of about 1 MB: phone settings, many function keys and a phone book.
    pub fn megabyte_file() -> Vec<u8> {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<settings>\r\n  <phone-settings e=\"2\">\r\n",
        );
        for i in 0..2_000 {
            xml.push_str(&format!(
                "    <user_realname idx=\"{i}\" perm=\"R\">Line {i} &amp; Co</user_realname>\r\n    <user_pass idx=\"{i}\" perm=\"R\"><![CDATA[p<{i}>&s]]></user_pass>\r\n"
            ));
        }
        xml.push_str("    <!-- polling -->\r\n    <prov_polling_enabled perm=\"R\">on</prov_polling_enabled>\r\n    <prov_polling_mode perm=\"R\">rel</prov_polling_mode>\r\n    <prov_polling_period perm=\"R\">86400</prov_polling_period>\r\n  </phone-settings>\r\n  <tbook e=\"2\">\r\n");
        let mut i = 0;
        while xml.len() < 1_000_000 {
            xml.push_str(&format!(
                "    <item context=\"active\" type=\"\" fav=\"false\" index=\"{i}\"><name>Contact {i}</name><number>+49 30 {i:06}</number></item>\r\n"
            ));
            i += 1;
        }
        xml.push_str("  </tbook>\r\n</settings>\r\n");
        xml.into_bytes()
    }

    pub fn settings_file(c: &mut Criterion) {
        let bytes = megabyte_file();
        let draft = Draft::default()
            .with(Key::Enabled, "on")
            .with(Key::Mode, "random")
            .with(Key::Period, "259200")
            .with(Key::Time, "09:00")
            .with(Key::TimeRandEnd, "09:10");
        let mut group = c.benchmark_group("settings_file_1mb");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("quick_xml_event_loop", |b| {
            b.iter(|| {
                let mut reader = Reader::from_reader(black_box(&bytes[..]));
                let mut events = 0usize;
                loop {
                    match reader.read_event() {
                        Ok(Event::Eof) => break events,
                        Ok(_) => events += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        });
        group.bench_function("read", |b| {
            b.iter(|| SettingsFile::parse(black_box(bytes.clone())).unwrap())
        });
        group.bench_function("read_and_edit", |b| {
            b.iter(|| {
                let mut file = SettingsFile::parse(black_box(bytes.clone())).unwrap();
                file.apply(&draft).unwrap();
                file
            })
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::settings_file);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
