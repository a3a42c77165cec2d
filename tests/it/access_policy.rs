//! Every access policy check fails on a product that breaks it and passes on one that keeps
//! it, through `dpc validate` (which `dpc access` and `dpc generate` share).

use crate::common::{EPOCH, Scratch};
use std::path::Path;

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains(from),
        "{file} does not contain {from:?}:\n{text}"
    );
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The codes `dpc validate` reports for the product, and its exit code.
fn codes(s: &Scratch, dir: &Path, extra_env: Option<(&str, &str)>) -> (i32, Vec<String>) {
    let mut cmd = s.dpc();
    if let Some((k, v)) = extra_env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(["validate", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes = json
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    (out.status.code().unwrap_or(-1), codes)
}

/// Gives the starter's service principal an application ID and regenerates: without one it
/// is granted nothing (GRANT does not resolve display names), and validate warns (DPC140).
fn with_application_ids(s: &Scratch, dir: &Path) {
    let gov = dir.join("governance.yaml");
    let text = std::fs::read_to_string(&gov).expect("read");
    let text = text.replace(
        "    principal_type: service_principal\n",
        "    principal_type: service_principal\n    application_id: 6f0e3b1a-2c4d-4e5f-8a9b-0c1d2e3f4a5b\n",
    );
    std::fs::write(&gov, text).expect("write");
    s.dpc().arg("generate").arg(dir).assert().success();
}

struct Case {
    code: &'static str,
    flags: &'static [&'static str],
    /// Edits (file, from, to) that break the rule.
    edits: &'static [(&'static str, &'static str, &'static str)],
}

const MARKETING: &[&str] = &["--domain", "marketing", "--owner", "o@example.com"];
const CONFIDENTIAL: &[&str] = &[
    "--domain",
    "finance",
    "--sensitivity",
    "confidential",
    "--owner",
    "o@example.com",
];
const RESTRICTED: &[&str] = &[
    "--domain",
    "finance",
    "--sensitivity",
    "restricted",
    "--owner",
    "o@example.com",
];
const PUBLIC: &[&str] = &[
    "--domain",
    "general",
    "--sensitivity",
    "public",
    "--owner",
    "o@example.com",
];

const CASES: &[Case] = &[
    // Every PII column is masked for every principal outside its unmask groups.
    Case {
        code: "DPC135",
        flags: MARKETING,
        edits: &[(
            "governance.yaml",
            "      unmask_groups:\n        - marketing-data-owners\n",
            "      unmask_groups:\n        - marketing-data-owners\n        - account users\n",
        )],
    },
    Case {
        code: "DPC135",
        flags: MARKETING,
        edits: &[(
            "governance.yaml",
            "    - table: customers\n      column: email\n      method: partial_email\n",
            "    - table: customers\n      column: email_old\n      method: partial_email\n",
        )],
    },
    // Public products have no PII.
    Case {
        code: "DPC113",
        flags: PUBLIC,
        edits: &[(
            "contract.yaml",
            "          description: Human-readable entity name\n",
            "          description: Human-readable entity name\n          pii: true\n",
        )],
    },
    // Confidential and restricted products require approval.
    Case {
        code: "DPC125",
        flags: CONFIDENTIAL,
        edits: &[(
            "governance.yaml",
            "approval_workflow:\n  required: true",
            "approval_workflow:\n  required: false",
        )],
    },
    Case {
        code: "DPC136",
        flags: CONFIDENTIAL,
        edits: &[("governance.yaml", "    approved_by: o@example.com\n", "")],
    },
    Case {
        code: "DPC136",
        flags: RESTRICTED,
        edits: &[(
            "governance.yaml",
            "    approved_by: o@example.com\n",
            "    approved_by: nobody\n",
        )],
    },
    Case {
        code: "DPC136",
        flags: RESTRICTED,
        edits: &[(
            "governance.yaml",
            "    approved_date: \"2024-12-31\"\n",
            "    approved_date: \"2999-01-01\"\n",
        )],
    },
    // Restricted grants carry an expiry at most 90 days out, and a justification.
    Case {
        code: "DPC126",
        flags: RESTRICTED,
        edits: &[(
            "governance.yaml",
            "expires: \"2025-03-31\"",
            "expires: \"2025-04-01\"",
        )],
    },
    Case {
        code: "DPC126",
        flags: RESTRICTED,
        edits: &[(
            "governance.yaml",
            "    justification: Granted at product creation; renew with a business justification\n",
            "",
        )],
    },
    // No grant to `account users` on non-public data unless it is to the masked projection.
    Case {
        code: "DPC124",
        flags: MARKETING,
        edits: &[(
            "governance.yaml",
            "principal: data-scientists",
            "principal: account users",
        )],
    },
    // dpc grants SELECT only; another permission would be a grant the SQL does not make.
    Case {
        code: "DPC138",
        flags: MARKETING,
        edits: &[(
            "governance.yaml",
            "    permission: SELECT\n",
            "    permission: MODIFY\n",
        )],
    },
    // Default deny on disk: the SQL grants nothing the spec does not.
    Case {
        code: "DPC042",
        flags: MARKETING,
        edits: &[(
            "schemas/customer_segments_v1.sql",
            "\n-- Ownership goes",
            "\nGRANT SELECT ON TABLE main_production.p.customer_segments TO `interns`;\n-- Ownership goes",
        )],
    },
    Case {
        code: "DPC042",
        flags: MARKETING,
        edits: &[(
            "schemas/customers_v1.sql",
            "WHEN is_account_group_member('marketing-data-owners') OR",
            "WHEN TRUE OR",
        )],
    },
    Case {
        code: "DPC042",
        flags: MARKETING,
        edits: &[(
            "governance.yaml",
            "  - principal: data-scientists\n    principal_type: group\n    permission: SELECT\n",
            "",
        )],
    },
];

