//! Arbitrary user text survives every language dpc writes: YAML (read back by the YAML
//! reader), Databricks SQL literals (decoded as Databricks does), Python literals (evaluated
//! by CPython) and Markdown (read back by a CommonMark parser).

use dpc::lang::escape;
use dpc::lang::sql_statements::split;
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The acceptance text: quotes, backslashes, template braces, backticks, `--`, `;`, a newline.
const HOSTILE: &str = "It's \"q\" \\ {{ x }} `t` -- ;\nsecond line é 中 🚀";

/// Text a user may type: anything printable, tabs and line breaks (other control characters
/// are refused at input).
fn user_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range(' ', '~'),
            1 => prop::sample::select(vec!['\n', '\t', '\'', '"', '\\', '`', '{', '}', '|', ';', '-', '#', '*', '_', '<', '>', '&', '[', ']', '!']),
            1 => prop::char::range('\u{a0}', '\u{2fff}'),
            1 => prop::sample::select(vec!['é', '中', '🚀', '\u{2028}', '\u{85}', '\u{feff}']),
        ],
        0..60,
    )
    .prop_map(|chars| chars.into_iter().collect::<String>())
    .prop_flat_map(|body| {
        // Block syntax only matters at the start of a paragraph; give the start variety.
        prop::sample::select(vec!["", "1. ", "12) ", "- ", "# ", "> ", "    ", "+ ", "=", "***", "<div>"])
            .prop_map(move |prefix| format!("{prefix}{body}"))
    })
}

fn yaml_back(s: &str) -> String {
    let doc = format!("value: {}\n", escape::yaml_string(s));
    let map: std::collections::BTreeMap<String, String> =
        serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{doc:?}: {e}"));
    map["value"].clone()
}

fn sql_back(s: &str) -> String {
    let stmts = split(&format!("SELECT {} AS x;", escape::sql_string(s)));
    assert_eq!(
        stmts.len(),
        1,
        "{s:?} split into {} statements",
        stmts.len()
    );
    stmts[0].literals[0].clone()
}

fn python_back(values: &[String]) -> Vec<String> {
    let literals: Vec<String> = values.iter().map(|v| escape::python_string(v)).collect();
    let program = format!(
        "import json, sys\nsys.stdout.write(json.dumps([{}]))\n",
        literals.join(", ")
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &program])
        .output()
        .expect("python3 must be installed to run this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The text of the first paragraph (or table cell) as a CommonMark reader sees it.
fn markdown_back(md: &str, in_table: bool) -> String {
    let mut opts = pulldown_cmark::Options::empty();
    opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
    let mut text = String::new();
    let mut inside = false;
    let mut past_head = false;
    for event in Parser::new_ext(md, opts) {
        match event {
            Event::End(TagEnd::TableHead) => past_head = true,
            Event::Start(Tag::Paragraph) if !in_table => inside = true,
            Event::Start(Tag::TableCell) if in_table && past_head => inside = true,
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::TableCell) if inside => break,
            Event::Text(t) if inside => text.push_str(&t),
            Event::Code(t) if inside => text.push_str(&t),
            Event::InlineHtml(h) if inside && &*h == "<br>" => text.push('\n'),
            Event::SoftBreak | Event::HardBreak if inside => text.push('\n'),
            other if inside => panic!("unexpected markdown event {other:?} in {md:?}"),
            _ => {}
        }
    }
    text
}

fn markdown_paragraph_back(s: &str) -> String {
    markdown_back(&format!("{}\n", escape::markdown(s)), false)
}

fn markdown_cell_back(s: &str) -> String {
    markdown_back(
        &format!("| a |\n|---|\n| {} |\n", escape::markdown(s)),
        true,
    )
}

