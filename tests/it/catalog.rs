//! `dpc catalog`: the site holds every product, table and column of the three examples; its
//! access grid is `dpc access --format json` cell by cell; hostile text in every free-text
//! field shows as text; a broken product is reported and left out; a folder dpc did not
//! write is never replaced. The browser tests open the site in headless Chromium.

use crate::common::{EXAMPLES, Scratch};
use dpc::catalog::html::escape;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch folder with the three examples made by the real binary, beside the examples'
/// platform settings (`data-products/dpc.yaml`), as `dpc init` sets a folder up.
fn examples() -> Scratch {
    let s = Scratch::with_example_settings();
    for (name, flags) in EXAMPLES {
        s.create(name, flags).assert().success();
    }
    s
}

/// `dpc catalog data-products --out site`, which must succeed; the site's folder.
fn catalog(s: &Scratch) -> PathBuf {
    s.dpc()
        .args(["catalog", "data-products", "--out", "site"])
        .assert()
        .success();
    s.path().join("site")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Undoes the references the escaper (or a browser's serializer) writes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every cell of the access grids in `html`: (table, principal, column) → access.
fn grid_cells(html: &str) -> BTreeMap<(String, String, String), String> {
    let table = regex::Regex::new(r#"(?s)<table class="grid" data-table="([^"]*)">(.*?)</table>"#)
        .expect("regex");
    let cell = regex::Regex::new(
        r#"<td class="[a-z]+" data-principal="([^"]*)" data-column="([^"]*)" data-access="([a-z]+)">"#,
    )
    .expect("regex");
    let mut out = BTreeMap::new();
    for t in table.captures_iter(html) {
        for c in cell.captures_iter(&t[2]) {
            let key = (unescape(&t[1]), unescape(&c[1]), unescape(&c[2]));
            assert!(out.insert(key, c[3].to_string()).is_none(), "a cell twice");
        }
    }
    out
}

/// The matrix `dpc access --format json` prints for `product`, cell by cell.
fn access_cells(s: &Scratch, product: &Path) -> BTreeMap<(String, String, String), String> {
    let out = s
        .dpc()
        .args(["access", "--format", "json"])
        .arg(product)
        .output()
        .expect("dpc access");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("access JSON");
    let mut cells = BTreeMap::new();
    for t in json["tables"].as_array().expect("tables") {
        let table = t["table"].as_str().expect("table name");
        for r in t["readers"].as_array().expect("readers") {
            let principal = r["principal"].as_str().expect("principal");
            for (column, access) in r["columns"].as_object().expect("columns") {
                cells.insert(
                    (table.into(), principal.into(), column.clone()),
                    access.as_str().expect("access").to_string(),
                );
            }
        }
    }
    cells
}

/// Every product, table and column of the examples is in `index` / `page(name)`.
fn assert_everything_shown(s: &Scratch, index: &str, page: impl Fn(&str) -> String) {
    for (name, _) in EXAMPLES {
        let spec = dpc::spec::ProductSpec::load(&s.product(name)).expect("example spec");
        let display = escape(&spec.product.product_metadata.display_name);
        assert!(
            index.contains(&format!(">{display}</a>")),
            "index lacks {name}"
        );
        assert!(index.contains(&format!("products/{name}/index.html")));
        let html = page(name);
        assert!(html.contains(&format!("<h1>{display}</h1>")), "{name}");
        for (table, t) in &spec.contract.tables {
            assert!(
                html.contains(&format!(">{}</h3>", escape(table))),
                "{name}.{table}"
            );
            for f in &t.schema.fields {
                let cell = format!("<th scope=\"row\">{}", escape(&f.name));
                assert!(html.contains(&cell), "{name}.{table}.{} missing", f.name);
            }
        }
    }
}

#[test]
fn every_product_table_and_column_is_in_the_site() {
    let s = examples();
    let site = catalog(&s);
    let index = read(&site.join("index.html"));
    assert_everything_shown(&s, &index, |name| {
        read(&site.join(format!("products/{name}/index.html")))
    });
    for (name, _) in EXAMPLES {
        let dir = site.join("products").join(name);
        // The ODCS export is the exporter's, byte for byte, and the spec files are there.
        let exported = s
            .dpc()
            .args(["export", "odcs"])
            .arg(s.product(name))
            .output()
            .expect("export");
        assert_eq!(
            read(&dir.join(format!("{name}.odcs.yaml"))).as_bytes(),
            &exported.stdout[..]
        );
        for f in dpc::spec::SPEC_FILES {
            assert_eq!(read(&dir.join(f)), read(&s.product(name).join(f)));
        }
        // The platform settings belong to the folder, not to a product's page.
        assert!(!dir.join("dpc.yaml").exists() && !site.join("dpc.yaml").exists());
    }
    for asset in ["assets/catalog.css", "assets/search.js", ".dpc-catalog"] {
        assert!(site.join(asset).is_file(), "{asset}");
    }
}

/// Every `href` and `src` of every page leads to a file of the site (links within a page
/// to one of its headings' ids), and nothing points outside the site or to the network.
#[test]
fn every_link_in_the_site_resolves_inside_it() {
    let s = examples();
    let site = catalog(&s);
    let link = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).expect("regex");
    let mut checked = 0;
    for page in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = read(page.path());
        for c in link.captures_iter(&html) {
            let target = unescape(&c[1]);
            if target.starts_with("mailto:") {
                continue;
            }
            if let Some(id) = target.strip_prefix('#') {
                assert!(
                    html.contains(&format!("id=\"{id}\"")),
                    "#{id} in {}",
                    page.path().display()
                );
                continue;
            }
            assert!(!target.contains("//"), "{target} leaves the site");
            let file = page.path().parent().expect("folder").join(&target);
            let file = file
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: {target} is missing", page.path().display()));
            assert!(
                file.starts_with(site.canonicalize().expect("site")) && file.is_file(),
                "{target}"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} links");
}

/// What assistive technology relies on: one `<h1>` and no heading level skipped, header
/// cells with a scope, a title on every picture, a label on every form field.
fn assert_semantic(name: &str, html: &str) {
    let heading = regex::Regex::new(r"<h([1-6])[ >]").expect("regex");
    let levels: Vec<u32> = heading
        .captures_iter(html)
        .map(|c| c[1].parse().expect("level"))
        .collect();
    assert_eq!(
        levels.iter().filter(|l| **l == 1).count(),
        1,
        "{name}: one h1"
    );
    for pair in levels.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1,
            "{name}: h{} after h{}",
            pair[1],
            pair[0]
        );
    }
    assert_eq!(
        html.matches("<th ").count() + html.matches("<th>").count(),
        html.matches("<th scope=\"").count(),
        "{name}: a header cell without scope"
    );
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<thead>").count(),
        "{name}"
    );
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("<svg class=\"lineage\" role=\"img\" aria-labelledby=")
            .count(),
        "{name}"
    );
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("</title><desc").count(),
        "{name}"
    );
    for id in regex::Regex::new(r#"<(?:input|select)[^>]* id="([^"]*)""#)
        .expect("regex")
        .captures_iter(html)
    {
        assert!(
            html.contains(&format!("<label for=\"{}\"", &id[1])),
            "{name}: {} has no label",
            &id[1]
        );
    }
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{name}"
    );
}

