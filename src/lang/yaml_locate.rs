//! Finds where a YAML path (`tables.customers.schema.fields[2].name`) sits in a file, so
//! diagnostics about the typed spec can point at a line and column. Only run for files that
//! have something to report.

use serde_saphyr::granit_parser::{Event, Parser, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_string()));
        }
        for index in rest
            .split('[')
            .filter_map(|i| i.trim_end_matches(']').parse().ok())
        {
            out.push(Segment::Index(index));
        }
    }
    out
}

/// A YAML node with the span of its content (for a mapping entry, the span of its key).
#[derive(Debug)]
struct Node {
    span: Span,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar,
    Seq(Vec<Node>),
    Map(Vec<(String, Span, Node)>),
}

fn parse(text: &str) -> Option<Node> {
    // Only node events matter here; stream, document and comment events are skipped.
    let mut events = Parser::new_from_str(text)
        .filter_map(Result::ok)
        .filter(|(e, _)| {
            matches!(
                e,
                Event::Scalar(..)
                    | Event::Alias(..)
                    | Event::SequenceStart(..)
                    | Event::SequenceEnd
                    | Event::MappingStart(..)
                    | Event::MappingEnd
            )
        });
    let first = events.next()?;
    node(first, &mut events)
}

fn node<'a>(
    (event, span): (Event<'a>, Span),
    events: &mut impl Iterator<Item = (Event<'a>, Span)>,
) -> Option<Node> {
    Some(match event {
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            loop {
                let next = events.next()?;
                if matches!(next.0, Event::SequenceEnd) {
                    break;
                }
                items.push(node(next, events)?);
            }
            Node {
                span,
                kind: Kind::Seq(items),
            }
        }
        Event::MappingStart(..) => {
            let mut entries = Vec::new();
            loop {
                let (key_event, key_span) = events.next()?;
                let key = match key_event {
                    Event::MappingEnd => break,
                    Event::Scalar(text, ..) => text.to_string(),
                    _ => String::new(),
                };
                let first = events.next()?;
                entries.push((key, key_span, node(first, events)?));
            }
            Node {
                span,
                kind: Kind::Map(entries),
            }
        }
        _ => Node {
            span,
            kind: Kind::Scalar,
        },
    })
}

/// The 1-based line and column of `path` in `text`: the mapping key that names the last
/// segment when there is one, else the node itself; the nearest existing ancestor when the
/// path does not exist (a missing key is reported at its parent).
pub(crate) fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let root = parse(text)?;
    let mut here = &root;
    let mut best = here.span;
    for seg in segments(path) {
        match (&here.kind, seg) {
            (Kind::Map(entries), Segment::Key(k)) => {
                match entries.iter().find(|(key, ..)| *key == k) {
                    Some((_, key_span, value)) => {
                        best = *key_span;
                        here = value;
                    }
                    None => break,
                }
            }
            (Kind::Seq(items), Segment::Index(i)) => match items.get(i) {
                Some(item) => {
                    best = item.span;
                    here = item;
                }
                None => break,
            },
            _ => break,
        }
    }
    Some((best.start.line(), best.start.col() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const DOC: &str = "# comment\ntables:\n  customers:\n    schema:\n      fields:\n        - name: id\n          type: STRING\n        - name: email\n          nulable: true\n    primary_key: [id]\n";

    #[test]
    fn finds_keys_and_items() {
        assert_eq!(locate(DOC, "tables.customers"), Some((3, 3)));
        assert_eq!(
            locate(DOC, "tables.customers.schema.fields[1].nulable"),
            Some((9, 11))
        );
        assert_eq!(
            locate(DOC, "tables.customers.schema.fields[1]"),
            Some((8, 11))
        );
        assert_eq!(
            locate(DOC, "tables.customers.primary_key[0]"),
            Some((10, 19))
        );
    }

    #[test]
    fn missing_paths_point_at_the_nearest_ancestor() {
        assert_eq!(locate(DOC, "tables.customers.nope"), Some((3, 3)));
        assert_eq!(locate(DOC, "tables.orders"), Some((2, 1)));
    }
}

/// The YAML path (`tables.customers.schema.fields[2].nullable`) of the innermost node that
/// starts at or before the 1-based `line` and `column`: where a reading error points.
pub(crate) fn path_at(text: &str, line: usize, column: usize) -> Option<String> {
    let root = parse(text)?;
    let at = (line, column.saturating_sub(1));
    let pos = |s: &Span| (s.start.line(), s.start.col());
    let mut here = &root;
    let mut path = String::new();
    loop {
        match &here.kind {
            Kind::Map(entries) => {
                let Some((key, _, value)) = entries.iter().rev().find(|(_, k, _)| pos(k) <= at)
                else {
                    break;
                };
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                here = value;
            }
            Kind::Seq(items) => {
                let Some((i, item)) = items
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, n)| pos(&n.span) <= at)
                else {
                    break;
                };
                path.push_str(&format!("[{i}]"));
                here = item;
            }
            Kind::Scalar => break,
        }
    }
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod path_at_tests {
    #[test]
    fn finds_the_key_path_of_a_position() {
        let doc = super::tests::DOC;
        assert_eq!(
            super::path_at(doc, 9, 20).as_deref(),
            Some("tables.customers.schema.fields[1].nulable")
        );
        assert_eq!(
            super::path_at(doc, 10, 19).as_deref(),
            Some("tables.customers.primary_key[0]")
        );
    }
}
