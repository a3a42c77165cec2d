//! The access matrix as a coloured grid, one per table: a row per column, a column per
//! principal, each cell clear, masked or none (in words and colour), read from the same
//! [`Matrix`] `dpc access` prints. Cells carry their principal, table and column as data
//! attributes, so a test can compare the grid with `dpc access --format json` cell by cell.

use super::html::escape;
use crate::access::Matrix;
use crate::access::matrix::Via;
use std::fmt::Write;

pub(crate) fn access(s: &mut String, m: &Matrix) {
    for t in &m.tables {
        let _ = write!(s, "<h3>Access to {}</h3>", escape(&t.table));
        if let Some(v) = &t.view {
            let _ = write!(
                s,
                "<p>Readers are granted the masked view <code>{}</code>.</p>",
                escape(v)
            );
        }
        if let Some(groups) = &t.row_filter {
            let _ = write!(
                s,
                "<p>Row filter: rows only for {}.</p>",
                escape(&groups.join(", "))
            );
        }
        let _ = write!(
            s,
            r#"<div class="scroll"><table class="grid" data-table="{tb}"><caption class="muted">Access to {tb}: principal × column</caption><thead><tr><th scope="col">Column</th>"#,
            tb = escape(&t.table)
        );
        for r in &t.readers {
            let via = match (r.via, r.rows_filtered) {
                (_, true) => "no rows",
                (Via::None, _) => "no grant",
                (Via::Owner, _) => "owner",
                (Via::Table, _) => "table",
                (Via::Schema, _) => "schema",
                (Via::View, _) => "view",
            };
            let _ = write!(
                s,
                r#"<th scope="col">{}<br><span class="muted">{via}</span></th>"#,
                escape(&r.principal)
            );
        }
        s.push_str("</tr></thead><tbody>");
        let columns: Vec<&String> = t
            .readers
            .first()
            .map(|r| r.columns.keys().collect())
            .unwrap_or_default();
        for c in columns {
            let _ = write!(s, r#"<tr><th scope="row">{}</th>"#, escape(c));
            for r in &t.readers {
                let a = r.columns.get(c).map_or("none", |a| a.as_str());
                let _ = write!(
                    s,
                    r#"<td class="{a}" data-principal="{}" data-column="{}" data-access="{a}">{a}</td>"#,
                    escape(&r.principal),
                    escape(c),
                );
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>");
    }
}
