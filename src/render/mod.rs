//! Pure rendering: a [`ProductSpec`] in, the product's files as (path, text) pairs out.
//! Templates are embedded in the binary; undefined variables are errors, and the
//! formatter refuses to print any string that did not pass through an escaping filter.

pub mod bundle;
pub mod deploy;
pub(crate) mod filters;
pub(crate) mod header;
pub(crate) mod model;
pub mod table_rules;
pub(crate) mod targets;

use crate::spec::{self, ProductSpec};
use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

/// The `.sql` files of a rendered tree, each read into statements once, as the job runs them
/// with the spec's (production) catalog for `:catalog`.
pub(crate) fn sql_files<'a>(
    spec: &ProductSpec,
    files: &'a [RenderedFile],
) -> Vec<crate::lang::sql_statements::SqlFile<'a>> {
    crate::lang::sql_statements::sql_files(
        files.iter().map(|f| (f.path.as_str(), f.text.as_str())),
        spec.catalog(),
        spec.schema(),
    )
}

/// One generated file, relative to the product directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedFile {
    pub path: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Model(#[from] model::ModelError),
    #[error(transparent)]
    Spec(#[from] spec::SpecError),
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
}

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),+]
    };
}

/// Every template, by its path under `templates/`.
pub(crate) const TEMPLATES: &[(&str, &str)] = templates!(
    "spec.yaml.j2",
    "schemas/table.sql.j2",
    "schemas/checks.sql.j2",
    "schemas/catalog_grants.sql.j2",
    "schemas/apply_checks.py.j2",
    "quality/expectations.yaml.j2",
    "quality/validation_rules.py.j2",
    "quality/run_checks.py.j2",
    "monitoring/sla_dashboard.sql.j2",
    "monitoring/quality_dashboard.sql.j2",
    "monitoring/alerts.yaml.j2",
    "docs/README.md.j2",
    "docs/data-dictionary.md.j2",
    "docs/consumer-guide.md.j2",
    "docs/sample-queries.sql.j2",
    "docs/changelog.md.j2",
    "tests/conftest.py.j2",
    "tests/contract_tests.py.j2",
    "tests/integration_tests.py.j2",
    "tests/pytest.ini.j2",
    "databricks.yml.j2",
);

/// Derived files rendered once per product: (output path, template).
const PRODUCT_FILES: &[(&str, &str)] = &[
    ("quality/expectations.yaml", "quality/expectations.yaml.j2"),
    (
        "quality/validation_rules.py",
        "quality/validation_rules.py.j2",
    ),
    (bundle::QUALITY_RUNNER, "quality/run_checks.py.j2"),
    (
        "monitoring/sla_dashboard.sql",
        "monitoring/sla_dashboard.sql.j2",
    ),
    (
        "monitoring/quality_dashboard.sql",
        "monitoring/quality_dashboard.sql.j2",
    ),
    ("monitoring/alerts.yaml", "monitoring/alerts.yaml.j2"),
    ("docs/README.md", "docs/README.md.j2"),
    ("docs/data-dictionary.md", "docs/data-dictionary.md.j2"),
    ("docs/consumer-guide.md", "docs/consumer-guide.md.j2"),
    ("docs/sample-queries.sql", "docs/sample-queries.sql.j2"),
    ("tests/conftest.py", "tests/conftest.py.j2"),
    ("tests/contract_tests.py", "tests/contract_tests.py.j2"),
    (
        "tests/integration_tests.py",
        "tests/integration_tests.py.j2",
    ),
    ("tests/pytest.ini", "tests/pytest.ini.j2"),
    ("databricks.yml", "databricks.yml.j2"),
];

/// Files `create` writes once and people (and `dpc diff --write-changelog`) keep up after:
/// no dpc header, never regenerated.
const SEEDED_FILES: &[(&str, &str)] = &[("docs/changelog.md", "docs/changelog.md.j2")];

/// What each spec file holds, for its header.
const SPEC_PURPOSES: [&str; 4] = [
    "the product manifest",
    "the data contract",
    "the service level agreement",
    "the governance policies",
];

pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub fn new() -> Result<Self, RenderError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Escaping is explicit, per language, through filters; the name-based default
        // (JSON for *.yaml) would escape some values twice.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let mut syntax = minijinja::syntax::SyntaxConfig::builder();
        syntax
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true);
        let syntax = syntax.build().map_err(|e| template_error("(syntax)", &e))?;
        env.set_syntax(syntax);
        // Filters that would let raw text through are removed; only escaping filters remain.
        for unsafe_filter in ["safe", "tojson", "escape", "e", "urlencode"] {
            env.remove_filter(unsafe_filter);
        }
        filters::register(&mut env);
        // One text for the quality score's definition, in `dpc test` and the generated Python.
        env.add_global(
            "quality_score_definition",
            crate::spec::sla::QUALITY_SCORE_DEFINITION,
        );
        env.set_formatter(|out, state, value| {
            let plain_text = matches!(value.kind(), ValueKind::String) && !value.is_safe();
            if plain_text || value.is_undefined() || value.is_none() {
                return Err(minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    format!(
                        "`{}` would print unescaped text ({:.40}); pipe it through an escaping filter (yaml, sql_str, sql_ident, py, md)",
                        state.name(),
                        value.to_string()
                    ),
                ));
            }
            write!(out, "{value}").map_err(|e| {
                minijinja::Error::new(ErrorKind::WriteFailure, e.to_string())
            })
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .map_err(|e| template_error(name, &e))?;
        }
        Ok(Renderer { env })
    }

    #[cfg(test)]
    pub(crate) fn env_for_tests(&self) -> &Environment<'static> {
        &self.env
    }

    fn render_one(&self, template: &str, ctx: &Value) -> Result<String, RenderError> {
        self.env
            .get_template(template)
            .and_then(|t| t.render(ctx))
            .map_err(|e| template_error(template, &e))
    }

    /// Renders the whole product tree in memory, spec files first.
    pub fn render(&self, spec: &ProductSpec) -> Result<Vec<RenderedFile>, RenderError> {
        let mut files = self.render_spec_files(spec)?;
        files.extend(self.render_derived(spec)?);
        files.extend(self.render_seeded(spec)?);
        Ok(files)
    }

    /// The four spec files, as `create` writes them.
    pub(crate) fn render_spec_files(
        &self,
        spec: &ProductSpec,
    ) -> Result<Vec<RenderedFile>, RenderError> {
        let mut files = Vec::new();
        let bodies = spec.to_yaml()?;
        for ((file, body), purpose) in spec::SPEC_FILES.iter().zip(bodies).zip(SPEC_PURPOSES) {
            let ctx = minijinja::context! {
                file => Value::from_safe_string(file.to_string()),
                purpose => Value::from_safe_string(purpose.to_string()),
                name => Value::from_safe_string(spec.name().to_string()),
                schema => Value::from_safe_string(spec::schema::schema_ref(file)),
                body => Value::from_safe_string(body),
            };
            files.push(RenderedFile {
                path: file.to_string(),
                text: self.render_one("spec.yaml.j2", &ctx)?,
            });
        }
        Ok(files)
    }

    /// Files written once at creation (the changelog), which later commands leave to people.
    pub(crate) fn render_seeded(
        &self,
        spec: &ProductSpec,
    ) -> Result<Vec<RenderedFile>, RenderError> {
        let model = model::build(spec)?;
        let base = Value::from(minijinja::value::Serde(&model));
        SEEDED_FILES
            .iter()
            .map(|(path, template)| {
                Ok(RenderedFile {
                    path: path.to_string(),
                    text: self.render_one(template, &base)?,
                })
            })
            .collect()
    }

    /// Every file derived from the spec (everything but the spec files and seeded files).
    pub(crate) fn render_derived(
        &self,
        spec: &ProductSpec,
    ) -> Result<Vec<RenderedFile>, RenderError> {
        self.render_derived_from(&model::build(spec)?)
    }

    /// As [`Renderer::render_derived`], from a model already built (checks share it).
    pub(crate) fn render_derived_from(
        &self,
        model: &model::Model<'_>,
    ) -> Result<Vec<RenderedFile>, RenderError> {
        let mut files = Vec::new();
        let base = Value::from(minijinja::value::Serde(model));
        // The tables are already values inside `base`; reuse them rather than convert again.
        let tables = base
            .get_attr("tables")
            .map_err(|e| template_error("schemas/table.sql.j2", &e))?;
        for (i, table) in model.tables.iter().enumerate() {
            let value = tables
                .get_item_by_index(i)
                .map_err(|e| template_error("schemas/table.sql.j2", &e))?;
            let ctx = minijinja::context! { table => value, ..base.clone() };
            let text = self.render_one("schemas/table.sql.j2", &ctx)?;
            files.push(RenderedFile {
                text: header::stamp(&table.file, &model.generator, &text),
                path: table.file.clone(),
            });
        }
        // CHECK constraints apart from the DDL the job re-runs (see render::deploy).
        for (i, table) in model.tables.iter().enumerate() {
            let Some(path) = &table.checks_file else {
                continue;
            };
            let value = tables
                .get_item_by_index(i)
                .map_err(|e| template_error("schemas/checks.sql.j2", &e))?;
            let ctx = minijinja::context! { table => value, ..base.clone() };
            let text = self.render_one("schemas/checks.sql.j2", &ctx)?;
            files.push(RenderedFile {
                text: header::stamp(path, &model.generator, &text),
                path: path.clone(),
            });
        }
        let mut deploy_files = vec![(deploy::CATALOG_GRANTS, "schemas/catalog_grants.sql.j2")];
        if model.bundle.checks_task.is_some() {
            deploy_files.push((deploy::CHECKS_RUNNER, "schemas/apply_checks.py.j2"));
        }
        for (path, template) in deploy_files
            .into_iter()
            .chain(PRODUCT_FILES.iter().copied())
        {
            let text = self.render_one(template, &base)?;
            files.push(RenderedFile {
                path: path.to_string(),
                text: header::stamp(path, &model.generator, &text),
            });
        }
        Ok(files)
    }
}

fn template_error(template: &str, e: &minijinja::Error) -> RenderError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    RenderError::Template {
        template: template.to_string(),
        message,
    }
}