#[test]
fn pages_are_semantic_html() {
    let s = examples();
    let site = catalog(&s);
    let index = read(&site.join("index.html"));
    assert_semantic("index.html", &index);
    assert!(index.contains(r#"<input type="search" id="q""#));
    for (name, _) in EXAMPLES {
        let page = read(&site.join(format!("products/{name}/index.html")));
        assert_semantic(name, &page);
        assert_eq!(page.matches("<svg").count(), 1, "{name}: the lineage");
    }
}

#[test]
fn the_access_grid_is_dpc_access_cell_by_cell() {
    let s = examples();
    let site = catalog(&s);
    for (name, _) in EXAMPLES {
        let html = read(&site.join(format!("products/{name}/index.html")));
        let grid = grid_cells(&html);
        let expected = access_cells(&s, &s.product(name));
        assert!(!expected.is_empty());
        assert_eq!(grid, expected, "{name}");
    }
}

/// A string no field may show unescaped; `n` tells the fields apart.
fn hostile(n: usize) -> String {
    format!("<script>alert({n})</script> \"q{n}\" 'a' {{{{ x{n} }}}} ${{v}} ü🙂 </td>&amp;")
}

/// Puts hostile text into every free-text field of the product's spec; returns how many.
fn make_hostile(dir: &Path) -> usize {
    let mut spec = dpc::spec::ProductSpec::load(dir).expect("spec");
    let mut n = 0;
    let mut next = || {
        n += 1;
        hostile(n)
    };
    let p = &mut spec.product;
    p.product_metadata.display_name = next();
    p.description = format!("{}\nsecond line {}", next(), next());
    p.use_cases = vec![next(), next()];
    p.data_sources[0].name = next();
    p.data_sources[0].system = next();
    p.product_metadata.owner.name = next();
    p.product_metadata.owner.slack_channel = next();
    p.support.slack_channel = next();
    p.support.on_call_rotation = next();
    p.support.documentation_url = next();
    p.tags.insert("note".into(), next());
    for t in spec.contract.tables.values_mut() {
        t.description = next();
        for f in &mut t.schema.fields {
            f.description = next();
        }
    }
    let sla = &mut spec.sla;
    sla.freshness.metrics[0].measurement_method = next();
    sla.quality.metrics[0].measurement = next();
    sla.availability.measurement = next();
    sla.availability.measurement_window = next();
    sla.support.levels[0].description = next();
    sla.support.levels[0].communication = next();
    spec.governance.approved_consumers[0].justification = Some(next());
    let texts = spec.to_yaml().expect("yaml");
    for (file, text) in dpc::spec::SPEC_FILES.iter().zip(texts) {
        std::fs::write(dir.join(file), text).expect("write spec");
    }
    n
}

#[test]
fn hostile_text_in_every_free_text_field_shows_as_text() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let fields = make_hostile(&s.product("customer-360"));
    let site = catalog(&s);
    let page = read(&site.join("products/customer-360/index.html"));
    let index = read(&site.join("index.html"));
    // Written out by hand, so a fault in the escaper cannot hide here.
    let first = "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q1&quot; &#39;a&#39; {{ x1 }} ${v} ü🙂 &lt;/td&gt;&amp;amp;";
    for (html, scripts) in [(&page, 0), (&index, 1)] {
        assert!(html.contains(first), "display name not shown as text");
        assert_eq!(
            html.matches("<script").count(),
            scripts,
            "a script element too many"
        );
        assert!(
            !html.contains("\"q1\"") && !html.contains("'a'"),
            "a raw quote"
        );
    }
    for n in 1..=fields {
        let shown = escape(&hostile(n));
        assert!(page.contains(&shown), "field {n} not on the page as text");
    }
    // The index shows the display name and the description's first line.
    assert!(index.contains(&escape(&hostile(1))) && index.contains(&escape(&hostile(2))));
}

#[test]
fn a_broken_product_is_reported_and_left_out() {
    let s = examples();
    let contract = s.product("sales-analytics").join("contract.yaml");
    let text = read(&contract).replacen("nullable: false", "nullable: maybe", 1);
    std::fs::write(&contract, text).expect("write");
    let out = s
        .dpc()
        .args(["catalog", "--out", "site"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // Named as validate names it: file, line and column, key path, what is allowed.
    assert!(
        regex::Regex::new(r"sales-analytics/contract\.yaml:\d+:\d+")
            .expect("regex")
            .is_match(&stderr)
            && stderr.contains("true or false"),
        "{stderr}"
    );
    let index = read(&s.path().join("site/index.html"));
    assert!(index.contains("products/customer-360/index.html"));
    assert!(!index.contains("products/sales-analytics/"));
    assert!(!s.path().join("site/products/sales-analytics").exists());
}

#[test]
fn only_a_previous_catalog_or_an_empty_folder_is_replaced() {
    let s = examples();
    let foreign = s.path().join("mine");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "keep me").expect("write");
    let out = s
        .dpc()
        .args(["catalog", "--out", "mine"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mine") && stderr.contains(".dpc-catalog"),
        "{stderr}"
    );
    assert_eq!(read(&foreign.join("notes.txt")), "keep me");
    std::fs::write(s.path().join("file"), "x").expect("write");
    s.dpc().args(["catalog", "--out", "file"]).assert().code(2);

    // A previous catalog is replaced whole: a product gone from DIR is gone from the site.
    let site = catalog(&s);
    std::fs::write(site.join("products/customer-360/stale.html"), "old").expect("write");
    std::fs::remove_dir_all(s.product("sales-analytics")).expect("rm");
    let site = catalog(&s);
    assert!(!site.join("products/sales-analytics").exists());
    assert!(!site.join("products/customer-360/stale.html").exists());
    // Nothing is left beside it.
    let beside: Vec<String> = std::fs::read_dir(s.path())
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dpc-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    // A site that came to hold the products is not replaced (that would delete them).
    std::fs::rename(s.path().join("data-products"), site.join("data-products")).expect("mv");
    s.dpc()
        .args(["catalog", "site/data-products", "--out", "site"])
        .assert()
        .code(2);
    assert!(
        site.join("data-products/customer-360/product.yaml")
            .is_file()
    );
    // An empty folder is fine.
    std::fs::rename(site.join("data-products"), s.path().join("data-products")).expect("mv");
    std::fs::create_dir(s.path().join("empty")).expect("mkdir");
    s.dpc()
        .args(["catalog", "--out", "empty"])
        .assert()
        .success();
}

/// A rebuild shows what changed and links what did not from the previous site (same file,
/// not a copy), and a file edited in the old site is written anew, not carried over.
#[cfg(unix)]
#[test]
fn a_rebuild_shows_changes_and_reuses_unchanged_files() {
    use std::os::unix::fs::MetadataExt;
    let s = examples();
    let site = catalog(&s);
    let inode = |p: &Path| std::fs::metadata(p).map(|m| m.ino()).expect("stat");
    let sales = site.join("products/sales-analytics/index.html");
    let fraud = site.join("products/real-time-fraud-detection/index.html");
    let before = (inode(&sales), inode(&fraud), read(&fraud));
    // Change one product's description; tamper with another's page in the old site.
    let product = s.product("customer-360").join("product.yaml");
    let text = read(&product);
    let edited = text.replacen(
        "description: |-\n  ",
        "description: |-\n  Rebuilt and changed. ",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&product, edited).expect("write");
    std::fs::write(&fraud, "tampered").expect("write");
    let site = catalog(&s);
    assert!(read(&site.join("products/customer-360/index.html")).contains("Rebuilt and changed."));
    assert_eq!(
        inode(&sales),
        before.0,
        "an unchanged page is linked, not rewritten"
    );
    assert_ne!(
        inode(&fraud),
        before.1,
        "an edited old page is written anew"
    );
    assert_eq!(read(&fraud), before.2);
    // Every file of the site is the site's alone once the old one is gone.
    for e in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            assert_eq!(
                e.metadata().expect("stat").nlink(),
                1,
                "{}",
                e.path().display()
            );
        }
    }
}

#[test]
fn a_folder_without_products_is_a_usage_error() {
    let s = Scratch::new();
    std::fs::create_dir(s.path().join("nothing")).expect("mkdir");
    let out = s
        .dpc()
        .args(["catalog", "nothing", "--out", "site"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no data product"));
    assert!(!s.path().join("site").exists());
}

proptest! {
    /// The escaper's output holds no character that could open markup or end an attribute,
    /// and reads back as the input (characters HTML forbids become U+FFFD).
    #[test]
    fn escaped_text_reads_back_and_cannot_open_markup(s in "\\PC*|[<>&\"' {}a-z\u{0}-\u{1f}]*") {
        let e = escape(&s);
        prop_assert!(!e.contains(['<', '>', '"', '\'']));
        // Every `&` starts one of the escaper's references.
        let refs = regex::Regex::new("&(amp|lt|gt|quot|#39);").expect("regex");
        prop_assert!(!refs.replace_all(&e, "").contains('&'));
        let expected: String = s
            .chars()
            .map(|c| if dpc::catalog::html::allowed(c) { c } else { '\u{FFFD}' })
            .collect();
        prop_assert_eq!(unescape(&e), expected);
    }
}

// --- In a browser ---------------------------------------------------------------------

const NEEDS_CHROMIUM: &str = "needs chromium (apt-get install chromium); run: cargo test --test it -- --include-ignored catalog::";

/// Opens `url` in headless Chromium: the DOM after scripts ran, and the console lines
/// Chromium logged. Fails (never passes) when Chromium is missing.
fn chromium(url: &str) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .output()
        .unwrap_or_else(|e| panic!("cannot run chromium ({e}): {NEEDS_CHROMIUM}"));
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| {
            l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("ERR_FILE_NOT_FOUND")
        })
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

fn file_url(path: &Path) -> String {
    format!(
        "file://{}",
        path.canonicalize().expect("site path").display()
    )
}

#[test]
#[ignore = "needs chromium (apt-get install chromium); run: cargo test --test it -- --include-ignored catalog::"]
fn in_chromium_every_page_loads_without_errors_and_shows_everything() {
    let s = examples();
    let site = catalog(&s);
    let (index, console) = chromium(&file_url(&site.join("index.html")));
    assert!(console.is_empty(), "console: {console:#?}");
    // The script ran: the search form is shown and the count updated.
    assert!(index.contains("3 of 3 products shown"), "{index}");
    assert!(
        regex::Regex::new(r#"<form class="search" id="search" role="search">"#)
            .expect("regex")
            .is_match(&index)
    );
    let mut pages = BTreeMap::new();
    for (name, _) in EXAMPLES {
        let (dom, console) = chromium(&file_url(&site.join(format!("products/{name}/index.html"))));
        assert!(console.is_empty(), "{name}: {console:#?}");
        // The grid as the browser built it is still `dpc access`, cell by cell.
        assert_eq!(
            grid_cells(&dom),
            access_cells(&s, &s.product(name)),
            "{name}"
        );
        assert!(dom.contains("<svg class=\"lineage\""), "{name}");
        pages.insert(name.to_string(), dom);
    }
    assert_everything_shown(&s, &index, |name| pages[name].clone());
}

#[test]
#[ignore = "needs chromium (apt-get install chromium); run: cargo test --test it -- --include-ignored catalog::"]
fn in_chromium_the_search_filters_the_index() {
    let s = examples();
    let site = catalog(&s);
    let url = format!("{}?tier=platinum", file_url(&site.join("index.html")));
    let (dom, console) = chromium(&url);
    assert!(console.is_empty(), "console: {console:#?}");
    assert!(dom.contains("1 of 3 products shown"), "{dom}");
    let shown = regex::Regex::new(r#"<li data-name="([^"]*)"[^>]*>"#).expect("regex");
    let visible: Vec<String> = shown
        .captures_iter(&dom)
        .filter(|c| !c[0].contains(" hidden"))
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(visible, ["real-time-fraud-detection"]);
}

#[test]
#[ignore = "needs chromium (apt-get install chromium); run: cargo test --test it -- --include-ignored catalog::"]
fn in_chromium_hostile_text_stays_text() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    make_hostile(&s.product("customer-360"));
    let site = catalog(&s);
    for page in ["index.html", "products/customer-360/index.html"] {
        let (dom, console) = chromium(&file_url(&site.join(page)));
        // An injected script would have run: it would log, or leave a <script> element.
        assert!(console.is_empty(), "{page}: {console:#?}");
        let scripts = usize::from(page == "index.html");
        assert_eq!(dom.matches("<script").count(), scripts, "{page}");
        assert!(
            dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
    }
}