#[test]
fn hostile_text_round_trips_through_each_language() {
    assert_eq!(yaml_back(HOSTILE), HOSTILE);
    assert_eq!(sql_back(HOSTILE), HOSTILE);
    assert_eq!(python_back(&[HOSTILE.to_string()]), [HOSTILE]);
    assert_eq!(markdown_paragraph_back(HOSTILE), HOSTILE);
    assert_eq!(markdown_cell_back(HOSTILE), HOSTILE);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn yaml_strings_round_trip(s in user_text()) {
        prop_assert_eq!(yaml_back(&s), s);
    }

    #[test]
    fn sql_literals_round_trip(s in user_text()) {
        prop_assert_eq!(sql_back(&s), s);
    }

    #[test]
    fn sql_identifiers_stay_one_identifier(s in "[^\u{0}-\u{1f}]{1,20}") {
        let quoted = escape::sql_identifier(&s);
        let stmts = split(&format!("SELECT {quoted} FROM t;"));
        prop_assert_eq!(stmts.len(), 1);
        if quoted.starts_with('`') {
            prop_assert_eq!(quoted[1..quoted.len() - 1].replace("``", "`"), s);
        }
    }

    #[test]
    fn markdown_round_trips(s in user_text()) {
        // Whitespace-only text has no paragraph to read back; it is not a description anyone writes.
        prop_assume!(!s.trim().is_empty());
        prop_assert_eq!(markdown_paragraph_back(&s), s.clone());
        prop_assert_eq!(markdown_cell_back(&s), s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn python_literals_round_trip(batch in prop::collection::vec(user_text(), 32)) {
        prop_assert_eq!(python_back(&batch), batch);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any description and display name give a product that passes every check, including
    /// the spec files reading back into the same spec.
    #[test]
    fn any_free_text_gives_a_valid_product(description in user_text(), display in user_text()) {
        let display = display.replace(['\n', '\r'], " ");
        prop_assume!(!display.trim().is_empty());
        // Text the input checks refuse (control characters) is covered by the CLI error tests.
        prop_assume!(dpc::input::answers::check_text("--description", &description, true).is_ok());
        prop_assume!(dpc::input::answers::check_text("--display-name", &display, false).is_ok());
        let answers = dpc::input::answers::Answers {
            name: "customer-360".into(),
            display_name: Some(display),
            description: Some(description),
            domain: "marketing".into(),
            tier: dpc::spec::values::Tier::Gold,
            owner: "owner@company.com".into(),
            sla: dpc::spec::values::SlaLevel::Medium,
            sensitivity: dpc::spec::values::Sensitivity::Internal,
            catalog: "main".into(),
            consumers: vec![dpc::input::answers::ConsumerAnswer::group("a `b` 'c'")],
            masking: dpc::spec::governance::MaskingStrategy::ColumnMask,
            use_cases: None,
            data_sources: None,
            retention: None,
            compliance: None,
            tables: None,
            pii: None,
        };
        let today = dpc::lang::date::Date::parse("2024-12-31").expect("date");
        let (spec, _) = dpc::input::answers::build_spec(&answers, today).expect("valid answers");
        let files = dpc::render::Renderer::new().expect("renderer").render(&spec).expect("renders");
        let problems: Vec<_> = dpc::check::tree(&spec, &files)
            .into_iter()
            .filter(dpc::diagnostic::Diagnostic::is_error)
            .collect();
        prop_assert!(problems.is_empty(), "{:#?}", problems);
    }
}

/// The acceptance case end to end: `dpc create --description ...` with the hostile text,
/// read back out of a YAML, a SQL, a Python and a Markdown file of the written product.
#[test]
fn description_round_trips_through_every_file_type() {
    let s = crate::common::Scratch::new();
    s.create(
        "customer-360",
        &["--domain", "marketing", "--description", HOSTILE],
    )
    .assert()
    .success();
    let tree = crate::common::read_tree(&s.product("customer-360"));

    let product: dpc::spec::ProductManifest =
        dpc::spec::parse_yaml("product.yaml", &tree["product.yaml"]).expect("yaml");
    assert_eq!(product.description, HOSTILE);

    let ddl = split(&tree["schemas/customers_v1.sql"]);
    let schema = ddl
        .iter()
        .find(|st| st.code.starts_with("CREATE SCHEMA"))
        .expect("CREATE SCHEMA");
    assert_eq!(schema.literals, [HOSTILE]);

    let program = "import ast, json, sys\nsrc = open(sys.argv[1], encoding='utf-8').read()\nfor node in ast.parse(src).body:\n    if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', '') == 'PRODUCT_DESCRIPTION':\n        sys.stdout.write(json.dumps(ast.literal_eval(node.value)))\n";
    let path = s
        .product("customer-360")
        .join("quality/validation_rules.py");
    let out = std::process::Command::new("python3")
        .args(["-c", program])
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let python: String = serde_json::from_slice(&out.stdout).expect("PRODUCT_DESCRIPTION found");
    assert_eq!(python, HOSTILE);

    let readme = &tree["docs/README.md"];
    let line = readme
        .lines()
        .find(|l| l.starts_with(&escape::markdown(HOSTILE)[..10]))
        .expect("description paragraph in README");
    assert_eq!(markdown_back(line, false), HOSTILE);
}
