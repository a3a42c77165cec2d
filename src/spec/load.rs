//! Reads a product's spec files through the one loader and turns what goes wrong into
//! diagnostics: YAML syntax, unknown keys (with a suggestion), wrong types and values.

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::spec::settings::{self, Settings};
use crate::spec::{self, ProductSpec, SPEC_FILES};
use serde::de::DeserializeOwned;
use std::path::Path;

/// The spec of one product, or why it could not be read; the texts are kept for locating
/// diagnostics and showing source lines.
pub(crate) struct Loaded {
    pub texts: Vec<(&'static str, String)>,
    pub spec: Option<ProductSpec>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Diagnostics as the compiler-style text `validate` prints, with paths under `dir` and
    /// the offending source lines.
    pub(crate) fn report(&self, dir: &Path, diagnostics: &[Diagnostic]) -> String {
        let mut found = diagnostics.to_vec();
        crate::diagnostic::fill(&mut found, |f| self.text(f));
        for d in &mut found {
            d.file = crate::spec::settings::shown_path(dir, &d.file);
        }
        crate::diagnostic::render::human(&found, |file| {
            self.texts
                .iter()
                .find(|(f, _)| crate::spec::settings::shown_path(dir, f) == file)
                .map(|(_, t)| t.as_str())
        })
    }

    pub(crate) fn text(&self, file: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, t)| t.as_str())
    }
}

pub(crate) fn load(dir: &Path) -> Loaded {
    let mut texts = Vec::new();
    let mut diagnostics = Vec::new();
    for file in SPEC_FILES {
        match crate::files::safe_read::read_in_product(dir, file) {
            Ok(text) => texts.push((file, text)),
            Err(e) => diagnostics.push(Diagnostic::new(
                Code::Dpc006,
                file,
                format!("cannot read the spec file: {e}"),
            )),
        }
    }
    let mut loaded = Loaded {
        texts,
        spec: None,
        diagnostics,
    };
    if !loaded.diagnostics.is_empty() {
        return loaded;
    }
    let product = parse::<spec::ProductManifest>(&loaded, spec::PRODUCT_FILE);
    let contract = parse::<spec::Contract>(&loaded, spec::CONTRACT_FILE);
    let sla = parse::<spec::Sla>(&loaded, spec::SLA_FILE);
    let governance = parse::<spec::Governance>(&loaded, spec::GOVERNANCE_FILE);
    match (product, contract, sla, governance) {
        (Ok(product), Ok(contract), Ok(sla), Ok(governance)) => {
            match read_settings(dir, &mut loaded) {
                Ok(settings) => {
                    loaded.spec = Some(ProductSpec {
                        product,
                        contract,
                        sla,
                        governance,
                        settings,
                    });
                }
                Err(d) => loaded.diagnostics.push(*d),
            }
        }
        (p, c, s, g) => {
            loaded.diagnostics.extend(
                [p.err(), c.err(), s.err(), g.err()]
                    .into_iter()
                    .flatten()
                    .map(|d| *d),
            );
        }
    }
    loaded
}

/// The platform settings beside the product (`../dpc.yaml`), defaults when there are none;
/// their text joins the others so diagnostics show its lines.
fn read_settings(dir: &Path, loaded: &mut Loaded) -> Result<Settings, Box<Diagnostic>> {
    match Settings::read_in_labelled(&settings::folder_of(dir), settings::FROM_PRODUCT)? {
        Some((text, parsed)) => {
            loaded.texts.push((settings::FROM_PRODUCT, text));
            parsed
        }
        None => Ok(Settings::default()),
    }
}

fn parse<T: DeserializeOwned>(loaded: &Loaded, file: &'static str) -> Result<T, Box<Diagnostic>> {
    let text = loaded.text(file).unwrap_or_default();
    serde_saphyr::from_str::<T>(text).map_err(|e| Box::new(explained(file, text, &e)))
}

