//! Identifiers, dates and amounts in Russian, Ukrainian and English running text: found, validated and normalised.
//!
//! [`find`] reads a text once and returns non-overlapping [`Match`]es in text order: tax and registration numbers
//! with their check digits (INN, OGRN, OGRNIP, KPP, SNILS, EDRPOU, RNOKPP, IBAN, card numbers, Russian bank
//! accounts and BIKs), phones in E.164, e-mail addresses, URLs, document numbers, vehicle plates, passport numbers,
//! dates (ISO 8601), date ranges and week numbers, amounts with their currency and multiplier, percentages and counts.
//! The typed parsers ([`parse_number`], [`parse_amount`], [`parse_date`]) read one value from a whole string.
//!
//! Two rules run through it. A number is called an identifier only when its form or its label says so: "ИНН
//! 7707083894" is an INN whose check digit is wrong ([`Checksum::Invalid`]), while a bare ten-digit number is not
//! called anything. And nothing is guessed: a value whose reading is open (`1,234`; `03/04/2023`) is kept as text.
//!
//! The crate knows text only: no storage, no documents, no other dossier crate.

mod amount;
pub mod checksum;
mod contact;
mod date;
mod document;
mod identifier;
mod number;
mod scan;
mod text;
mod vocab;

pub use amount::{Amount, parse_amount};
pub use date::{Date, Weekday, parse_date};
pub use number::{Number, parse_number};
pub use scan::find;

use serde::Serialize;

/// The version of the rules: bump it whenever the same text would give other matches, so that stored results made by
/// older rules can be found and recomputed.
pub const VERSION: u32 = 1;

/// What a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Russian taxpayer number, 10 digits (organisation) or 12 (person).
    Inn,
    /// Russian primary state registration number of an organisation, 13 digits.
    Ogrn,
    /// The same for an individual entrepreneur, 15 digits.
    Ogrnip,
    /// Russian tax registration reason code, 9 characters (no check digit: `checksum` reports the form).
    Kpp,
    /// Russian individual insurance account number, 11 digits.
    Snils,
    /// Ukrainian organisation code, 8 digits.
    Edrpou,
    /// Ukrainian individual taxpayer number, 10 digits.
    Rnokpp,
    /// International bank account number (ISO 13616).
    Iban,
    /// Payment card number (Luhn).
    Card,
    /// Russian 20-digit bank account, checked against the bank's BIK when the text gives one.
    BankAccount,
    /// Russian bank identification code, 9 digits (no check digit: `checksum` reports the form).
    Bik,
    /// Telephone number; `value` is E.164.
    Phone,
    Email,
    Url,
    /// A document's registration number (`№ 14-07/2298`); `value` is the number without the sign.
    DocumentNumber,
    /// Russian or Ukrainian vehicle registration plate; `value` in Cyrillic capitals without spaces.
    VehiclePlate,
    /// Passport or identity card number (only where a word such as "паспорт" or "серия" says so).
    Passport,
    /// A calendar date, to the day or the month; `value` is ISO 8601 (`2023-03-12`, `2023-03`, `--03-12`).
    Date,
    /// Two dates; `value` is an ISO 8601 interval (`2023-09-25/2023-10-01`).
    DateRange,
    /// A week number (`40-я неделя`); `value` is `2023-W40`, or `W40` without a year.
    Week,
    /// A sum of money; `value` is the exact amount and the currency code (`1500000 RUB`).
    Amount,
    /// A percentage; `value` is the number followed by `%`.
    Percent,
    /// A count of people or things (`41 человек`); `value` is the number and the unit (`41 person`).
    Count,
    /// A number with a multiplier and nothing else (`5 млн`); `value` is the exact number.
    Number,
}

impl Kind {
    /// The name used in `value` dumps and JSON (`inn`, `date_range`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Inn => "inn",
            Kind::Ogrn => "ogrn",
            Kind::Ogrnip => "ogrnip",
            Kind::Kpp => "kpp",
            Kind::Snils => "snils",
            Kind::Edrpou => "edrpou",
            Kind::Rnokpp => "rnokpp",
            Kind::Iban => "iban",
            Kind::Card => "card",
            Kind::BankAccount => "bank_account",
            Kind::Bik => "bik",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Url => "url",
            Kind::DocumentNumber => "document_number",
            Kind::VehiclePlate => "vehicle_plate",
            Kind::Passport => "passport",
            Kind::Date => "date",
            Kind::DateRange => "date_range",
            Kind::Week => "week",
            Kind::Amount => "amount",
            Kind::Percent => "percent",
            Kind::Count => "count",
            Kind::Number => "number",
        }
    }
}

/// The outcome of the kind's own check: check digits for identifiers, the form for KPP and BIK, the numbering plan
/// for phones, and for dates whether the day exists and agrees with a weekday written beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Checksum {
    Valid,
    Invalid,
}

impl Checksum {
    pub(crate) fn of(valid: bool) -> Checksum {
        if valid { Checksum::Valid } else { Checksum::Invalid }
    }
}

/// Whether a document number was an outgoing or incoming one (Исх./вих., Вх./вхід.).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Outgoing,
    Incoming,
}

/// What a match holds beyond its normalised `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Detail {
    None,
    Date(Date),
    Range {
        from: Date,
        to: Date,
    },
    Week {
        year: Option<i32>,
        week: u8,
    },
    Amount(Amount),
    Document {
        direction: Option<Direction>,
        date: Option<Date>,
    },
    /// The country (ISO 3166 alpha-2) of a phone, plate, passport or IBAN.
    Country {
        country: &'static str,
    },
}

/// One thing found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub kind: Kind,
    /// Offsets in Unicode scalar values (chars) into the text: `text.chars().skip(start).take(end - start)`.
    pub start: usize,
    pub end: usize,
    /// The same span in bytes, for slicing the `&str`.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The text as written.
    pub text: String,
    /// The normal form: digits only for identifiers, E.164 for phones, ISO 8601 for dates, exact decimals for amounts.
    pub value: String,
    /// The kind's own check, where it has one.
    pub checksum: Option<Checksum>,
    /// The word in the text that said what this is (`ИНН`, `Исх.`, `паспорт`), when one did.
    pub label: Option<String>,
    pub detail: Detail,
}
