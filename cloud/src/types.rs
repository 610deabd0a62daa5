//! Dates as Genesys sends them: kept as the exact text (so a value re-encodes byte for byte,
//! whatever precision or offset the server used), parsed on demand.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{OffsetDateTime, error::Parse};

/// An ISO 8601 date-time as Genesys sends it (`2026-12-03T15:29:12.123Z`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DateTime(pub String);

impl DateTime {
    /// The date-time, parsed (RFC 3339, or any ISO 8601 form with an offset).
    ///
    /// # Errors
    ///
    /// When the text is not such a date-time.
    pub fn parse(&self) -> Result<OffsetDateTime, Parse> {
        OffsetDateTime::parse(&self.0, &Rfc3339)
            .or_else(|_| OffsetDateTime::parse(&self.0, &Iso8601::DEFAULT))
    }
}

impl From<OffsetDateTime> for DateTime {
    /// The RFC 3339 text of `value`.
    fn from(value: OffsetDateTime) -> Self {
        DateTime(value.format(&Rfc3339).unwrap_or_default())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 8601 date as Genesys sends it (`2026-12-03`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Date(pub String);

impl Date {
    /// The date, parsed.
    ///
    /// # Errors
    ///
    /// When the text is not an ISO 8601 calendar date.
    pub fn parse(&self) -> Result<time::Date, Parse> {
        time::Date::parse(&self.0, &Iso8601::DATE)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
