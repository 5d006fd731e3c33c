//! What every setter of a generated builder calls: the conversion of the
//! value it is given, with a message naming the field when it fails.
//!
//! The generator rewrites each setter's own closure and `format!` into a
//! call here (codegen's `trim` stage, step `setter-calls`), so the value
//! and the message are the ones the setter wrote. Not part of the API a
//! caller uses.

use std::fmt::Display;

/// `value` converted, or `"{prefix}: {error}"` (a type builder's setter).
pub fn convert<T, V>(value: V, prefix: &str) -> Result<T, String>
where
    V: TryInto<T>,
    V::Error: Display,
{
    value.try_into().map_err(|e| format!("{prefix}: {e}"))
}

/// `value` converted, or `message` (an operation builder's setter, whose
/// value's error need not be printable).
pub fn convert_or<T, V: TryInto<T>>(value: V, message: &str) -> Result<T, String> {
    value.try_into().map_err(|_| message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_convert_and_failures_name_the_field() {
        assert_eq!(convert::<u8, i64>(7, "error for n"), Ok(7));
        assert_eq!(
            convert::<u8, i64>(300, "error converting supplied value for n"),
            Err("error converting supplied value for n: out of range integral type conversion attempted".to_owned())
        );
        assert_eq!(
            convert_or::<u8, i64>(-1, "conversion to `u8` for n failed"),
            Err("conversion to `u8` for n failed".to_owned())
        );
        assert_eq!(convert_or::<String, &str>("a", "x"), Ok("a".to_owned()));
    }
}
