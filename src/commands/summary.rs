//! What `create` reports: files, tables, columns, PII and masking, expectations, consumers.
//! The JSON form is stable: scripts may rely on its field names.

use crate::render::RenderedFile;
use crate::spec::ProductSpec;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Debug, Serialize)]
pub(crate) struct Summary {
    pub product: String,
    pub path: String,
    pub dry_run: bool,
    pub domain: String,
    pub tier: String,
    pub sla: String,
    pub sensitivity: String,
    pub owner: String,
    pub catalog: String,
    pub schema: String,
    pub files: Vec<FileEntry>,
    /// JSON Schemas of the spec files, written beside the products (`DIR/_schemas/`).
    pub schemas: Vec<FileEntry>,
    pub tables: Vec<TableEntry>,
    pub pii: Vec<PiiEntry>,
    pub masking: String,
    pub expectations: usize,
    pub consumers: Vec<ConsumerEntry>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct FileEntry {
    pub path: String,
    pub bytes: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct TableEntry {
    pub name: String,
    pub columns: usize,
    pub expectations: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PiiEntry {
    pub table: String,
    pub column: String,
    pub method: String,
    pub unmask_groups: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ConsumerEntry {
    pub principal: String,
    pub principal_type: String,
    pub permission: String,
    /// The name GRANT uses (a service principal's application ID); None: not granted, for a
    /// service principal without one.
    pub grantee: Option<String>,
}

impl Summary {
    /// The same summary, listing the JSON Schema files written beside the product.
    pub(crate) fn with_schemas(mut self, schemas: &[(std::path::PathBuf, String)]) -> Self {
        self.schemas = schemas
            .iter()
            .map(|(path, text)| FileEntry {
                path: path.display().to_string(),
                bytes: text.len(),
            })
            .collect();
        self
    }

    pub(crate) fn new(
        spec: &ProductSpec,
        files: &[RenderedFile],
        target: &Path,
        dry_run: bool,
        notes: Vec<String>,
    ) -> Self {
        let meta = &spec.product.product_metadata;
        let gov = &spec.governance;
        Summary {
            product: meta.name.clone(),
            path: target.display().to_string(),
            dry_run,
            domain: meta.domain.clone(),
            tier: meta.tier.to_string(),
            sla: spec.sla.level.to_string(),
            sensitivity: gov.classification.sensitivity.to_string(),
            owner: meta.owner.email.clone(),
            catalog: spec.catalog().to_string(),
            schema: spec.schema().to_string(),
            files: files
                .iter()
                .map(|f| FileEntry {
                    path: f.path.clone(),
                    bytes: f.text.len(),
                })
                .collect(),
            schemas: Vec::new(),
            tables: spec
                .contract
                .tables
                .iter()
                .map(|(name, t)| TableEntry {
                    name: name.clone(),
                    columns: t.schema.fields.len(),
                    expectations: t.quality_expectations.len(),
                })
                .collect(),
            pii: gov
                .masking
                .rules
                .iter()
                .map(|r| PiiEntry {
                    table: r.table.clone(),
                    column: r.column.clone(),
                    method: r.method.to_string(),
                    unmask_groups: r.unmask_groups.clone(),
                })
                .collect(),
            masking: gov.masking.strategy.to_string(),
            expectations: spec
                .contract
                .tables
                .values()
                .map(|t| t.quality_expectations.len())
                .sum(),
            consumers: gov
                .approved_consumers
                .iter()
                .map(|c| ConsumerEntry {
                    principal: c.principal.clone(),
                    principal_type: c.principal_type.to_string(),
                    permission: c.permission.clone(),
                    grantee: crate::render::deploy::grantee(c),
                })
                .collect(),
            notes,
        }
    }

    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        let verb = if self.dry_run {
            "Would create"
        } else {
            "Created"
        };
        s.push_str(&format!(
            "{verb} data product {} in {}\n  domain {}, tier {}, SLA {}, sensitivity {}, owner {}\n  Unity Catalog schema {}.{}\n",
            self.product, self.path, self.domain, self.tier, self.sla, self.sensitivity, self.owner, self.catalog, self.schema
        ));
        let total: usize = self.files.iter().map(|f| f.bytes).sum();
        s.push_str(&format!(
            "\nFiles ({}, {} bytes):\n",
            self.files.len(),
            total
        ));
        for f in &self.files {
            s.push_str(&format!("  {:<40} {:>7} bytes\n", f.path, f.bytes));
        }
        if !self.schemas.is_empty() {
            let total: usize = self.schemas.iter().map(|f| f.bytes).sum();
            s.push_str(&format!(
                "\nJSON Schemas for editors ({}, {} bytes):\n",
                self.schemas.len(),
                total
            ));
            let width = self.schemas.iter().map(|f| f.path.len()).max().unwrap_or(0);
            for f in &self.schemas {
                s.push_str(&format!("  {:<width$} {:>7} bytes\n", f.path, f.bytes));
            }
        }
        let columns: usize = self.tables.iter().map(|t| t.columns).sum();
        s.push_str(&format!(
            "\nTables ({}, {} columns):\n",
            self.tables.len(),
            columns
        ));
        for t in &self.tables {
            s.push_str(&format!(
                "  {:<28} {:>3} columns {:>3} expectations\n",
                t.name, t.columns, t.expectations
            ));
        }
        if self.pii.is_empty() {
            s.push_str("\nPII columns: none\n");
        } else {
            s.push_str(&format!(
                "\nPII columns ({}, masked by {}):\n",
                self.pii.len(),
                self.masking
            ));
            for p in &self.pii {
                let who = if p.unmask_groups.is_empty() {
                    "nobody".to_string()
                } else {
                    p.unmask_groups.join(", ")
                };
                let column = format!("{}.{}", p.table, p.column);
                s.push_str(&format!(
                    "  {column:<40} {:<14} clear for: {who}\n",
                    p.method
                ));
            }
        }
        s.push_str(&format!("\nQuality expectations: {}\n", self.expectations));
        s.push_str(&format!(
            "\nConsumers granted SELECT ({}):\n",
            self.consumers.len()
        ));
        for c in &self.consumers {
            match &c.grantee {
                Some(g) if *g != c.principal => s.push_str(&format!(
                    "  {} ({}, granted as {g})\n",
                    c.principal, c.principal_type
                )),
                Some(_) => s.push_str(&format!("  {} ({})\n", c.principal, c.principal_type)),
                None => s.push_str(&format!(
                    "  {} ({}): not granted until governance.yaml gives its application_id\n",
                    c.principal, c.principal_type
                )),
            }
        }
        for n in &self.notes {
            s.push_str(&format!("\nnote: {n}\n"));
        }
        if !self.dry_run {
            s.push_str(&format!(
                "\nNext: review {}/contract.yaml, then deploy with `databricks bundle deploy` there (the runbook in docs/README.md says how).\n",
                self.path
            ));
        }
        s
    }

    pub(crate) fn print_text(&self) {
        print_out(&crate::lang::printable::printable(&self.text()));
    }

    pub(crate) fn print_json(&self) {
        let json = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
        print_out(&crate::lang::printable::json(&(json + "\n")));
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|()| out.flush());
}
