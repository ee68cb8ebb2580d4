//! The core's one error type. Every variant has a stable snake_case [`Error::code`]
//! that the UI translates and the CLI prints; the `Display` text is English.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::stage::{Stage, UnknownStage};

/// Stable codes of everything that can fail, for translation and scripting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// See [`Error::NotFound`].
    NotFound,
    /// See [`Error::InvalidTransition`].
    InvalidTransition,
    /// See [`Error::SameStage`].
    SameStage,
    /// See [`Error::ReasonRequired`].
    ReasonRequired,
    /// See [`Error::NameRequired`].
    NameRequired,
    /// See [`Error::InvalidEmail`].
    InvalidEmail,
    /// See [`Error::InvalidPhone`].
    InvalidPhone,
    /// See [`Error::InvalidWebsite`].
    InvalidWebsite,
    /// See [`Error::InvalidPostcode`].
    InvalidPostcode,
    /// See [`Error::InvalidInput`].
    InvalidInput,
    /// See [`Error::StoreLocked`].
    StoreLocked,
    /// See [`Error::StoreCorrupt`].
    StoreCorrupt,
    /// See [`Error::StoreNewer`].
    StoreNewer,
    /// See [`Error::Storage`].
    Storage,
    /// See [`Error::NoProposal`].
    NoProposal,
    /// See [`Error::InvalidSettings`].
    InvalidSettings,
    /// See [`Error::Import`].
    UnreadableFile,
    /// See [`Error::Backup`].
    InvalidBackup,
    /// See [`Error::StoreNotEmpty`].
    StoreNotEmpty,
    /// See [`Error::Io`].
    Io,
    /// See [`Error::CompanyIncomplete`].
    CompanyIncomplete,
    /// See [`Error::Geocoding`].
    Geocoding,
    /// See [`Error::Update`].
    Update,
    /// See [`Error::UpdateRefused`].
    UpdateRefused,
    /// See [`Error::SyncOffline`].
    SyncOffline,
    /// See [`Error::SyncRefused`].
    SyncRefused,
    /// See [`Error::SyncSchemaNewer`].
    SyncSchemaNewer,
    /// See [`Error::SyncNotSetUp`].
    SyncNotSetUp,
    /// A failure outside the core (window, runtime); never expected.
    Internal,
}

