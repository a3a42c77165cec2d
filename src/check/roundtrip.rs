//! The spec files must parse back into exactly the spec they were rendered from, and every
//! derived YAML file must parse.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::render::RenderedFile;
use crate::spec::{ProductSpec, SPEC_FILES};

pub(crate) fn check(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let text_of = |name: &str| {
        files
            .iter()
            .find(|f| f.path == name)
            .map(|f| f.text.as_str())
    };
    let texts: Vec<Option<&str>> = SPEC_FILES.iter().map(|f| text_of(f)).collect();
    if let [Some(p), Some(c), Some(s), Some(g)] = texts[..] {
        match ProductSpec::parse("", [p, c, s, g]) {
            Ok(back) => {
                for (file, same) in SPEC_FILES.iter().zip([
                    back.product == spec.product,
                    back.contract == spec.contract,
                    back.sla == spec.sla,
                    back.governance == spec.governance,
                ]) {
                    if !same {
                        out.push(Diagnostic::new(
                            Code::Dpc001,
                            *file,
                            "does not read back into the spec it was written from",
                        ));
                    }
                }
            }
            Err(e) => out.push(Diagnostic::new(
                Code::Dpc001,
                "",
                format!("does not parse back: {e}"),
            )),
        }
    } else {
        out.push(Diagnostic::new(
            Code::Dpc001,
            "",
            "a spec file is missing from the tree",
        ));
    }
    for f in files
        .iter()
        .filter(|f| f.path.ends_with(".yaml") && !SPEC_FILES.contains(&f.path.as_str()))
    {
        if let Err(e) = serde_saphyr::from_str::<serde_json::Value>(&f.text) {
            out.push(Diagnostic::new(
                Code::Dpc002,
                &f.path,
                format!("is not valid YAML: {e}"),
            ));
        }
    }
    out
}
