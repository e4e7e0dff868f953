//! Errors of reading a stored fingerprint back: the only fallible operation of the crate (everything else takes any
//! text and always answers).

/// Why bytes or hex could not be read as a [`crate::Fingerprint`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FingerprintError {
    /// Computed by another version of the algorithm: compute it again from the text.
    #[error("fingerprint of version {found}, this build computes version {expected}: compute it again")]
    Version { found: u8, expected: u8 },
    /// Too short, too long, or a flag that does not match the length.
    #[error("fingerprint of {found} bytes does not have the layout of its version")]
    Length { found: usize },
    /// Not hexadecimal.
    #[error("fingerprint is not hexadecimal")]
    Hex,
}
