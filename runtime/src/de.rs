//! Reading a JSON object into a generated struct, shared by every struct.
//!
//! The generator writes each struct's `Deserialize` as one map visitor
//! (codegen's `trim` stage, step `map-readers`): a `match` on the field's
//! index, calling the functions here. What serde's derive writes once per
//! struct (an enum of its field names with its own `Deserialize` and
//! visitor, a sequence visitor, a wrapper type per `deserialize_with`
//! field) is written once here instead, so a spec with thousands of structs
//! costs the compiler one copy of it, not thousands.
//!
//! The behaviour is serde's for the attributes the generator uses: a field
//! named twice is an error (`duplicate field`), a missing field is `None` for
//! an `Option` and an error (`missing field`) otherwise, an unknown field is
//! skipped (or an error under `deny_unknown_fields`). Not part of the API a
//! caller uses.

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// A struct's field names, read as keys: a key yields its field's index,
/// an unknown key `None` (or, when `deny_unknown` is set, the error serde
/// gives: `unknown field`, with the expected names).
#[derive(Clone, Copy)]
struct Fields {
    /// The JSON names, in field order.
    names: &'static [&'static str],
    /// Whether an unknown key is an error (`#[serde(deny_unknown_fields)]`).
    deny_unknown: bool,
}

impl<'de> DeserializeSeed<'de> for Fields {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Fields {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        match self.names.iter().position(|name| *name == key) {
            Some(index) => Ok(Some(index)),
            None if self.deny_unknown => Err(E::unknown_field(key, self.names)),
            None => Ok(None),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) if self.deny_unknown => Err(E::invalid_value(de::Unexpected::Bytes(key), &self)),
            Err(_) => Ok(None),
        }
    }
}

/// The index of the next field of `map` whose name is one of `names`,
/// skipping (or, when `deny_unknown`, failing on) the others; `None` at the
/// end of the object. Loop `while let Some(index) = next_key(..)?`.
pub fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    names: &'static [&'static str],
    deny_unknown: bool,
) -> Result<Option<usize>, A::Error> {
    let fields = Fields {
        names,
        deny_unknown,
    };
    loop {
        match map.next_key_seed(fields)? {
            Some(Some(index)) => return Ok(Some(index)),
            Some(None) => {
                map.next_value::<de::IgnoredAny>()?;
            }
            None => return Ok(None),
        }
    }
}

/// Read the value of field `name` into `slot`; a second value for it is
/// the error serde gives (`duplicate field`).
///
/// A tri-state field (`Option<Option<T>>`) is its own slot: the value read
/// is the inner `Option<T>` (so `null` is `Some(None)`), and absent stays
/// `None`.
pub fn value<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    unset(slot, name)?;
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Read a field whose `null` means its default (an optional array or map
/// a server sends as `null`): what the generated `null_as_default` helper
/// does for a field that keeps serde's derive.
pub fn default_if_null<'de, A: MapAccess<'de>, T: de::Deserialize<'de> + Default>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    unset(slot, name)?;
    *slot = Some(map.next_value::<Option<T>>()?.unwrap_or_default());
    Ok(())
}

/// A field read a second time is the error serde gives (`duplicate field`).
fn unset<T, E: de::Error>(slot: &Option<T>, name: &'static str) -> Result<(), E> {
    match slot {
        Some(_) => Err(E::duplicate_field(name)),
        None => Ok(()),
    }
}

/// The index of the variant a string names, of an enum whose variants are
/// these strings (`names`); another string is the error serde gives
/// (`unknown variant`, with the expected ones), a value that is not a
/// string an error that says a string was expected.
pub fn variant<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_str(Variants(names))
}

struct Variants(&'static [&'static str]);

impl<'de> Visitor<'de> for Variants {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a string, one of {:?}", self.0)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|name| *name == value)
            .ok_or_else(|| E::unknown_variant(value, self.0))
    }
}

