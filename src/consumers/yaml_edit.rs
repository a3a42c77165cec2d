//! Surgical edits of a YAML file: append an item to a sequence, or remove one, touching only
//! that item's lines, so comments and layout elsewhere survive. Positions come from the YAML
//! parser's spans. The caller parses the result back and checks it means what it should.

use serde_saphyr::granit_parser::{Event, Marker, Parser, StructureStyle};

#[derive(Debug, thiserror::Error)]
#[error("cannot edit {path} in place: {message}")]
pub(crate) struct EditError {
    pub path: String,
    pub message: String,
}

/// One step of a path into the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn describe(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

#[derive(Debug, Clone, Copy)]
struct Pos {
    line: usize,
    col: usize,
    byte: usize,
}

impl Pos {
    fn of(m: &Marker) -> Option<Pos> {
        Some(Pos {
            line: m.line(),
            col: m.col(),
            byte: m.byte_offset()?,
        })
    }
}

#[derive(Debug)]
struct Node {
    start: Pos,
    /// End of the node's last content (exclusive).
    end: Pos,
    flow: bool,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar,
    Seq(Vec<Node>),
    /// (key text, key start, key end, value)
    Map(Vec<(String, Pos, Pos, Node)>),
}

struct Events<'a> {
    inner: Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>,
}

impl<'a> Events<'a> {
    fn next(&mut self) -> Option<(Event<'a>, Pos, Pos)> {
        loop {
            let (event, span) = self.inner.next()?.ok()?;
            if matches!(
                event,
                Event::Scalar(..)
                    | Event::Alias(..)
                    | Event::SequenceStart(..)
                    | Event::SequenceEnd
                    | Event::MappingStart(..)
                    | Event::MappingEnd
            ) {
                return Some((event, Pos::of(&span.start)?, Pos::of(&span.end)?));
            }
        }
    }
}

fn later(a: Pos, b: Pos) -> Pos {
    if b.byte > a.byte { b } else { a }
}

fn node<'a>(first: (Event<'a>, Pos, Pos), events: &mut Events<'a>) -> Option<Node> {
    let (event, start, end) = first;
    Some(match event {
        Event::SequenceStart(style, ..) => {
            let flow = style == StructureStyle::Flow;
            let mut items = Vec::new();
            let mut last = start;
            loop {
                let next = events.next()?;
                if matches!(next.0, Event::SequenceEnd) {
                    if flow {
                        last = next.2;
                    }
                    break;
                }
                let item = node(next, events)?;
                last = later(last, item.end);
                items.push(item);
            }
            Node {
                start,
                end: last,
                flow,
                kind: Kind::Seq(items),
            }
        }
        Event::MappingStart(style, ..) => {
            let flow = style == StructureStyle::Flow;
            let mut entries = Vec::new();
            let mut last = start;
            loop {
                let (key_event, key_start, key_end) = events.next()?;
                let key = match key_event {
                    Event::MappingEnd => {
                        if flow {
                            last = key_end;
                        }
                        break;
                    }
                    Event::Scalar(text, ..) => text.to_string(),
                    _ => return None,
                };
                let value = node(events.next()?, events)?;
                last = later(later(last, key_end), value.end);
                entries.push((key, key_start, key_end, value));
            }
            Node {
                start,
                end: last,
                flow,
                kind: Kind::Map(entries),
            }
        }
        Event::Scalar(..) => Node {
            start,
            end,
            flow: false,
            kind: Kind::Scalar,
        },
        _ => Node {
            start,
            end,
            flow: false,
            kind: Kind::Scalar,
        },
    })
}

fn parse(text: &str) -> Option<Node> {
    let mut events = Events {
        inner: Parser::new_from_str(text),
    };
    let first = events.next()?;
    node(first, &mut events)
}

/// The sequence at `path` and the key that holds it (start, end).
fn find<'n>(root: &'n Node, path: &[Seg<'_>]) -> Option<(&'n Node, Pos, Pos)> {
    let mut here = root;
    let mut key = None;
    for seg in path {
        match (&here.kind, seg) {
            (Kind::Map(entries), Seg::Key(k)) => {
                let (_, ks, ke, value) = entries.iter().find(|(name, ..)| name == k)?;
                key = Some((*ks, *ke));
                here = value;
            }
            (Kind::Seq(items), Seg::Index(i)) => {
                here = items.get(*i)?;
                key = None;
            }
            _ => return None,
        }
    }
    let (ks, ke) = key?;
    matches!(here.kind, Kind::Seq(_)).then_some((here, ks, ke))
}