/// [`from_yaml_error`] with the key path it points at and what the schema allows there.
pub(crate) fn explained(file: &str, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let mut d = from_yaml_error(file, e);
    let path = match (d.line, d.column) {
        (Some(line), Some(column)) => crate::lang::yaml_locate::path_at(text, line, column),
        _ => None,
    };
    if let Some(path) = path {
        if d.help.is_none()
            && d.code != Code::Dpc004
            && !d.message.contains("missing field")
            && let Some(allowed) = crate::spec::yaml_error::allowed(
                file.rsplit(['/', ':']).next().unwrap_or(file),
                &path,
            )
        {
            d = d.help(format!("allowed at {path}: {allowed}"));
        }
        // An unknown key is named in the message: point at the mapping that holds it.
        let at = if d.code == Code::Dpc004 || d.message.contains("missing field") {
            path.rsplit_once('.').map(|(parent, _)| parent.to_string())
        } else {
            Some(path)
        };
        d.path = at.filter(|a| !a.is_empty());
    }
    d
}

/// One diagnostic for a YAML reading error, with its position and, for a misspelled key,
/// the key it probably meant.
pub(crate) fn from_yaml_error(file: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let full = e.to_string();
    let message = full
        .lines()
        .next()
        .unwrap_or("cannot read YAML")
        .trim()
        .to_string();
    let message = crate::spec::yaml_error::plain(&strip_location(&message));
    // The library's advice about its own options means nothing to someone editing a spec.
    let message = match message.split_once(", set DuplicateKeyPolicy") {
        Some((head, _)) => head.replace(
            "duplicate mapping key:",
            "key appears twice in the same mapping:",
        ),
        None => message,
    };
    let (code, help) = if message.contains("unknown field") {
        let help = suggestion(&message).map(|s| format!("did you mean `{s}`?"));
        (Code::Dpc004, help)
    } else if message.contains("invalid type")
        || message.contains("not one of")
        || message.contains("is not a")
        || message.contains("missing field")
        || message.contains("invalid value")
        || message.starts_with("invalid ")
        || message.contains("has no value")
    {
        (Code::Dpc005, None)
    } else {
        (Code::Dpc003, None)
    };
    let mut d = Diagnostic::new(code, file, message);
    if let Some(loc) = e.location() {
        d = d.at_line(loc.line() as usize, loc.column() as usize);
    }
    if let Some(h) = help {
        d = d.help(h);
    }
    d
}

/// serde-saphyr writes "error: line L column C: message"; the diagnostic carries the
/// position separately.
fn strip_location(message: &str) -> String {
    let rest = message.strip_prefix("error: ").unwrap_or(message);
    match rest.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((_, text)) => text.to_string(),
        None => rest.to_string(),
    }
}

/// The expected field closest to the unknown one in "unknown field `x`, expected one of `a`, `b`".
fn suggestion(message: &str) -> Option<String> {
    let unknown = message.split('`').nth(1)?;
    let (_, expected) = message.split_once("expected one of ")?;
    expected
        .split(',')
        .map(|c| c.trim().trim_matches('`'))
        .map(|candidate| (edit_distance(unknown, candidate), candidate))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row.push((prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelled_keys_get_a_suggestion() {
        let yaml = "name: x\ntype: STRING\nnulable: true\ndescription: d\n";
        let e = serde_saphyr::from_str::<crate::spec::contract::Field>(yaml).unwrap_err();
        let d = from_yaml_error("contract.yaml", &e);
        assert_eq!(d.code, Code::Dpc004, "{d:?}");
        assert_eq!(d.help.as_deref(), Some("did you mean `nullable`?"), "{d:?}");
        assert_eq!((d.line, d.column), (Some(3), Some(1)), "{d:?}");
    }

    #[test]
    fn bad_values_name_what_is_allowed() {
        let yaml = "name: x\ntype: VARCHARX\ndescription: d\n";
        let e = serde_saphyr::from_str::<crate::spec::contract::Field>(yaml).unwrap_err();
        let d = from_yaml_error("contract.yaml", &e);
        assert_eq!(d.code, Code::Dpc005, "{d:?}");
        assert!(d.message.contains("allowed: STRING"), "{d:?}");
        assert_eq!(d.line, Some(2), "{d:?}");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = serde_saphyr::from_str::<crate::spec::contract::Field>("name: [x\n").unwrap_err();
        let d = from_yaml_error("contract.yaml", &e);
        assert_eq!(d.code, Code::Dpc003, "{d:?}");
        assert!(d.line.is_some(), "{d:?}");
    }
}
