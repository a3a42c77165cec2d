//! `answers.yaml`: the questionnaire's answers, one key per question, so a team can create
//! a product the same way again (`dpc create --answers answers.yaml --no-input` in CI).
//! The same type holds answers as they are gathered: flags, then the file, then the
//! questionnaire fill it, and [`AnswersFile::into_answers`] applies the defaults.

use crate::input::answers::{Answers, ConsumerAnswer, InputError, PiiAnswer};
use crate::input::starter::StarterTable;
use crate::spec::ProductSpec;
use crate::spec::governance::{Compliance, MaskMethod, MaskingStrategy, PrincipalType};
use crate::spec::product::DataSource;
use crate::spec::values::{Sensitivity, SlaLevel, Tier};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why an answers file cannot be used; every one is an input error (exit 2).
#[derive(Debug, thiserror::Error)]
pub(crate) enum AnswersFileError {
    #[error("--answers: cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file does not parse; the message names the file, line, key and what is allowed.
    #[error("{0}")]
    Parse(String),
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Import(#[from] crate::input::schema_import::ImportError),
    #[error("{0}")]
    Spec(#[from] crate::spec::SpecError),
}

/// Every answer `dpc create` takes; a missing key is a question not answered yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswersFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_cases: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumers: Option<Vec<ConsumerEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_sources: Option<Vec<DataSource>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<Vec<Compliance>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pii: Option<Vec<PiiEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masking: Option<MaskingStrategy>,
}

/// A reader of the product, as governance.yaml lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConsumerEntry {
    pub principal: String,
    #[serde(default = "group")]
    pub principal_type: PrincipalType,
    #[serde(default = "select")]
    pub permission: String,
}

fn group() -> PrincipalType {
    PrincipalType::Group
}

fn select() -> String {
    crate::spec::policy::CONSUMER_PERMISSIONS[0].0.to_string()
}

/// Where the tables come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SchemaAnswer {
    /// The domain's starter tables.
    Starter,
    /// A `CREATE TABLE` file, a CSV with a header or another product's contract.yaml.
    FromFile(PathBuf),
    /// Tables written out (as the questionnaire defines them, or as a saved file keeps them).
    Tables(Vec<StarterTable>),
}

/// One PII column and how it is masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PiiEntry {
    pub table: String,
    pub column: String,
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masking: Option<MaskMethod>,
}

const HEADER: &str = "\
# dpc create answers: every key is one question of `dpc create`.
# Re-create the product with: dpc create --answers answers.yaml --no-input
";

