//! The review step: the product as it would be written, then write, write and save the
//! answers, or write nothing.

use super::prompter::{Interrupted, Prompter};
use super::questions::text;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    Write,
    /// Write, and save the answers to this file for `--answers`.
    WriteAndSave(PathBuf),
    Cancel,
}

pub(crate) fn review(p: &mut dyn Prompter, summary: &str) -> Result<Decision, Interrupted> {
    p.say(&format!("\nReview:\n{summary}"));
    let items = vec![
        "Yes, write it".to_string(),
        "Yes, and save my answers to a file (replay with --answers)".to_string(),
        "No, write nothing".to_string(),
    ];
    match p.select("Create this data product?", &items, 0)? {
        0 => Ok(Decision::Write),
        1 => loop {
            let path = text(p, "Save the answers to", Some("answers.yaml"), |s| {
                if s.is_empty() {
                    Err("a file name is needed".into())
                } else {
                    Ok(())
                }
            })?;
            let path = PathBuf::from(path);
            if !path.exists()
                || p.confirm(&format!("{} exists; replace it?", path.display()), false)?
            {
                return Ok(Decision::WriteAndSave(path));
            }
        },
        _ => Ok(Decision::Cancel),
    }
}
