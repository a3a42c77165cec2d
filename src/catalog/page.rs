//! A product's page: description, use cases, owner and support, SLA targets, tables with
//! their columns and quality rules, the access grid, the lineage diagram, consumers, the
//! changelog and links to its files. Sections are `<h2>`, tables `<h3>`, below that `<h4>`.

use super::html::escape;
use super::model::Product;
use crate::spec::contract::{Expectation, Table};
use std::fmt::Write;

pub(crate) const FOOTER: &str =
    r#"<footer>Made by <code>dpc catalog</code> from the products' spec files.</footer>"#;

/// The document head; `root` is the way from the page to the site's root (`../../`).
pub(crate) fn head(title: &str, root: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="dpc catalog"><title>{}</title><link rel="stylesheet" href="{root}assets/catalog.css"></head><body>"#,
        escape(title)
    )
}

/// The whole page of `p`.
pub(crate) fn page(p: &Product) -> String {
    let meta = &p.spec.product.product_metadata;
    let mut s = head(&format!("{} · dpc catalog", meta.display_name), "../../");
    s.push_str(r#"<header class="site"><a href="../../index.html">dpc catalog</a></header><main>"#);
    let _ = write!(
        s,
        r#"<nav aria-label="Breadcrumb"><a href="../../index.html">All products</a></nav><h1>{}</h1>"#,
        escape(&meta.display_name),
    );
    // A blank line starts a new paragraph; other line breaks are the YAML's wrapping.
    for para in p.spec.product.description.split("\n\n") {
        if !para.trim().is_empty() {
            let _ = write!(s, r#"<p class="lead">{}</p>"#, escape(para.trim()));
        }
    }
    facts(&mut s, p);
    contents(&mut s);
    use_cases(&mut s, p);
    support(&mut s, p);
    sla(&mut s, p);
    tables(&mut s, p);
    access(&mut s, p);
    lineage(&mut s, p);
    consumers(&mut s, p);
    changelog(&mut s, p);
    files(&mut s, p);
    s.push_str(FOOTER);
    s.push_str("</main></body></html>");
    s
}

/// The sections, by id and heading, in page order.
const SECTIONS: [(&str, &str); 9] = [
    ("use-cases", "Use cases"),
    ("support", "Owner and support"),
    ("sla", "SLA targets"),
    ("tables", "Tables"),
    ("access", "Who reads what"),
    ("lineage", "Lineage"),
    ("consumers", "Consumers"),
    ("changelog", "Changelog"),
    ("files", "Files"),
];

/// A section's `<h2>`.
fn h2(s: &mut String, id: &str) {
    let title = SECTIONS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(id, |(_, t)| *t);
    let _ = write!(s, r#"<h2 id="{id}">{title}</h2>"#);
}

fn contents(s: &mut String) {
    s.push_str(r#"<nav class="contents" aria-label="On this page"><ul>"#);
    for (id, title) in SECTIONS.iter().filter(|(id, _)| !id.is_empty()) {
        let _ = write!(s, r##"<li><a href="#{id}">{title}</a></li>"##);
    }
    s.push_str("</ul></nav>");
}

/// `<dt>`/`<dd>` pairs, values escaped.
fn dl(s: &mut String, pairs: &[(&str, String)]) {
    s.push_str(r#"<dl class="facts">"#);
    for (k, v) in pairs {
        let _ = write!(s, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    }
    s.push_str("</dl>");
}

/// `<dt>`/`<dd>` pairs in three columns, for the facts under the title.
fn dl_wide(s: &mut String, pairs: &[(&str, String)]) {
    s.push_str(r#"<dl class="facts wide">"#);
    for (k, v) in pairs {
        let _ = write!(s, "<div><dt>{}</dt><dd>{}</dd></div>", escape(k), escape(v));
    }
    s.push_str("</dl>");
}

/// A table with a header row; the first cell of each row is its `<th scope="row">`.
fn grid(s: &mut String, caption: &str, headers: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        s,
        r#"<div class="scroll"><table><caption class="muted">{}</caption><thead><tr>"#,
        escape(caption)
    );
    for h in headers {
        let _ = write!(s, r#"<th scope="col">{}</th>"#, escape(h));
    }
    s.push_str("</tr></thead><tbody>");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(s, r#"<th scope="row">{}</th>"#, escape(cell));
            } else {
                let _ = write!(s, "<td>{}</td>", escape(cell));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
}

fn facts(s: &mut String, p: &Product) {
    let spec = &p.spec;
    let meta = &spec.product.product_metadata;
    let _ = write!(
        s,
        r#"<p><span class="badge status-{st}">{st}</span></p>"#,
        st = p.status()
    );
    let tags: Vec<String> = spec
        .product
        .tags
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    dl_wide(
        s,
        &[
            ("Name", meta.name.clone()),
            ("Version", meta.version.clone()),
            ("Domain", meta.domain.clone()),
            ("Tier", meta.tier.to_string()),
            (
                "Sensitivity",
                spec.governance.classification.sensitivity.to_string(),
            ),
            ("SLA level", spec.sla.level.to_string()),
            (
                "Unity Catalog schema",
                format!("{}.{}", spec.catalog(), spec.schema()),
            ),
            ("Created", meta.created_date.clone()),
            ("Last updated", meta.last_updated.clone()),
            ("Tags", tags.join(", ")),
            ("Spec folder", p.source.clone()),
        ],
    );
}

fn use_cases(s: &mut String, p: &Product) {
    h2(s, "use-cases");
    s.push_str("<ul>");
    for u in &p.spec.product.use_cases {
        let _ = write!(s, "<li>{}</li>", escape(u));
    }
    s.push_str("</ul>");
}

fn support(s: &mut String, p: &Product) {
    let owner = &p.spec.product.product_metadata.owner;
    let sup = &p.spec.product.support;
    h2(s, "support");
    let _ = write!(
        s,
        r#"<p>Owned by {} (<a href="mailto:{mail}">{mail}</a>), owner group <code>{}</code>.</p>"#,
        escape(&owner.name),
        escape(&p.spec.governance.access_policy.owner_group),
        mail = escape(&owner.email),
    );
    dl(
        s,
        &[
            ("Owner Slack", owner.slack_channel.clone()),
            ("Support Slack", sup.slack_channel.clone()),
            ("On-call rotation", sup.on_call_rotation.clone()),
            ("Escalation", sup.escalation_contact.clone()),
            ("Documentation", sup.documentation_url.clone()),
        ],
    );
    let rows: Vec<Vec<String>> = p
        .spec
        .sla
        .support
        .levels
        .iter()
        .map(|l| {
            vec![
                l.severity.to_string(),
                l.description.clone(),
                l.response_time.clone(),
                l.resolution_target.clone(),
                l.communication.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        grid(
            s,
            "Support levels",
            &["Severity", "Meaning", "Response", "Resolution", "Channel"],
            &rows,
        );
    }
}

fn sla(s: &mut String, p: &Product) {
    let sla = &p.spec.sla;
    h2(s, "sla");
    let _ = write!(
        s,
        "<p>Level <strong>{}</strong>; availability {} ({}, {}).</p>",
        escape(&sla.level.to_string()),
        escape(&sla.availability.target.to_string()),
        escape(&sla.availability.measurement),
        escape(&sla.availability.measurement_window),
    );
    let mut rows: Vec<Vec<String>> = sla
        .freshness
        .metrics
        .iter()
        .map(|m| {
            vec![
                format!("Freshness of {}", m.table),
                m.target_latency.to_string(),
                m.breach_threshold.to_string(),
                m.measurement_method.clone(),
            ]
        })
        .collect();
    rows.extend(sla.quality.metrics.iter().map(|m| {
        vec![
            format!("Quality: {}", m.name),
            m.target.to_string(),
            m.breach_threshold.to_string(),
            m.measurement.clone(),
        ]
    }));
    rows.extend(sla.performance.metrics.iter().map(|m| {
        vec![
            format!("Latency of {} queries", m.query_type),
            format!("P95 {}, P99 {}", m.target_latency_p95, m.target_latency_p99),
            "-".to_string(),
            "query latency percentiles".to_string(),
        ]
    }));
    grid(
        s,
        "Targets and breach thresholds",
        &["Target", "Promise", "Breach", "Measured by"],
        &rows,
    );
}

fn tables(s: &mut String, p: &Product) {
    h2(s, "tables");
    for (name, table) in &p.spec.contract.tables {
        let _ = write!(
            s,
            r#"<h3 id="table-{}">{}</h3><p>{}</p>"#,
            escape(&super::model::slug(name)),
            escape(name),
            escape(&table.description),
        );
        if let Some(d) = &table.deprecated {
            let _ = write!(
                s,
                r#"<p><span class="badge status-deprecated">deprecated since {}</span>{}</p>"#,
                escape(&d.since),
                escape(
                    &d.replacement
                        .as_ref()
                        .map(|r| format!(" use {r} instead"))
                        .unwrap_or_default()
                ),
            );
        }
        columns(s, p, name, table);
        rules(s, name, &table.quality_expectations);
    }
}

fn columns(s: &mut String, p: &Product, name: &str, table: &Table) {
    let rows: Vec<Vec<String>> = p
        .columns(name, table)
        .into_iter()
        .map(|c| {
            let key = if table.primary_key.iter().any(|k| k == c.name) {
                " (primary key)"
            } else {
                ""
            };
            vec![
                format!("{}{key}", c.name),
                c.data_type,
                if c.nullable { "yes" } else { "no" }.to_string(),
                c.pii.unwrap_or_else(|| "no".to_string()),
                c.masking.unwrap_or_else(|| "-".to_string()),
                c.description.to_string(),
            ]
        })
        .collect();
    grid(
        s,
        &format!("Columns of {name}"),
        &[
            "Column",
            "Type",
            "Nullable",
            "PII",
            "Masking",
            "Description",
        ],
        &rows,
    );
}

fn rules(s: &mut String, table: &str, rules: &[Expectation]) {
    let _ = write!(s, "<h4>Quality rules of {}</h4>", escape(table));
    if rules.is_empty() {
        s.push_str(r#"<p class="muted">None.</p>"#);
        return;
    }
    let rows: Vec<Vec<String>> = rules
        .iter()
        .map(|e| {
            let mut params = Vec::new();
            if let Some(p) = &e.pattern {
                params.push(format!("pattern {p}"));
            }
            if let Some(v) = &e.values {
                params.push(format!("one of {}", v.join(", ")));
            }
            if let Some(m) = &e.min {
                params.push(format!("min {m}"));
            }
            if let Some(m) = &e.max {
                params.push(format!("max {m}"));
            }
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            vec![
                e.name.clone(),
                kind,
                e.column.clone(),
                params.join("; "),
                e.severity.to_string(),
            ]
        })
        .collect();
    grid(
        s,
        &format!("Quality rules of {table}"),
        &["Rule", "Kind", "Column", "Parameters", "Severity"],
        &rows,
    );
}

fn access(s: &mut String, p: &Product) {
    h2(s, "access");
    s.push_str(r#"<p class="legend"><span class="clear">clear</span><span class="masked">masked</span><span class="none">none</span> the same matrix as <code>dpc access</code>.</p>"#);
    super::grid::access(s, &p.matrix);
}

fn lineage(s: &mut String, p: &Product) {
    let l = p.lineage();
    let title = format!(
        "Lineage of {}",
        p.spec.product.product_metadata.display_name
    );
    h2(s, "lineage");
    s.push_str("<figure>");
    s.push_str(&super::svg::lineage(&title, &l));
    s.push_str(r#"<figcaption>Data sources feed the tables; green arrows lead to the consumers that read a table; dashed arcs are references between tables.</figcaption></figure>"#);
}

fn consumers(s: &mut String, p: &Product) {
    h2(s, "consumers");
    let list = &p.spec.governance.approved_consumers;
    if list.is_empty() {
        s.push_str(r#"<p class="muted">No approved consumers.</p>"#);
        return;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
            vec![
                c.principal.clone(),
                c.principal_type.to_string().replace('_', " "),
                c.permission.clone(),
                if c.tables.is_empty() {
                    "all".to_string()
                } else {
                    c.tables.join(", ")
                },
                opt(&c.expires),
                opt(&c.justification),
                opt(&c.approved_by),
            ]
        })
        .collect();
    grid(
        s,
        "Approved consumers",
        &[
            "Principal",
            "Type",
            "Permission",
            "Tables",
            "Expires",
            "Justification",
            "Approved by",
        ],
        &rows,
    );
}

fn changelog(s: &mut String, p: &Product) {
    h2(s, "changelog");
    match p.changelog.as_deref().and_then(super::changelog::releases) {
        Some(html) => s.push_str(&html),
        None => s.push_str(r#"<p class="muted">No release recorded in docs/changelog.md.</p>"#),
    }
}

fn files(s: &mut String, p: &Product) {
    let slug = escape(&p.slug());
    h2(s, "files");
    s.push_str("<ul>");
    let _ = write!(
        s,
        r#"<li><a href="{slug}.odcs.yaml">{slug}.odcs.yaml</a>: the contract as an ODCS v3.1 document (<code>dpc export odcs</code>)</li>"#
    );
    for (file, _) in &p.spec_files {
        let _ = write!(s, r#"<li><a href="{f}">{f}</a></li>"#, f = escape(file));
    }
    s.push_str("</ul>");
}
