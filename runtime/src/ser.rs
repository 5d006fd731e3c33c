//! Writing a generated struct as a JSON object, shared by every struct.
//!
//! The generator writes each struct's `Serialize` as one call to
//! [`object`] with the struct's fields as a slice of [`Field`]s (codegen's
//! `trim` stage, step `map-writers`). What serde's derive writes once per
//! struct (a generic body that counts the fields it writes, then writes
//! each one through the serializer's type) is written once here instead:
//! each field's value is a `&dyn erased_serde::Serialize`, so a struct's
//! impl is a short list the compiler checks once, not a body it builds
//! again for every serializer.
//!
//! The output is the derive's: the struct's fields in order, under their
//! JSON names, a field whose value is `None` here skipped (serde's
//! `skip_serializing_if`), the length given to the serializer the number of
//! fields written. Not part of the API a caller uses.

use serde::ser::{SerializeStruct, Serializer};

/// One field of a struct: its JSON name and its value, `None` when skipped.
pub type Field<'a> = (&'static str, Option<&'a dyn erased_serde::Serialize>);

/// Write the struct `name` with `fields`, as serde's derive does.
pub fn object<S: Serializer>(
    serializer: S,
    name: &'static str,
    fields: &[Field<'_>],
) -> Result<S::Ok, S::Error> {
    let len = fields.iter().filter(|(_, value)| value.is_some()).count();
    let mut state = serializer.serialize_struct(name, len)?;
    for (key, value) in fields {
        match value {
            Some(value) => state.serialize_field(key, value)?,
            None => state.skip_field(key)?,
        }
    }
    state.end()
}

/// `value` unless `skip` says to leave it out (serde's
/// `skip_serializing_if`).
#[inline]
pub fn unless<T: serde::Serialize>(
    value: &T,
    skip: fn(&T) -> bool,
) -> Option<&dyn erased_serde::Serialize> {
    if skip(value) { None } else { Some(value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct written the way the generator writes it, beside the same
    /// struct with serde's derive.
    struct Pet {
        name: String,
        tag: Option<String>,
        owner: Option<Option<String>>,
    }

    impl serde::Serialize for Pet {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            object(
                serializer,
                "Pet",
                &[
                    ("name", Some(&self.name)),
                    ("tag", unless(&self.tag, Option::is_none)),
                    ("owner", unless(&self.owner, Option::is_none)),
                ],
            )
        }
    }

    #[derive(serde::Serialize)]
    struct Derived {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        tag: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        owner: Option<Option<String>>,
    }

    #[test]
    fn output_is_the_derives() {
        let cases = [
            (None, None),
            (Some("t"), None),
            (None, Some(None)),
            (Some("t"), Some(Some("Ann"))),
        ];
        for (tag, owner) in cases {
            let tag = tag.map(str::to_owned);
            let owner = owner.map(|o: Option<&str>| o.map(str::to_owned));
            let ours = serde_json::to_string(&Pet {
                name: "Rex".into(),
                tag: tag.clone(),
                owner: owner.clone(),
            })
            .unwrap();
            let derived = serde_json::to_string(&Derived {
                name: "Rex".into(),
                tag,
                owner,
            })
            .unwrap();
            assert_eq!(ours, derived);
        }
        assert_eq!(
            serde_json::to_string(&Pet {
                name: "Rex".into(),
                tag: None,
                owner: Some(None)
            })
            .unwrap(),
            r#"{"name":"Rex","owner":null}"#
        );
    }
}