/// The value of a field with no default: read, or, when absent, what serde
/// makes of a missing field: `None` for an `Option`, otherwise the error
/// `missing field`.
pub fn required<'de, T: de::Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// A deserializer for an absent field: an `Option` reads it as `None`,
/// anything else fails with `missing field`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct read the way the generator writes it: one required field,
    /// one optional, one tri-state, one read `null` as default.
    #[derive(Debug, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        owner: Option<Option<String>>,
        toys: Vec<String>,
    }

    const NAMES: &[&str] = &["name", "tag", "owner", "toys"];

    fn read(json: &str, deny_unknown: bool) -> Result<Pet, serde_json::Error> {
        struct V(bool);
        impl<'de> Visitor<'de> for V {
            type Value = Pet;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("struct Pet")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pet, A::Error> {
                let (mut name, mut tag, mut owner, mut toys) = (None, None, None, None);
                while let Some(index) = next_key(&mut map, NAMES, self.0)? {
                    match index {
                        0 => value(&mut map, &mut name, "name"),
                        1 => value(&mut map, &mut tag, "tag"),
                        2 => value(&mut map, &mut owner, "owner"),
                        _ => default_if_null(&mut map, &mut toys, "toys"),
                    }?;
                }
                Ok(Pet {
                    name: required(name, "name")?,
                    tag: required(tag, "tag")?,
                    owner,
                    toys: toys.unwrap_or_default(),
                })
            }
        }
        let mut de = serde_json::Deserializer::from_str(json);
        de.deserialize_struct("Pet", NAMES, V(deny_unknown))
    }

    #[test]
    fn fields_are_read_by_name_in_any_order() {
        let pet = read(
            r#"{"toys":["ball"],"extra":{"a":[1]},"name":"Rex","owner":null}"#,
            false,
        )
        .unwrap();
        assert_eq!(
            pet,
            Pet {
                name: "Rex".into(),
                tag: None,
                owner: Some(None),
                toys: vec!["ball".into()],
            }
        );
        let pet = read(
            r#"{"name":"Rex","owner":"Ann","toys":null,"tag":"t"}"#,
            false,
        )
        .unwrap();
        assert_eq!(pet.owner, Some(Some("Ann".into())));
        assert_eq!(pet.tag.as_deref(), Some("t"));
        assert!(pet.toys.is_empty());
        assert_eq!(read(r#"{"name":"Rex"}"#, false).unwrap().owner, None);
    }

    #[test]
    fn errors_are_serdes() {
        let missing = read(r#"{"tag":"t"}"#, false).unwrap_err().to_string();
        assert!(missing.starts_with("missing field `name`"), "{missing}");
        let twice = read(r#"{"name":"a","name":"b"}"#, false)
            .unwrap_err()
            .to_string();
        assert!(twice.starts_with("duplicate field `name`"), "{twice}");
        let unknown = read(r#"{"name":"a","extra":1}"#, true)
            .unwrap_err()
            .to_string();
        assert!(
            unknown.starts_with("unknown field `extra`, expected one of"),
            "{unknown}"
        );
        let wrong = read(r#"{"name":3}"#, false).unwrap_err().to_string();
        assert!(wrong.contains("expected a string"), "{wrong}");
        let array = read(r#"["Rex"]"#, false).unwrap_err().to_string();
        assert!(array.contains("expected struct Pet"), "{array}");
    }

    #[test]
    fn variants_are_read_from_their_strings() {
        const NAMES: &[&str] = &["a", "b"];
        let read = |json: &str| variant(&mut serde_json::Deserializer::from_str(json), NAMES);
        assert_eq!(read(r#""b""#).unwrap(), 1);
        let unknown = read(r#""c""#).unwrap_err().to_string();
        assert!(
            unknown.starts_with("unknown variant `c`, expected `a` or `b`"),
            "{unknown}"
        );
        let number = read("3").unwrap_err().to_string();
        assert!(
            number.contains(r#"expected a string, one of ["a", "b"]"#),
            "{number}"
        );
    }
}
