//! `dpc create` on a terminal: the discovery questionnaire and the review step. It only
//! fills the same answers the flags fill ([`crate::input::answers_file::AnswersFile`]); the
//! prompts sit behind [`Prompter`] so tests can drive them.

pub mod prompter;
pub mod questions;
pub mod review;
mod tables;
pub mod terminal;

pub use prompter::{Interrupted, Prompter};
pub use questions::ask;
pub use review::{Decision, review};

use std::io::IsTerminal;

/// True when dpc may ask: not `--no-input`, and a terminal on stdin.
pub fn may_prompt(no_input: bool) -> bool {
    !no_input && std::io::stdin().is_terminal()
}
