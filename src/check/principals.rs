//! Service principals are named by application ID in GRANT, REVOKE and SET OWNER: a display
//! name is not resolved. A consumer without a usable ID gets no grant (the renderer leaves it
//! out), which validate says rather than let it pass unnoticed (DPC140).

use super::Diagnostic;
use crate::diagnostic::Code;
use crate::render::deploy::is_application_id;
use crate::spec::governance::PrincipalType;
use crate::spec::{GOVERNANCE_FILE, ProductSpec};

pub(crate) fn check(spec: &ProductSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let gov = &spec.governance;
    for (i, c) in gov.approved_consumers.iter().enumerate() {
        let at = format!("approved_consumers[{i}]");
        match (c.principal_type, c.application_id.as_deref()) {
            (PrincipalType::ServicePrincipal, Some(id)) if is_application_id(id) => {}
            (PrincipalType::ServicePrincipal, Some(id)) if looks_like_uuid(id) => out.push(
                Diagnostic::new(
                    Code::Dpc140,
                    GOVERNANCE_FILE,
                    format!("service principal {} has a placeholder application_id ({id}); it is granted nothing until it has its real one", c.principal),
                )
                .at(format!("{at}.application_id"))
                .warning()
                .help("the application ID is on the service principal's page in the account console (or `databricks service-principals list`)"),
            ),
            (PrincipalType::ServicePrincipal, Some(id)) => out.push(
                Diagnostic::new(
                    Code::Dpc140,
                    GOVERNANCE_FILE,
                    format!("application_id of service principal {} is not an application ID (a UUID): {id:?}", c.principal),
                )
                .at(format!("{at}.application_id")),
            ),
            (PrincipalType::ServicePrincipal, None) => out.push(
                Diagnostic::new(
                    Code::Dpc140,
                    GOVERNANCE_FILE,
                    format!("service principal {} has no application_id; Unity Catalog does not resolve display names in GRANT, so it is granted nothing", c.principal),
                )
                .at(at)
                .warning()
                .help("add `application_id: <uuid>` to the consumer, then run `dpc generate`"),
            ),
            (_, Some(_)) => out.push(
                Diagnostic::new(
                    Code::Dpc140,
                    GOVERNANCE_FILE,
                    format!("application_id is for service principals; {} is a {}", c.principal, c.principal_type),
                )
                .at(format!("{at}.application_id")),
            ),
            (_, None) => {}
        }
    }
    if let Some(id) = gov.access_policy.quality_identity.as_deref()
        && !is_application_id(id)
    {
        out.push(
            Diagnostic::new(
                Code::Dpc140,
                GOVERNANCE_FILE,
                format!("quality_identity must be the application ID of the service principal the job runs as, not {id:?}"),
            )
            .at("access_policy.quality_identity"),
        );
    }
    out
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}
