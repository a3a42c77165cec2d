//! The lineage diagram as inline SVG: data sources → tables → consumers in three columns,
//! references between tables as dashed arcs. Every label goes through [`escape`]; a label
//! too long for its box is shortened and the full text kept in a `<title>` (a tooltip).

use super::html::{escape, shorten};
use super::model::Lineage;
use std::fmt::Write;

const BOX_W: usize = 250;
const BOX_H: usize = 34;
const ROW: usize = 46;
const TOP: usize = 44;
/// Left edge of the sources, tables and consumers columns.
const COLUMNS: [usize; 3] = [10, 370, 730];
const WIDTH: usize = 990;

fn y_of(row: usize) -> usize {
    TOP + row * ROW
}

/// One labelled box; `class` picks its colour in the style sheet.
fn node(out: &mut String, column: usize, row: usize, label: &str, class: &str) {
    let x = COLUMNS[column];
    let y = y_of(row);
    let _ = write!(
        out,
        r#"<g class="node {class}"><title>{full}</title><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/><text x="{tx}" y="{ty}">{short}</text></g>"#,
        full = escape(label),
        tx = x + 10,
        ty = y + BOX_H / 2 + 5,
        short = escape(&shorten(label, 32)),
    );
}

/// A curve from the right edge of (column, row) to the left edge of (column + 1, row2).
fn edge(out: &mut String, column: usize, from: usize, to: usize, class: &str) {
    let x1 = COLUMNS[column] + BOX_W;
    let x2 = COLUMNS[column + 1];
    let y1 = y_of(from) + BOX_H / 2;
    let y2 = y_of(to) + BOX_H / 2;
    let mid = (x1 + x2) / 2;
    let _ = write!(
        out,
        r#"<path class="edge {class}" d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" marker-end="url(#arrow)"/>"#
    );
}

/// The diagram with its title and a text description (what a screen reader reads).
pub(crate) fn lineage(title: &str, l: &Lineage) -> String {
    let rows = l
        .sources
        .len()
        .max(l.tables.len())
        .max(l.consumers.len())
        .max(1);
    let height = y_of(rows) + 10;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="lineage" role="img" aria-labelledby="lineage-title lineage-desc" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="lineage-title">{}</title><desc id="lineage-desc">{}</desc>"#,
        escape(title),
        escape(&describe(l)),
    );
    s.push_str(r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>"#);
    for (i, head) in ["Data sources", "Tables", "Consumers"].iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="column-head" x="{}" y="24">{head}</text>"#,
            COLUMNS[i] + 10
        );
    }
    for si in 0..l.sources.len() {
        for ti in 0..l.tables.len() {
            edge(&mut s, 0, si, ti, "feeds");
        }
    }
    for &(ti, ci) in &l.reads {
        edge(&mut s, 1, ti, ci, "reads");
    }
    for (k, (child, parent, label)) in l.references.iter().enumerate() {
        // Arcs bulge right of the tables column, each a little further out.
        let x = COLUMNS[1] + BOX_W;
        let y1 = y_of(*child) + BOX_H / 2 - 6;
        let y2 = y_of(*parent) + BOX_H / 2 + 6;
        let bulge = x + 30 + 14 * (k % 4);
        let _ = write!(
            s,
            r#"<path class="edge reference" d="M{x},{y1} C{bulge},{y1} {bulge},{y2} {x},{y2}" marker-end="url(#arrow)"><title>{}</title></path>"#,
            escape(&format!(
                "{}.{label}",
                l.tables.get(*child).map_or("", String::as_str)
            ))
        );
    }
    let groups = [
        (&l.sources, "source"),
        (&l.tables, "table"),
        (&l.consumers, "consumer"),
    ];
    for (column, (names, class)) in groups.iter().enumerate() {
        if names.is_empty() {
            let _ = write!(
                s,
                r#"<text class="none" x="{}" y="{}">none</text>"#,
                COLUMNS[column] + 10,
                y_of(0) + BOX_H / 2 + 5
            );
        }
        for (row, name) in names.iter().enumerate() {
            node(&mut s, column, row, name, class);
        }
    }
    s.push_str("</svg>");
    s
}

/// The diagram in words.
pub(crate) fn describe(l: &Lineage) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut text = format!(
        "Data sources: {}. They feed the tables: {}. Consumers: {}.",
        list(&l.sources),
        list(&l.tables),
        list(&l.consumers)
    );
    for (ti, table) in l.tables.iter().enumerate() {
        let readers: Vec<String> = l
            .reads
            .iter()
            .filter(|(t, _)| *t == ti)
            .filter_map(|(_, c)| l.consumers.get(*c).cloned())
            .collect();
        if !readers.is_empty() {
            let _ = write!(text, " {table} is read by {}.", readers.join(", "));
        }
    }
    for (child, parent, label) in &l.references {
        let name = |i: &usize| l.tables.get(*i).map_or("", String::as_str);
        let _ = write!(
            text,
            " {} refers to {} ({label}).",
            name(child),
            name(parent)
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_shortened() {
        let l = Lineage {
            sources: vec!["<script>alert(1)</script> and a very long source name".into()],
            tables: vec!["t".into()],
            consumers: vec![],
            reads: vec![],
            references: vec![(0, 0, "a → b".into())],
        };
        let svg = lineage("Lineage of \"x\"", &l);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; and a very long source name"));
        assert!(svg.contains("Lineage of &quot;x&quot;"));
        assert!(svg.contains(">none</text>"));
    }
}