/// Byte offset where 1-based `line` starts.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Byte offset just past the end of 1-based `line`, its line break included.
fn line_end(text: &str, line: usize) -> usize {
    line_start(text, line + 1)
}

fn line_text(text: &str, line: usize) -> &str {
    let (a, b) = (line_start(text, line), line_end(text, line));
    text[a..b].trim_end_matches(['\n', '\r'])
}

/// The last line that holds part of `item`, ignoring blank lines a block scalar swallows.
fn last_line(text: &str, item: &Node) -> usize {
    let mut last = if item.end.col == 0 && item.end.line > item.start.line {
        item.end.line - 1
    } else {
        item.end.line
    };
    while last > item.start.line && line_text(text, last).trim().is_empty() {
        last -= 1;
    }
    last
}

/// The indentation of a block sequence's dashes, from the line of its first item.
fn dash_indent<'t>(text: &'t str, item: &Node) -> Option<&'t str> {
    let line = line_text(text, item.start.line);
    let before: String = line.chars().take(item.start.col).collect();
    let dash = before.rfind('-')?;
    let indent = &line[..dash];
    indent.trim().is_empty().then_some(indent)
}

fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// `item` (its lines, relative to the item) as a block sequence entry at `indent`.
fn block_item(indent: &str, item: &[String], nl: &str) -> String {
    let mut out = String::new();
    for (i, line) in item.iter().enumerate() {
        let lead = if i == 0 { "- " } else { "  " };
        out.push_str(indent);
        out.push_str(lead);
        out.push_str(line);
        out.push_str(nl);
    }
    out
}