impl AnswersFile {
    /// Reads an answers file; an unknown key or a bad value names the file, line and key.
    pub(crate) fn load(path: &Path) -> Result<Self, AnswersFileError> {
        let text = crate::files::safe_read::read_text(path, crate::files::safe_read::TEXT_CAP)
            .map_err(|source| AnswersFileError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        if text.trim().is_empty() {
            return Ok(AnswersFile::default());
        }
        serde_saphyr::from_str(&text).map_err(|e| {
            let d = crate::spec::load::from_yaml_error(&path.display().to_string(), &e);
            let at = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            let help = d.help.map(|h| format!(" ({h})")).unwrap_or_default();
            AnswersFileError::Parse(format!(
                "--answers {}{at}: {}{help}",
                path.display(),
                d.message
            ))
        })
    }

    /// The YAML text of the file, with a header saying how to replay it.
    pub(crate) fn to_text(&self) -> Result<String, AnswersFileError> {
        let body = crate::spec::to_yaml("answers.yaml", self)?;
        Ok(format!("{HEADER}{body}"))
    }

    /// Fills every answer missing here from `other` (answers given here win).
    pub(crate) fn or(self, other: AnswersFile) -> AnswersFile {
        AnswersFile {
            name: self.name.or(other.name),
            display_name: self.display_name.or(other.display_name),
            description: self.description.or(other.description),
            domain: self.domain.or(other.domain),
            tier: self.tier.or(other.tier),
            owner: self.owner.or(other.owner),
            sla: self.sla.or(other.sla),
            sensitivity: self.sensitivity.or(other.sensitivity),
            use_cases: self.use_cases.or(other.use_cases),
            consumers: self.consumers.or(other.consumers),
            data_sources: self.data_sources.or(other.data_sources),
            retention: self.retention.or(other.retention),
            compliance: self.compliance.or(other.compliance),
            schema: self.schema.or(other.schema),
            pii: self.pii.or(other.pii),
            catalog: self.catalog.or(other.catalog),
            masking: self.masking.or(other.masking),
        }
    }

    /// The domain, or the default one.
    pub(crate) fn domain_or_default(&self) -> &str {
        self.domain.as_deref().unwrap_or(DEFAULT_DOMAIN)
    }

    /// The answers with defaults for every question left open. `default_owner` gives the
    /// owner (and a note when it is a placeholder) for a domain. Tables named by
    /// `schema: {from_file: ...}` are imported here; their notes join the others.
    pub(crate) fn into_answers(
        mut self,
        default_owner: impl Fn(&str) -> (String, Option<String>),
    ) -> Result<(Answers, Vec<String>), AnswersFileError> {
        let name = self.name.take().ok_or_else(|| InputError {
            flag: "NAME",
            message: "no product name; pass it as the first argument (dpc create NAME) or as `name:` in the --answers file".into(),
        })?;
        let mut notes = Vec::new();
        let tables = match self.schema.take() {
            None | Some(SchemaAnswer::Starter) => None,
            Some(SchemaAnswer::Tables(t)) => Some(t),
            Some(SchemaAnswer::FromFile(path)) => {
                let imported = crate::input::schema_import::import_file(&path)?;
                notes.extend(imported.notes);
                Some(imported.tables)
            }
        };
        let (answers, more) = self.with_defaults(name, tables, default_owner);
        notes.extend(more);
        Ok((answers, notes))
    }

    /// [`AnswersFile::into_answers`] once the name and tables are known; `schema` is ignored.
    pub(crate) fn with_defaults(
        self,
        name: String,
        tables: Option<Vec<StarterTable>>,
        default_owner: impl Fn(&str) -> (String, Option<String>),
    ) -> (Answers, Vec<String>) {
        let mut notes = Vec::new();
        let domain = self.domain.unwrap_or_else(|| DEFAULT_DOMAIN.to_string());
        let owner = match self.owner {
            Some(o) => o,
            None => {
                let (owner, note) = default_owner(&domain);
                notes.extend(note);
                owner
            }
        };
        let answers = Answers {
            name,
            display_name: self.display_name,
            description: self.description,
            domain,
            tier: self.tier.unwrap_or(Tier::Gold),
            owner,
            sla: self.sla.unwrap_or(SlaLevel::Medium),
            sensitivity: self.sensitivity.unwrap_or(Sensitivity::Internal),
            catalog: self.catalog.unwrap_or_else(|| DEFAULT_CATALOG.to_string()),
            consumers: self
                .consumers
                .unwrap_or_default()
                .into_iter()
                .map(|c| ConsumerAnswer {
                    principal: c.principal,
                    principal_type: c.principal_type,
                    permission: c.permission,
                })
                .collect(),
            masking: self.masking.unwrap_or(crate::spec::policy::DEFAULT_MASKING),
            use_cases: self.use_cases,
            data_sources: self.data_sources,
            retention: self.retention,
            compliance: self.compliance,
            tables,
            pii: self.pii.map(|list| {
                list.into_iter()
                    .map(|p| PiiAnswer {
                        table: p.table,
                        column: p.column,
                        category: p.category,
                        method: p.masking,
                    })
                    .collect()
            }),
        };
        (answers, notes)
    }

    /// Every answer that made `spec`, written out, so replaying the file gives the same
    /// product byte for byte.
    pub(crate) fn from_spec(a: &Answers, spec: &ProductSpec) -> AnswersFile {
        let gov = &spec.governance;
        let product = &spec.product;
        AnswersFile {
            name: Some(a.name.clone()),
            display_name: Some(product.product_metadata.display_name.clone()),
            description: Some(product.description.clone()),
            domain: Some(a.domain.clone()),
            tier: Some(a.tier),
            owner: Some(a.owner.clone()),
            sla: Some(a.sla),
            sensitivity: Some(a.sensitivity),
            use_cases: Some(product.use_cases.clone()),
            consumers: Some(
                gov.approved_consumers
                    .iter()
                    .map(|c| ConsumerEntry {
                        principal: c.principal.clone(),
                        principal_type: c.principal_type,
                        permission: c.permission.clone(),
                    })
                    .collect(),
            ),
            data_sources: Some(product.data_sources.clone()),
            retention: Some(gov.retention.period.clone()),
            compliance: Some(gov.compliance.clone()),
            schema: Some(match &a.tables {
                None => SchemaAnswer::Starter,
                Some(t) => SchemaAnswer::Tables(t.clone()),
            }),
            pii: Some(
                gov.pii_fields
                    .iter()
                    .map(|p| PiiEntry {
                        table: p.table.clone(),
                        column: p.column.clone(),
                        category: p.category.clone(),
                        masking: gov
                            .masking
                            .rules
                            .iter()
                            .find(|r| r.table == p.table && r.column == p.column)
                            .map(|r| r.method),
                    })
                    .collect(),
            ),
            catalog: Some(a.catalog.clone()),
            masking: Some(a.masking),
        }
    }
}

pub(crate) const DEFAULT_DOMAIN: &str = "general";
pub(crate) const DEFAULT_CATALOG: &str = "main_production";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips() {
        let file = AnswersFile {
            name: Some("customer-360".into()),
            domain: Some("marketing".into()),
            tier: Some(Tier::Platinum),
            consumers: Some(vec![ConsumerEntry {
                principal: "svc".into(),
                principal_type: PrincipalType::ServicePrincipal,
                permission: "SELECT".into(),
            }]),
            schema: Some(SchemaAnswer::FromFile("t.sql".into())),
            pii: Some(vec![PiiEntry {
                table: "t".into(),
                column: "email".into(),
                category: "email".into(),
                masking: Some(MaskMethod::Truncate),
            }]),
            ..AnswersFile::default()
        };
        let text = file.to_text().unwrap();
        assert!(text.starts_with("# dpc create answers"), "{text}");
        let back: AnswersFile = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, file);
        let starter = serde_saphyr::from_str::<AnswersFile>("schema: starter\n").unwrap();
        assert_eq!(starter.schema, Some(SchemaAnswer::Starter));
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.yaml");
        std::fs::write(&path, "name: x\ndomian: sales\n").unwrap();
        let err = AnswersFile::load(&path).unwrap_err().to_string();
        assert!(err.contains("domian"), "{err}");
        assert!(err.contains("answers.yaml:2"), "{err}");
        assert!(err.contains("did you mean `domain`"), "{err}");
    }

    #[test]
    fn flags_win_over_the_file() {
        let flags = AnswersFile {
            domain: Some("sales".into()),
            ..AnswersFile::default()
        };
        let file = AnswersFile {
            domain: Some("finance".into()),
            owner: Some("a@b.co".into()),
            ..AnswersFile::default()
        };
        let merged = flags.or(file);
        assert_eq!(merged.domain.as_deref(), Some("sales"));
        assert_eq!(merged.owner.as_deref(), Some("a@b.co"));
    }

    #[test]
    fn a_missing_name_names_the_argument() {
        let err = AnswersFile::default()
            .into_answers(|_| ("a@b.co".into(), None))
            .unwrap_err();
        assert!(err.to_string().starts_with("NAME: "), "{err}");
    }
}
