//! `index.html`: every product with its one-line description, version, SLA level and
//! status, and a search form (name, description, domain, tier, sensitivity, owner, tag)
//! that `assets/search.js` runs. Without JavaScript the form stays hidden and every product
//! is listed.

use super::html::escape;
use super::model::Entry;
use super::page::{FOOTER, head};
use std::collections::BTreeSet;
use std::fmt::Write;

/// The index page of `entries` (in the order given).
pub fn page(entries: &[Entry]) -> String {
    let mut s = head("Data product catalog", "");
    s.push_str(r#"<header class="site"><a href="index.html">dpc catalog</a></header><main>"#);
    let _ = write!(
        s,
        r#"<h1>Data product catalog</h1><p class="count" id="count" aria-live="polite">{} products</p>"#,
        entries.len()
    );
    s.push_str(&form(entries));
    s.push_str(r#"<noscript><p class="muted">Search needs JavaScript; every product is listed below.</p></noscript>"#);
    s.push_str(r#"<ul class="products" id="products">"#);
    for e in entries {
        item(&mut s, e);
    }
    s.push_str("</ul>");
    s.push_str(FOOTER);
    s.push_str(r#"</main><script src="assets/search.js"></script></body></html>"#);
    s
}

/// The search box and one `<select>` per filter, each with its label.
fn form(entries: &[Entry]) -> String {
    let mut s = String::from(
        r#"<form class="search" id="search" role="search" hidden><label for="q">Search name or description<input type="search" id="q" name="q" autocomplete="off"></label>"#,
    );
    let filters: [(&str, &str, BTreeSet<&str>); 5] = [
        (
            "domain",
            "Domain",
            entries.iter().map(|e| e.domain.as_str()).collect(),
        ),
        (
            "tier",
            "Tier",
            entries.iter().map(|e| e.tier.as_str()).collect(),
        ),
        (
            "sensitivity",
            "Sensitivity",
            entries.iter().map(|e| e.sensitivity.as_str()).collect(),
        ),
        (
            "owner",
            "Owner",
            entries.iter().map(|e| e.owner.as_str()).collect(),
        ),
        (
            "tag",
            "Tag",
            entries
                .iter()
                .flat_map(|e| e.tags.iter().map(String::as_str))
                .collect(),
        ),
    ];
    for (id, label, values) in filters {
        let _ = write!(
            s,
            r#"<label for="f-{id}">{label}<select id="f-{id}" name="{id}"><option value="">any</option>"#
        );
        for v in values {
            let v = escape(v);
            let _ = write!(s, r#"<option value="{v}">{v}</option>"#);
        }
        s.push_str("</select></label>");
    }
    s.push_str("</form>");
    s
}

/// One product: its name (a link), description and facts; the data attributes are what
/// the filters compare.
fn item(s: &mut String, e: &Entry) {
    let text = format!("{} {} {}", e.name, e.display_name, e.summary).to_lowercase();
    let _ = write!(
        s,
        r#"<li data-name="{}" data-domain="{}" data-tier="{}" data-sensitivity="{}" data-owner="{}" data-tags="{}" data-text="{}">"#,
        escape(&e.name),
        escape(&e.domain),
        escape(&e.tier),
        escape(&e.sensitivity),
        escape(&e.owner),
        escape(&e.tags.join("\n")),
        escape(&text),
    );
    let _ = write!(
        s,
        r#"<h2><a href="products/{slug}/index.html">{}</a></h2><p>{}</p>"#,
        escape(&e.display_name),
        escape(&e.summary),
        slug = escape(&e.slug),
    );
    let _ = write!(
        s,
        r#"<p><span class="badge status-{st}">{st}</span><span class="badge">v{}</span><span class="badge">SLA {}</span><span class="badge">tier {}</span><span class="badge sens-{sens}">{sens} data</span></p>"#,
        escape(&e.version),
        escape(&e.sla_level),
        escape(&e.tier),
        st = escape(e.status),
        sens = escape(&e.sensitivity),
    );
    let _ = write!(
        s,
        r#"<dl class="facts"><dt>Name</dt><dd><code>{}</code></dd><dt>Domain</dt><dd>{}</dd><dt>Owner</dt><dd>{}</dd><dt>Tables</dt><dd>{}</dd>"#,
        escape(&e.name),
        escape(&e.domain),
        escape(&e.owner),
        e.tables,
    );
    if !e.tags.is_empty() {
        s.push_str("<dt>Tags</dt><dd>");
        for t in &e.tags {
            let _ = write!(s, r#"<span class="badge">{}</span>"#, escape(t));
        }
        s.push_str("</dd>");
    }
    s.push_str("</dl></li>");
}
