//! Every error a user can meet, and the one place that maps them to exit codes:
//! 0 success, 1 the checked thing fails (or its result cannot be written), 2 usage or input
//! error, 130 interrupted. Each variant names one situation; the table in
//! [`DpcError::exit_code`] decides its code, never the place that raises it.

use crate::diagnostic::Diagnostic;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub(crate) enum DpcError {
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
    /// The clock cannot be read, or `SOURCE_DATE_EPOCH` is not a date.
    #[error("{0}")]
    Clock(String),
    /// A folder given as a product holds no `product.yaml`.
    #[error("{}: not a data product (no {}); create one with `dpc create`", dir.display(), crate::spec::PRODUCT_FILE)]
    NotAProduct { dir: PathBuf },
    /// `dpc validate`: no product in or under the folder given.
    #[error("{}: no data product here (a folder holding {})", dir.display(), crate::spec::PRODUCT_FILE)]
    NoProducts { dir: PathBuf },
    /// A file or folder the command needs cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    CannotRead {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The spec files cannot be parsed (their diagnostics were printed already).
    #[error("the spec of {} cannot be read", dir.display())]
    SpecUnreadable { dir: PathBuf },
    /// The folder's `dpc.yaml` is what stops the spec (printed already): an input error.
    #[error("the platform settings of {} (its folder's dpc.yaml) cannot be used; nothing was done", dir.display())]
    SettingsBroken { dir: PathBuf },
    /// The spec fails its own checks (printed already), so the command did nothing.
    #[error("the spec of {} has errors (`dpc validate {}` lists them); nothing was done", dir.display(), dir.display())]
    SpecHasErrors { dir: PathBuf },
    /// `dpc validate` found errors (printed already); the summary counts them.
    #[error("{summary}")]
    Invalid { summary: String },
    /// `dpc access`: the access model breaks the sensitivity's policy.
    #[error("{}: {errors} access policy error(s)", dir.display())]
    AccessPolicy { dir: PathBuf, errors: usize },
    /// `dpc consumers audit`: grants that break the policy.
    #[error("{}: {count} grant problem(s) found", dir.display())]
    GrantProblems { dir: PathBuf, count: usize },
    /// `dpc generate --check`: derived files differ from what the spec renders.
    #[error("{count} derived file(s) of {} are out of date; run `dpc generate {}`", dir.display(), dir.display())]
    OutOfDate { dir: PathBuf, count: usize },
    /// `dpc generate`: hand-edited files were kept instead of regenerated.
    #[error("{count} file(s) were edited by hand and kept; review them, or overwrite with `dpc generate --force {}`", dir.display())]
    HandEditsKept { dir: PathBuf, count: usize },
    /// `dpc diff`: the change is not acceptable for its version bump or notice.
    #[error("contract {old} → {new} is not acceptable: {reason}")]
    NotAcceptable {
        old: String,
        new: String,
        reason: String,
    },
    /// `dpc diff`: arguments or a git revision that cannot be used.
    #[error("{0}")]
    DiffUsage(#[from] crate::diff::DiffUsage),
    /// `dpc bundle validate`: the product has no bundle.
    #[error("{}: no {} here; `dpc generate {}` writes it from the spec", dir.display(), crate::check::bundle::BUNDLE_FILE, dir.display())]
    NoBundle { dir: PathBuf },
    /// `dpc bundle validate`: the Databricks CLI is not on PATH.
    #[error(
        "the Databricks CLI (`databricks`) is not on PATH; install the Databricks CLI (0.287 or later): `brew tap databricks/tap && brew install databricks`, \
`winget install Databricks.DatabricksCLI`, or `curl -fsSL https://raw.githubusercontent.com/databricks/setup-cli/main/install.sh | sh`; \
then `databricks auth login --host <workspace-url>`"
    )]
    NoDatabricksCli,
    /// `dpc bundle validate --var`: not NAME=VALUE.
    #[error("--var {0:?} is not NAME=VALUE")]
    BadVar(String),
    /// A program dpc runs (the Databricks CLI, git) cannot be started.
    #[error("could not run {}: {source}", program.display())]
    CannotRun {
        program: PathBuf,
        source: std::io::Error,
    },
    /// `dpc bundle validate`: the Databricks CLI reports errors in the bundle.
    #[error("`databricks bundle validate` reported errors in {} (exit status {code})", dir.display())]
    BundleRefused { dir: PathBuf, code: i32 },
    /// `dpc catalog`: `--out` cannot be replaced, or the site cannot be written.
    #[error("{0}")]
    Catalog(#[from] crate::catalog::site::SiteError),
    /// `dpc catalog`: `--out` holds the products, which replacing the site would delete.
    #[error("--out {} holds {}, the products; the site replaces its folder whole, so write it elsewhere", out.display(), dir.display())]
    OutHoldsProducts { out: PathBuf, dir: PathBuf },
    /// `dpc catalog`: products whose spec is broken were reported and left out.
    #[error("{left_out} product(s) left out of the catalog (reported above); the other {written} are in {}", out.display())]
    ProductsLeftOut {
        left_out: usize,
        written: usize,
        out: PathBuf,
    },
    /// `dpc catalog`: no product could be shown; the previous site is kept.
    #[error("none of the {left_out} product(s) could be shown (reported above), so nothing was written and {} was left as it was", out.display())]
    NoProductShown { left_out: usize, out: PathBuf },
    /// `dpc sample`: `sample_data/` is a symbolic link, which dpc never writes through.
    #[error("{} is a symbolic link; dpc writes only inside the product, so nothing was written: replace it with a folder, or give --out", path.display())]
    SampleFolderIsLink { path: PathBuf },
    /// Data could not be sampled or read (bad flags, files, or a contract dpc cannot satisfy).
    #[error("{0}")]
    Data(#[from] crate::data::DataError),
    /// `dpc test --spark`: no Python or pyspark, no run_checks.py, or the Spark run failed;
    /// nothing was judged.
    #[error("{0}")]
    Spark(#[from] crate::data::spark::SparkError),
    /// `dpc test`: the data does not meet its contract (the report was printed already).
    #[error(
        "the data does not meet the contract of {product}: {problems} problem(s), listed above"
    )]
    DataFails { product: String, problems: usize },
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
    /// `dpc.yaml` beside the products cannot be read or holds a value dpc refuses.
    #[error("the platform settings cannot be used:\n{}", crate::diagnostic::render_text(.0))]
    Settings(Vec<Diagnostic>),
    /// `dpc init`: the settings file exists already.
    #[error("{} already exists; edit it, or delete it and run `dpc init` again", path.display())]
    SettingsExist { path: PathBuf },
    /// `dpc init`: DIR exists and is not a folder.
    #[error("{}: not a folder; dpc init writes dpc.yaml into the folder that holds (or will hold) the products", dir.display())]
    InitDirNotAFolder { dir: PathBuf },
    /// `dpc export dqx`: `--out` exists and is not a folder.
    #[error("--out {}: not a folder; dpc export dqx writes one <table>.yaml per table into a folder", out.display())]
    OutNotAFolder { out: PathBuf },
    /// Another dpc command is writing the product (or its lock cannot be taken).
    #[error("{0}")]
    Lock(#[from] crate::write::lock::LockError),
}

impl DpcError {
    pub(crate) fn exit_code(&self) -> i32 {
        use crate::consumers::ConsumerError;
        use crate::data::DataError;
        use crate::write::WriteError;
        match self {
            // 2: the flags, arguments or input files cannot be used; nothing was done.
            DpcError::Input(_)
            | DpcError::Exists { .. }
            | DpcError::Spec(_)
            | DpcError::Clock(_)
            | DpcError::NotAProduct { .. }
            | DpcError::NoProducts { .. }
            | DpcError::CannotRead { .. }
            | DpcError::DiffUsage(_)
            | DpcError::SampleFolderIsLink { .. }
            | DpcError::Import(_)
            | DpcError::AnswersFile(_)
            | DpcError::Odcs(_)
            | DpcError::Settings(_)
            | DpcError::SettingsBroken { .. }
            | DpcError::SettingsExist { .. }
            | DpcError::Write(WriteError::NotProduct { .. })
            | DpcError::Consumers(ConsumerError::Argument { .. } | ConsumerError::Spec(_)) => 2,
            DpcError::Catalog(crate::catalog::site::SiteError::NotACatalog { .. })
            | DpcError::OutHoldsProducts { .. }
            | DpcError::OutNotAFolder { .. }
            | DpcError::InitDirNotAFolder { .. } => 2,
            DpcError::NoBundle { .. }
            | DpcError::NoDatabricksCli
            | DpcError::BadVar(_)
            | DpcError::CannotRun { .. } => 2,
            // Output that cannot be written (a full disk, a read-only folder) is 1, as for
            // every command; 2 stays for bad flags and input.
            DpcError::Data(DataError::Write { .. }) => 1,
            DpcError::Data(_) => 2,
            // Not 1: a Spark run that could not start or crashed judged no data, and 1 must
            // keep meaning "the data fails its contract".
            DpcError::Spark(_) => 2,
            // 1: what the command checks fails, or its result cannot be written.
            DpcError::Check(_)
            | DpcError::Render(_)
            | DpcError::Write(_)
            | DpcError::SpecUnreadable { .. }
            | DpcError::SpecHasErrors { .. }
            | DpcError::Invalid { .. }
            | DpcError::AccessPolicy { .. }
            | DpcError::GrantProblems { .. }
            | DpcError::OutOfDate { .. }
            | DpcError::HandEditsKept { .. }
            | DpcError::NotAcceptable { .. }
            | DpcError::BundleRefused { .. }
            | DpcError::Catalog(_)
            | DpcError::ProductsLeftOut { .. }
            | DpcError::NoProductShown { .. }
            | DpcError::DataFails { .. }
            | DpcError::Consumers(_)
            | DpcError::Lock(_) => 1,
            // The shell's code for a process ended by SIGINT.
            DpcError::Interrupted => 130,
        }
    }
}

impl From<crate::input::questionnaire::prompter::Interrupted> for DpcError {
    fn from(_: crate::input::questionnaire::prompter::Interrupted) -> Self {
        DpcError::Interrupted
    }
}
