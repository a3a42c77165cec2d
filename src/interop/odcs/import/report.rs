//! What an import could not carry over ([`Loss`]) and the reader that collects it.

use crate::interop::odcs::any::Any;
use crate::interop::odcs::prop;
use crate::interop::odcs::types::*;
use indexmap::IndexMap;
use serde::Serialize;

/// Something the document says that the product does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Loss {
    /// Where in the document (`schema[tbl].properties[rcvr_id]`).
    pub at: String,
    /// What was not carried over, and why.
    pub what: String,
}

/// Losses grouped by what was lost, in first-seen order, so a key repeated on every column
/// reads as one line: (what, where, and how many more places).
pub(crate) fn grouped(losses: &[Loss]) -> Vec<(String, String)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for loss in losses {
        match groups.iter_mut().find(|(what, _)| *what == loss.what) {
            Some((_, at)) => at.push(&loss.at),
            None => groups.push((&loss.what, vec![&loss.at])),
        }
    }
    groups
        .into_iter()
        .map(|(what, at)| {
            let mut shown: Vec<&str> = Vec::new();
            for a in &at {
                if !shown.contains(a) && shown.len() < 3 {
                    shown.push(a);
                }
            }
            let rest = at.len() - at.iter().filter(|a| shown.contains(a)).count();
            let more = if rest > 0 {
                format!(" and {rest} more")
            } else {
                String::new()
            };
            (what.to_string(), format!("{}{more}", shown.join(", ")))
        })
        .collect()
}

/// Collects losses and notes while reading.
#[derive(Default)]
pub(super) struct Reader {
    pub(super) losses: Vec<Loss>,
    pub(super) notes: Vec<String>,
}

impl Reader {
    pub(super) fn lose(&mut self, at: impl Into<String>, what: impl Into<String>) {
        self.losses.push(Loss {
            at: at.into(),
            what: what.into(),
        });
    }

    /// Keys dpc has no field for, unless they say nothing.
    pub(super) fn others(&mut self, at: &str, other: &Other) {
        for (key, value) in other {
            if !value.is_blank() {
                self.lose(at, format!("{key}: dpc has no field for it"));
            }
        }
    }

    /// The `dpc.` custom properties (spec keys in snake case, or the named ones as written);
    /// any other custom property is a loss.
    pub(super) fn custom(&mut self, at: &str, props: &[CustomProperty]) -> IndexMap<String, Any> {
        let mut out = IndexMap::new();
        for p in props {
            match p.property.strip_prefix(prop::PREFIX) {
                Some(_) => {
                    out.insert(p.property.clone(), p.value.clone());
                }
                None => self.lose(
                    at,
                    format!("customProperty {}: dpc has no field for it", p.property),
                ),
            }
        }
        out
    }
}
