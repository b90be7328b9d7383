//! Markup read back, for tests: each element with its name, attributes and the text a reader
//! sees inside it, and a path's shapes as numbers. Tests then assert what is drawn where and
//! what it says, not how the markup is spelled.

use std::collections::BTreeMap;

use quick_xml::events::Event;

/// An element of markup.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    /// All the text inside it, its children's too.
    pub text: String,
}

impl Element {
    /// An attribute's value ("" where it has none).
    pub fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }

    /// An attribute's value as a number.
    pub fn num(&self, name: &str) -> f64 {
        self.attr(name)
            .parse()
            .unwrap_or_else(|_| panic!("{name} of {self:?} is no number"))
    }
}

/// Every element of `markup` (a fragment: several roots and text between them), in document
/// order. Panics where it is not well-formed: that is a defect too.
pub fn elements(markup: &str) -> Vec<Element> {
    let wrapped = format!("<root>{markup}</root>");
    let mut reader = quick_xml::Reader::from_str(&wrapped);
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let add_text = |out: &mut Vec<Element>, open: &[usize], text: &str| {
        for &i in open {
            out[i].text.push_str(text);
        }
    };
    loop {
        match reader.read_event().expect("well-formed markup") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"root" => {}
            Event::End(e) if e.name().as_ref() == b"root" => {}
            Event::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(element(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => add_text(&mut out, &open, &t.decode().expect("UTF-8")),
            Event::GeneralRef(r) => {
                let name = r.decode().expect("UTF-8");
                let text = match r.resolve_char_ref().expect("a character") {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("&{name}; is not XML's"))
                        .to_owned(),
                };
                add_text(&mut out, &open, &text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn element(e: &quick_xml::events::BytesStart) -> Element {
    let attrs = e
        .html_attributes()
        .map(|a| {
            let a = a.expect("an attribute");
            let key = String::from_utf8(a.key.as_ref().to_vec()).expect("UTF-8");
            (key, a.unescape_value().expect("a value").into_owned())
        })
        .collect();
    Element {
        name: String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8"),
        attrs,
        text: String::new(),
    }
}

/// The elements named `name` whose class is `class`.
pub fn by_class(markup: &str, name: &str, class: &str) -> Vec<Element> {
    elements(markup)
        .into_iter()
        .filter(|e| e.name == name && e.attr("class").split(' ').any(|c| c == class))
        .collect()
}

/// The text of each element named `name`, in order.
pub fn texts(markup: &str, name: &str) -> Vec<String> {
    elements(markup)
        .into_iter()
        .filter(|e| e.name == name)
        .map(|e| e.text)
        .collect()
}

/// A path of `M x y`, `H x`, `V y` and `z` as its shapes: each `M` begins one, given as its
/// (left, right, top, bottom).
pub fn shapes(d: &str) -> Vec<(f64, f64, f64, f64)> {
    let mut out: Vec<(f64, f64, f64, f64)> = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let mut rest = d.trim();
    while let Some(command) = rest.chars().next() {
        rest = &rest[1..];
        let end = rest.find(['M', 'H', 'V', 'z']).unwrap_or(rest.len());
        let numbers: Vec<f64> = rest[..end]
            .split_whitespace()
            .map(|n| n.parse().expect("a number"))
            .collect();
        rest = &rest[end..];
        match command {
            'M' => {
                (x, y) = (numbers[0], numbers[1]);
                out.push((x, x, y, y));
                continue;
            }
            'H' => x = numbers[0],
            'V' => y = numbers[0],
            _ => continue,
        }
        let shape = out.last_mut().expect("M first");
        *shape = (
            shape.0.min(x),
            shape.1.max(x),
            shape.2.min(y),
            shape.3.max(y),
        );
    }
    out
}
