//! `dpc create` on a terminal: the discovery questionnaire and the review step. It only
//! fills the same answers the flags fill ([`crate::input::answers_file::AnswersFile`]); the
//! prompts sit behind [`Prompter`] so tests can drive them.

pub(crate) mod prompter;
pub(crate) mod questions;
pub(crate) mod review;
mod tables;
pub(crate) mod terminal;

pub(crate) use prompter::Prompter;
pub(crate) use questions::ask;
pub(crate) use review::{Decision, review};

use std::io::IsTerminal;

/// True when dpc may ask: not `--no-input`, and a terminal on stdin.
pub(crate) fn may_prompt(no_input: bool) -> bool {
    !no_input && std::io::stdin().is_terminal()
}