impl ErrorCode {
    /// Every code, as the UI knows them.
    pub const ALL: [ErrorCode; 29] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidTransition,
        ErrorCode::SameStage,
        ErrorCode::ReasonRequired,
        ErrorCode::NameRequired,
        ErrorCode::InvalidEmail,
        ErrorCode::InvalidPhone,
        ErrorCode::InvalidWebsite,
        ErrorCode::InvalidPostcode,
        ErrorCode::InvalidInput,
        ErrorCode::StoreLocked,
        ErrorCode::StoreCorrupt,
        ErrorCode::StoreNewer,
        ErrorCode::Storage,
        ErrorCode::NoProposal,
        ErrorCode::InvalidSettings,
        ErrorCode::UnreadableFile,
        ErrorCode::InvalidBackup,
        ErrorCode::CompanyIncomplete,
        ErrorCode::StoreNotEmpty,
        ErrorCode::Io,
        ErrorCode::Geocoding,
        ErrorCode::Update,
        ErrorCode::UpdateRefused,
        ErrorCode::SyncOffline,
        ErrorCode::SyncRefused,
        ErrorCode::SyncSchemaNewer,
        ErrorCode::SyncNotSetUp,
        ErrorCode::Internal,
    ];

    /// The snake_case key.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::SameStage => "same_stage",
            ErrorCode::ReasonRequired => "reason_required",
            ErrorCode::NameRequired => "name_required",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::InvalidWebsite => "invalid_website",
            ErrorCode::InvalidPostcode => "invalid_postcode",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::StoreLocked => "store_locked",
            ErrorCode::StoreCorrupt => "store_corrupt",
            ErrorCode::StoreNewer => "store_newer",
            ErrorCode::Storage => "storage",
            ErrorCode::NoProposal => "no_proposal",
            ErrorCode::InvalidSettings => "invalid_settings",
            ErrorCode::UnreadableFile => "unreadable_file",
            ErrorCode::InvalidBackup => "invalid_backup",
            ErrorCode::StoreNotEmpty => "store_not_empty",
            ErrorCode::Io => "io",
            ErrorCode::CompanyIncomplete => "company_incomplete",
            ErrorCode::Geocoding => "geocoding",
            ErrorCode::Update => "update",
            ErrorCode::UpdateRefused => "update_refused",
            ErrorCode::SyncOffline => "sync_offline",
            ErrorCode::SyncRefused => "sync_refused",
            ErrorCode::SyncSchemaNewer => "sync_schema_newer",
            ErrorCode::SyncNotSetUp => "sync_not_set_up",
            ErrorCode::Internal => "internal",
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No record with this id.
    #[error("no {kind} with id {id}")]
    NotFound {
        /// Record kind ("contact", "organization").
        kind: &'static str,
        /// The id that was asked for.
        id: String,
    },
    /// The lifecycle does not allow this move without an explicit correction.
    #[error("moving from {from} to {to} is not allowed; skipping or going back needs a forced change with a reason")]
    InvalidTransition {
        /// Current stage.
        from: Stage,
        /// Requested stage.
        to: Stage,
    },
    /// The contact already is in the requested stage.
    #[error("the contact already is in stage {0}")]
    SameStage(Stage),
    /// This stage change needs a reason.
    #[error("moving from {from} to {to} needs a reason")]
    ReasonRequired {
        /// Current stage.
        from: Stage,
        /// Requested stage.
        to: Stage,
    },
    /// Moving a deal to the lost stage needs a reason (code `reason_required`).
    #[error("moving the deal to {stage} needs a reason")]
    DealReasonRequired {
        /// The deal stage key.
        stage: String,
    },
    /// A contact needs a first or last name.
    #[error("a contact needs a name")]
    NameRequired,
    /// An email address that does not look like one.
    #[error("not a valid email address: {0}")]
    InvalidEmail(String),
    /// A phone number that does not look like one.
    #[error("not a valid phone number: {0}")]
    InvalidPhone(String),
    /// A website that is no web address.
    #[error("not a web address: {0}")]
    InvalidWebsite(String),
    /// A postcode that does not fit its country's form.
    #[error("not a postcode of {country}: {value} ({digits} digits expected)")]
    InvalidPostcode {
        /// The postcode as written.
        value: String,
        /// The country it was checked for (ISO code).
        country: &'static str,
        /// How many digits a postcode there has.
        digits: usize,
    },
    /// Other invalid input, with the field it concerns.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The field (snake_case, as in the JSON).
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Another process (the desktop app or another CLI run) holds the store.
    #[error("the data directory {0} is in use by another Kontor process (is the desktop app running?); close it and try again")]
    StoreLocked(PathBuf),
    /// The store on disk cannot be read.
    #[error("the store{} cannot be read ({reason}); restore it from a backup", in_dir(path))]
    StoreCorrupt {
        /// The data directory.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// The store was written by a newer Kontor.
    #[error(
        "the store has schema version {found}, this Kontor understands up to {supported}; update Kontor"
    )]
    StoreNewer {
        /// Version on disk.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// An I/O or database failure.
    #[error("storage error: {0}")]
    Storage(String),
    /// The file cannot be imported at all.
    #[error("cannot import this file: {0}")]
    Import(String),
    /// The backup cannot be restored.
    #[error("not a usable Kontor backup: {0}")]
    Backup(String),
    /// Restore refused: the store already holds data.
    #[error("the data directory already holds data ({contacts} contacts); restore into an empty one or use --force to replace it")]
    StoreNotEmpty {
        /// Contacts present.
        contacts: usize,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Accepting a proposal when the rules propose nothing.
    #[error("no qualification proposal for this contact")]
    NoProposal,
    /// A quote needs the company's name, address, VAT id and IBAN; these
    /// (keys of the company profile) are missing.
    #[error("a quote needs your company's {} (Settings → Company)", .0.join(", "))]
    CompanyIncomplete(Vec<&'static str>),
    /// The geocoding server could not be asked (offline, a timeout, a refusal).
    #[error("the address could not be looked up: {0}")]
    Geocoding(String),
    /// The update server could not be asked, or an update did not verify or
    /// install (nothing was changed then).
    #[error("the update could not be checked or installed: {0}")]
    Update(String),
    /// An update whose signature is not made with Kontor's release key (or
    /// is missing or unreadable): refused before anything is installed.
    #[error("the update was refused, its signature is not Kontor's: {0}")]
    UpdateRefused(String),
    /// The team server could not be reached, or the connection broke before
    /// it answered: nothing is lost, the changes wait and go at the next sync.
    #[error(
        "the team server could not be reached ({0}); the changes wait here and are sent at the next sync"
    )]
    SyncOffline(String),
    /// The team server refused: a wrong password, a user without the
    /// right, a write under another rep's replica.
    #[error("the team server refused: {0}")]
    SyncRefused(String),
    /// The team server's schema is newer than this Kontor knows.
    #[error(
        "the team server's schema is version {found}, this Kontor knows up to {supported}; update Kontor"
    )]
    SyncSchemaNewer {
        /// The server's version.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// Sync was asked for before a server was set up.
    #[error("team sync is not set up; run `kontor sync setup --url postgres://USER@HOST:PORT/DB` or use Settings → Team")]
    SyncNotSetUp,
    /// A setting out of range.
    #[error("invalid setting {field}: {reason}")]
    InvalidSettings {
        /// The setting.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::Io { path: path.to_owned(), reason: e.to_string() }
    }

    /// Stable code for translation and scripting.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::SameStage(_) => ErrorCode::SameStage,
            Error::ReasonRequired { .. } | Error::DealReasonRequired { .. } => ErrorCode::ReasonRequired,
            Error::NameRequired => ErrorCode::NameRequired,
            Error::InvalidEmail(_) => ErrorCode::InvalidEmail,
            Error::InvalidPhone(_) => ErrorCode::InvalidPhone,
            Error::InvalidWebsite(_) => ErrorCode::InvalidWebsite,
            Error::InvalidPostcode { .. } => ErrorCode::InvalidPostcode,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::StoreLocked(_) => ErrorCode::StoreLocked,
            Error::StoreCorrupt { .. } => ErrorCode::StoreCorrupt,
            Error::StoreNewer { .. } => ErrorCode::StoreNewer,
            Error::Storage(_) => ErrorCode::Storage,
            Error::NoProposal => ErrorCode::NoProposal,
            Error::InvalidSettings { .. } => ErrorCode::InvalidSettings,
            Error::Import(_) => ErrorCode::UnreadableFile,
            Error::Backup(_) => ErrorCode::InvalidBackup,
            Error::StoreNotEmpty { .. } => ErrorCode::StoreNotEmpty,
            Error::Io { .. } => ErrorCode::Io,
            Error::CompanyIncomplete(_) => ErrorCode::CompanyIncomplete,
            Error::Geocoding(_) => ErrorCode::Geocoding,
            Error::Update(_) => ErrorCode::Update,
            Error::UpdateRefused(_) => ErrorCode::UpdateRefused,
            Error::SyncOffline(_) => ErrorCode::SyncOffline,
            Error::SyncRefused(_) => ErrorCode::SyncRefused,
            Error::SyncSchemaNewer { .. } => ErrorCode::SyncSchemaNewer,
            Error::SyncNotSetUp => ErrorCode::SyncNotSetUp,
        }
    }

    /// The input field an error is about, if any (for inline form messages).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::NameRequired => Some("first_name"),
            Error::InvalidEmail(_) => Some("emails"),
            Error::InvalidPhone(_) => Some("phones"),
            Error::InvalidWebsite(_) => Some("website"),
            Error::InvalidPostcode { .. } => Some("address.postcode"),
            Error::InvalidInput { field, .. } => Some(field),
            Error::ReasonRequired { .. } | Error::DealReasonRequired { .. } => Some("reason"),
            Error::InvalidSettings { field, .. } => Some(field),
            Error::CompanyIncomplete(missing) => missing.first().map(|k| match *k {
                "name" => "company.name",
                "address" => "company.address",
                "vat_id" => "company.vat_id",
                _ => "company.iban",
            }),
            _ => None,
        }
    }

    /// The entry at fault in a list field (the email or phone number as written).
    pub fn entry(&self) -> Option<&str> {
        match self {
            Error::InvalidEmail(raw) | Error::InvalidPhone(raw) => Some(raw),
            _ => None,
        }
    }

    /// The stages a lifecycle error is about, if any.
    pub fn stages(&self) -> (Option<Stage>, Option<Stage>) {
        match self {
            Error::InvalidTransition { from, to } | Error::ReasonRequired { from, to } => {
                (Some(*from), Some(*to))
            }
            Error::SameStage(s) => (Some(*s), Some(*s)),
            _ => (None, None),
        }
    }
}

/// " in DIR", or nothing where the directory is not known.
fn in_dir(path: &std::path::Path) -> String {
    if path.as_os_str().is_empty() {
        String::new()
    } else {
        format!(" in {}", path.display())
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        match e {
            // Damage found while reading: the same answer as at open.
            sled::Error::Corruption { .. } => {
                Error::StoreCorrupt { path: PathBuf::new(), reason: format!("its files are damaged: {e}") }
            }
            // io::Error's own sentence ("No space left on device"), not sled's Debug form.
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                Error::Storage("the disk is full".into())
            }
            sled::Error::Io(io) => Error::Storage(format!("the disk refused a write ({:?})", io.kind())),
            other => Error::Storage(other.to_string()),
        }
    }
}

impl From<sled::transaction::TransactionError<Error>> for Error {
    fn from(e: sled::transaction::TransactionError<Error>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(e) => e,
            sled::transaction::TransactionError::Storage(e) => e.into(),
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<UnknownStage> for Error {
    fn from(e: UnknownStage) -> Self {
        Error::InvalidInput { field: "stage", reason: e.to_string() }
    }
}