#[test]
fn every_policy_check_fails_when_broken_and_passes_when_kept() {
    for case in CASES {
        let s = Scratch::new();
        s.create("p", case.flags).assert().success();
        let dir = s.product("p");
        with_application_ids(&s, &dir);
        let (code, before) = codes(&s, &dir, None);
        assert!(
            !before.iter().any(|c| c == case.code),
            "{}: reported on the product as created: {before:?}",
            case.code
        );
        assert_eq!(code, 0, "{}: {before:?}", case.code);
        for (file, from, to) in case.edits {
            edit(&dir, file, from, to);
        }
        let (code, after) = codes(&s, &dir, None);
        assert!(
            after.iter().any(|c| c == case.code),
            "{} not reported after {:?}: {after:?}",
            case.code,
            case.edits
        );
        assert_eq!(code, 1, "{}: {after:?}", case.code);
    }
}

#[test]
fn account_users_may_read_the_masked_projection() {
    let s = Scratch::new();
    s.create(
        "p",
        &[
            "--domain",
            "marketing",
            "--masking",
            "masked-view",
            "--owner",
            "o@example.com",
        ],
    )
    .assert()
    .success();
    let dir = s.product("p");
    with_application_ids(&s, &dir);
    let everyone = "  - principal: account users\n    principal_type: group\n    permission: SELECT\n    tables:\n      - customers\napproval_workflow:";
    edit(&dir, "governance.yaml", "approval_workflow:", everyone);
    s.dpc().args(["generate"]).arg(&dir).assert().success();
    let (code, found) = codes(&s, &dir, None);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(code, 0);
    // account users reads customers only through the masked view.
    let out = s
        .dpc()
        .args(["access", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let everyone = json["tables"][0]["readers"]
        .as_array()
        .expect("readers")
        .iter()
        .find(|r| r["principal"] == "account users")
        .expect("account users");
    assert_eq!(everyone["via"], "view");
    assert_eq!(everyone["columns"]["email"], "masked");
    // The same grant on every table reaches tables without a masked view: refused.
    edit(
        &dir,
        "governance.yaml",
        "    tables:\n      - customers\napproval_workflow:",
        "approval_workflow:",
    );
    let (code, found) = codes(&s, &dir, None);
    assert!(found.contains(&"DPC124".to_string()), "{found:?}");
    assert_eq!(code, 1);
}

#[test]
fn expired_grants_are_warnings_until_revoked() {
    let s = Scratch::new();
    s.create("p", RESTRICTED).assert().success();
    let dir = s.product("p");
    let later = (EPOCH.parse::<u64>().expect("epoch") + 100 * 86_400).to_string();
    let (code, found) = codes(&s, &dir, Some(("SOURCE_DATE_EPOCH", &later)));
    assert!(found.contains(&"DPC137".to_string()), "{found:?}");
    assert_eq!(code, 0, "a warning does not fail validate: {found:?}");
    let (_, now) = codes(&s, &dir, None);
    assert!(!now.contains(&"DPC137".to_string()), "{now:?}");
}

#[test]
fn generate_refuses_a_spec_that_breaks_the_access_policy() {
    let s = Scratch::new();
    s.create("p", MARKETING).assert().success();
    let dir = s.product("p");
    edit(
        &dir,
        "governance.yaml",
        "principal: data-scientists",
        "principal: account users",
    );
    s.dpc()
        .arg("generate")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("DPC124"));
}

/// validate reads hand-edited SQL with the one SQL lexer: a grant inside a `/* */` comment is
/// no grant, and a grant after a block comment is still a grant (and refused).
#[test]
fn a_grant_inside_a_block_comment_is_not_a_grant() {
    let s = Scratch::new();
    s.create("p", MARKETING).assert().success();
    let dir = s.product("p");
    let grant = "GRANT SELECT ON TABLE main_production.p.customer_segments TO `interns`;";
    edit(
        &dir,
        "schemas/customer_segments_v1.sql",
        "\n-- Ownership goes",
        &format!("\n/* kept for later:\n{grant}\n*/\n-- Ownership goes"),
    );
    let (code, found) = codes(&s, &dir, None);
    assert!(!found.iter().any(|c| c == "DPC042"), "{found:?}");
    assert_eq!(code, 0, "{found:?}");
    edit(
        &dir,
        "schemas/customer_segments_v1.sql",
        "*/\n-- Ownership goes",
        &format!("*/\n/* reviewed */ {grant}\n-- Ownership goes"),
    );
    let (code, found) = codes(&s, &dir, None);
    assert!(found.iter().any(|c| c == "DPC042"), "{found:?}");
    assert_eq!(code, 1);
}
