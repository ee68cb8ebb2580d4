//! The shell's error, shaped for the UI as `{ code, message, field, from, to }`.

use kontor_core::{ErrorCode, Stage};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a failed command sends to the UI. `code` is stable and translated there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    /// Stable error code.
    pub code: ErrorCode,
    /// English text, for logs and as a fallback.
    pub message: String,
    /// The input field the error is about.
    pub field: Option<String>,
    /// For lifecycle errors: the current stage.
    pub from: Option<Stage>,
    /// For lifecycle errors: the requested stage.
    pub to: Option<Stage>,
}

impl From<&kontor_core::Error> for ErrorPayload {
    fn from(e: &kontor_core::Error) -> Self {
        let (from, to) = e.stages();
        ErrorPayload { code: e.code(), message: e.to_string(), field: e.field().map(Into::into), from, to }
    }
}

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A refusal or failure of the core.
    #[error(transparent)]
    Core(#[from] kontor_core::Error),
    /// The store could not be opened at start.
    #[error("{}", .0.message)]
    StoreUnavailable(ErrorPayload),
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Error::Core(e) => ErrorPayload::from(e).serialize(serializer),
            Error::StoreUnavailable(payload) => payload.serialize(serializer),
        }
    }
}

/// The shell's result type.
pub type Result<T> = std::result::Result<T, Error>;
