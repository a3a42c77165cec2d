//! Every error a user can meet, and the one place that maps them to exit codes:
//! 0 success, 1 the checked thing fails, 2 usage or input error.

use crate::diagnostic::Diagnostic;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DpcError {
    #[error("{0}")]
    Input(#[from] crate::input::answers::InputError),
    #[error("{} already exists; use --force to replace it, or `dpc generate {}` to refresh its derived files", path.display(), path.display())]
    Exists { path: PathBuf },
    #[error("{0}")]
    Spec(#[from] crate::spec::SpecError),
    #[error("the generated product failed {} check(s); nothing was written:\n{}", .0.len(), crate::diagnostic::render_text(.0))]
    Check(Vec<Diagnostic>),
    #[error("{0}")]
    Render(#[from] crate::render::RenderError),
    #[error("{0}")]
    Write(#[from] crate::write::WriteError),
    #[error("{0}")]
    Environment(String),
    /// The checked thing fails (diagnostics were printed already); the message sums it up.
    #[error("{0}")]
    Failed(String),
    /// A path or argument that cannot be used.
    #[error("{0}")]
    Usage(String),
    /// Data could not be sampled or read (bad flags, files, or a contract dpc cannot satisfy).
    #[error("{0}")]
    Data(#[from] crate::data::DataError),
    /// `dpc test`: the data does not meet its contract (the report was printed already).
    #[error("{0}")]
    DataFails(String),
    /// `--schema-from` (or the questionnaire's import) could not read the file.
    #[error("{0}")]
    Import(#[from] crate::input::schema_import::ImportError),
    /// `--answers`: a file that cannot be read or holds answers dpc refuses.
    #[error("{0}")]
    AnswersFile(#[from] crate::input::answers_file::AnswersFileError),
    /// Ctrl-C or end of input during the questionnaire; nothing was written.
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// `dpc consumers`: a change the policy refuses, or an argument that cannot be used.
    #[error("{0}")]
    Consumers(#[from] crate::consumers::ConsumerError),
    /// `dpc import odcs`: a document that is not ODCS 3.x, or answers dpc refuses.
    #[error("{0}")]
    Odcs(#[from] crate::interop::odcs::OdcsError),
    /// Another dpc command is writing the product (or its lock cannot be taken).
    #[error("{0}")]
    Lock(#[from] crate::write::lock::LockError),
}

impl DpcError {
    pub fn exit_code(&self) -> i32 {
        match self {
            DpcError::Input(_) | DpcError::Exists { .. } | DpcError::Spec(_) => 2,
            DpcError::Environment(_) => 2,
            DpcError::Check(_) | DpcError::Render(_) | DpcError::Write(_) => 1,
            DpcError::Failed(_) => 1,
            DpcError::Usage(_) => 2,
            // Output that cannot be written (a full disk, a read-only folder) is 1, as for
            // every command; 2 stays for bad flags and input.
            DpcError::Data(crate::data::DataError::Write { .. }) => 1,
            DpcError::Data(_) => 2,
            DpcError::DataFails(_) => 1,
            DpcError::Import(_) => 2,
            DpcError::AnswersFile(_) => 2,
            // The shell's code for a process ended by SIGINT.
            DpcError::Interrupted => 130,
            DpcError::Consumers(
                crate::consumers::ConsumerError::Argument { .. }
                | crate::consumers::ConsumerError::Spec(_),
            ) => 2,
            DpcError::Consumers(_) => 1,
            DpcError::Odcs(_) => 2,
            DpcError::Lock(_) => 1,
        }
    }
}

impl From<crate::input::questionnaire::prompter::Interrupted> for DpcError {
    fn from(_: crate::input::questionnaire::prompter::Interrupted) -> Self {
        DpcError::Interrupted
    }
}