/// Appends `item` to the sequence at `path`. `item` holds the entry's lines without the
/// dash: one line for a scalar, `key: value` lines (nested lines indented by two more
/// spaces each level) for a mapping. Values must already be YAML-encoded.
pub(crate) fn append(text: &str, path: &[Seg<'_>], item: &[String]) -> Result<String, EditError> {
    let fail = |message: &str| EditError {
        path: describe(path),
        message: message.to_string(),
    };
    let root = parse(text).ok_or_else(|| fail("the file is not valid YAML"))?;
    let (seq, key_start, _) = find(&root, path).ok_or_else(|| fail("no sequence there"))?;
    let Kind::Seq(items) = &seq.kind else {
        return Err(fail("not a sequence"));
    };
    let nl = newline_of(text);
    if seq.flow {
        return reflow(text, seq, key_start, items, Some(item), None, nl)
            .ok_or_else(|| fail("a flow sequence that is not alone on its line"));
    }
    let first = items
        .first()
        .ok_or_else(|| fail("an empty block sequence"))?;
    let indent = dash_indent(text, first).ok_or_else(|| fail("items do not start with a dash"))?;
    let last = items
        .last()
        .map_or(first.start.line, |i| last_line(text, i));
    let at = line_end(text, last);
    let mut out = String::with_capacity(text.len() + 128);
    out.push_str(&text[..at]);
    if !out.ends_with('\n') {
        out.push_str(nl);
    }
    out.push_str(&block_item(indent, item, nl));
    out.push_str(&text[at..]);
    Ok(out)
}

/// Removes item `index` of the sequence at `path`, with its lines. A block sequence left
/// empty becomes `[]`.
pub(crate) fn remove(text: &str, path: &[Seg<'_>], index: usize) -> Result<String, EditError> {
    let fail = |message: &str| EditError {
        path: describe(path),
        message: message.to_string(),
    };
    let root = parse(text).ok_or_else(|| fail("the file is not valid YAML"))?;
    let (seq, key_start, key_end) = find(&root, path).ok_or_else(|| fail("no sequence there"))?;
    let Kind::Seq(items) = &seq.kind else {
        return Err(fail("not a sequence"));
    };
    let item = items.get(index).ok_or_else(|| fail("no such item"))?;
    let nl = newline_of(text);
    if seq.flow {
        return reflow(text, seq, key_start, items, None, Some(index), nl)
            .ok_or_else(|| fail("a flow sequence that is not alone on its line"));
    }
    dash_indent(text, item).ok_or_else(|| fail("items do not start with a dash"))?;
    let from = line_start(text, item.start.line);
    let to = line_end(text, last_line(text, item));
    if items.len() > 1 {
        return Ok(format!("{}{}", &text[..from], &text[to..]));
    }
    // The key's colon follows the key on its line.
    let colon = text[key_end.byte..]
        .find(':')
        .map(|i| key_end.byte + i + 1)
        .filter(|c| *c <= from && key_start.byte < *c)
        .ok_or_else(|| fail("cannot find the key's colon"))?;
    Ok(format!(
        "{} []{}{}",
        &text[..colon],
        &text[colon..from],
        &text[to..]
    ))
}

/// Rewrites a flow sequence (`[]`, `[a, b]`) as a block sequence, with `added` appended or
/// item `removed` left out; an empty result stays `[]`. Anything after the closing bracket
/// (a comment) stays on the key's line.
fn reflow(
    text: &str,
    seq: &Node,
    key_start: Pos,
    items: &[Node],
    added: Option<&[String]>,
    removed: Option<usize>,
    nl: &str,
) -> Option<String> {
    let line_end_at = line_end(text, seq.end.line);
    let after = text[seq.end.byte..line_end_at].trim_end_matches(['\n', '\r']);
    if !(after.trim().is_empty() || after.trim_start().starts_with('#'))
        || seq.start.line != seq.end.line
    {
        return None;
    }
    let kept: Vec<&str> = items
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != removed)
        .map(|(_, n)| text[n.start.byte..n.end.byte].trim())
        .collect();
    let head = text[..seq.start.byte].trim_end_matches(' ');
    if kept.is_empty() && added.is_none() {
        return Some(format!("{head} []{after}{nl}{}", &text[line_end_at..]));
    }
    let indent = " ".repeat(key_start.col + 2);
    let mut block = String::new();
    for raw in kept {
        block.push_str(&block_item(&indent, &[raw.to_string()], nl));
    }
    if let Some(item) = added {
        block.push_str(&block_item(&indent, item, nl));
    }
    Some(format!("{head}{after}{nl}{block}{}", &text[line_end_at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
# top comment
consumers:
  - principal: a   # why a
    tables:
      - t1
  # about b
  - principal: b
    note: |
      two
      lines

groups: []  # none yet
flow: [x, \"y\"]
last:
- z
";

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn appends_after_the_last_item() {
        let out = append(
            DOC,
            &[Seg::Key("consumers")],
            &lines(&["principal: \"c\"", "tables:", "  - \"t2\""]),
        )
        .unwrap();
        assert!(
            out.contains(
                "      lines\n  - principal: \"c\"\n    tables:\n      - \"t2\"\n\ngroups"
            ),
            "{out}"
        );
        let out = append(DOC, &[Seg::Key("last")], &lines(&["w"])).unwrap();
        assert!(out.ends_with("last:\n- z\n- w\n"), "{out}");
    }

    #[test]
    fn flow_sequences_become_block_sequences() {
        let out = append(DOC, &[Seg::Key("groups")], &lines(&["\"g\""])).unwrap();
        assert!(
            out.contains("groups:  # none yet\n  - \"g\"\nflow:"),
            "{out}"
        );
        let out = append(DOC, &[Seg::Key("flow")], &lines(&["w"])).unwrap();
        assert!(
            out.contains("flow:\n  - x\n  - \"y\"\n  - w\nlast:"),
            "{out}"
        );
        let out = remove(DOC, &[Seg::Key("flow")], 0).unwrap();
        assert!(out.contains("flow:\n  - \"y\"\nlast:"), "{out}");
    }

    #[test]
    fn removes_only_the_item_lines() {
        let out = remove(DOC, &[Seg::Key("consumers")], 0).unwrap();
        assert!(
            out.starts_with("# top comment\nconsumers:\n  # about b\n  - principal: b"),
            "{out}"
        );
        let out = remove(DOC, &[Seg::Key("consumers")], 1).unwrap();
        assert!(out.contains("      - t1\n  # about b\n\ngroups"), "{out}");
        let out = remove(DOC, &[Seg::Key("last")], 0).unwrap();
        assert!(out.ends_with("last: []\n"), "{out}");
    }

    #[test]
    fn refuses_paths_that_are_not_sequences() {
        assert!(append(DOC, &[Seg::Key("nope")], &lines(&["x"])).is_err());
        assert!(remove(DOC, &[Seg::Key("consumers")], 5).is_err());
        assert!(append("a: [", &[Seg::Key("a")], &lines(&["x"])).is_err());
    }
}
