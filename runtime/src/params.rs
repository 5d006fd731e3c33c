//! Parameters progenitor cannot serialize, encoded as OpenAPI defines
//! their `style`: `deepObject` and object query parameters, delimited
//! arrays, array and object headers, cookies; and form bodies, whose
//! properties the spec's `encoding` gives styles too.
//!
//! Each function takes any `Serialize` value (an `Option` that is `None`
//! sends nothing) and gives what `reqwest` adds to the request: query pairs
//! or headers. The error is a message for `Error::InvalidRequest`.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

fn to_value<T: Serialize>(name: &str, value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("parameter `{name}`: {e}"))
}

/// A scalar as it is written in a URL or header (strings unquoted).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `style: deepObject`: `filter[gt]=1&filter[lt]=5`; nested objects nest
/// further (`a[b][c]=1`), arrays repeat the key.
pub fn deep_object<T: Serialize>(name: &str, value: &T) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    nested(name.to_owned(), &to_value(name, value)?, false, &mut out);
    Ok(out)
}

/// The pairs of `value` under `key`, objects nesting their keys
/// (`key[k]`); array items repeat the key, or with `index_arrays` are
/// numbered (`key[0]`). `null` gives none.
fn nested(key: String, value: &Value, index_arrays: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                nested(format!("{key}[{k}]"), v, index_arrays, out);
            }
        }
        Value::Array(items) if index_arrays => {
            for (i, item) in items.iter().enumerate() {
                nested(format!("{key}[{i}]"), item, index_arrays, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                nested(key.clone(), item, index_arrays, out);
            }
        }
        other => out.push((key, scalar(other))),
    }
}

/// `style: form` for an object or array query parameter: exploded, each
/// property is a pair of its own (`gt=1&lt=5`) and each item repeats the
/// name; not exploded, one pair of comma-separated values
/// (`effective_at=gt,1,lt,5`, `ids=1,2`).
pub fn form<T: Serialize>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<Vec<(String, String)>, String> {
    let value = to_value(name, value)?;
    let pairs = match (&value, explode) {
        (Value::Null, _) => Vec::new(),
        (Value::Object(map), true) => map
            .iter()
            .flat_map(|(k, v)| match v {
                Value::Array(items) => items.iter().map(|i| (k.clone(), scalar(i))).collect(),
                Value::Null => Vec::new(),
                v => vec![(k.clone(), scalar(v))],
            })
            .collect(),
        (Value::Array(items), true) => items.iter().map(|i| (name.to_owned(), scalar(i))).collect(),
        (value, _) => vec![(name.to_owned(), joined(value, ",", false))],
    };
    Ok(pairs)
}

/// An `application/x-www-form-urlencoded` body: each property of `value`
/// encoded by the style the spec's `encoding` gives it (`styles`:
/// `(property, style, explode)`; any other property is `form`, exploded).
/// `deepObject` nests the keys of objects and numbers the items of arrays,
/// so arrays of objects stay unambiguous: `card[number]=4242`,
/// `expand[0]=customer`, `items[0][price]=p_1`. `null` sends nothing.
/// Returns the encoded body.
pub fn form_body<T: Serialize>(value: &T, styles: &[(&str, &str, bool)]) -> Result<String, String> {
    let pairs = form_pairs(value, styles)?;
    Ok(form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish())
}

/// The pairs of [`form_body`], before encoding.
pub fn form_pairs<T: Serialize>(
    value: &T,
    styles: &[(&str, &str, bool)],
) -> Result<Vec<(String, String)>, String> {
    let value = serde_json::to_value(value).map_err(|e| format!("form body: {e}"))?;
    let map = match value {
        Value::Object(map) => map,
        Value::Null => return Ok(Vec::new()),
        other => return Err(format!("form body: {other} is not an object")),
    };
    let mut out = Vec::new();
    for (k, v) in &map {
        let (style, explode) = styles
            .iter()
            .find(|(p, ..)| p == k)
            .map_or(("form", true), |(_, s, e)| (*s, *e));
        match style {
            "deepObject" => nested(k.clone(), v, true, &mut out),
            "spaceDelimited" => out.extend(delimited(k, v, " ")?),
            "pipeDelimited" => out.extend(delimited(k, v, "|")?),
            _ => out.extend(form(k, v, explode)?),
        }
    }
    Ok(out)
}

/// `style: spaceDelimited` / `pipeDelimited`: one pair, items joined by
/// `separator`.
pub fn delimited<T: Serialize>(
    name: &str,
    value: &T,
    separator: &str,
) -> Result<Vec<(String, String)>, String> {
    let value = to_value(name, value)?;
    if value.is_null() {
        return Ok(Vec::new());
    }
    Ok(vec![(name.to_owned(), joined(&value, separator, false))])
}

/// Items (or `key,value` pairs, `key=value` when exploded) joined.
fn joined(value: &Value, separator: &str, explode: bool) -> String {
    match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(separator),
        Value::Object(map) if explode => map
            .iter()
            .map(|(k, v)| format!("{k}={}", scalar(v)))
            .collect::<Vec<_>>()
            .join(separator),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar(v)])
            .collect::<Vec<_>>()
            .join(separator),
        other => scalar(other),
    }
}

/// `style: simple` header: an array comma-joined (`a,b`), an object as
/// `k,v,k2,v2` (`k=v,k2=v2` when exploded).
pub fn header<T: Serialize>(name: &str, value: &T, explode: bool) -> Result<HeaderMap, String> {
    let value = to_value(name, value)?;
    let mut map = HeaderMap::new();
    if value.is_null() {
        return Ok(map);
    }
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a header name"))?;
    let text = joined(&value, ",", explode);
    let value = HeaderValue::try_from(text)
        .map_err(|_| format!("parameter `{name}`: the value is not a valid header value"))?;
    map.insert(header, value);
    Ok(map)
}

/// One `Cookie` header for the cookie parameters (`style: form`):
/// `a=1; b=x,y`. Absent (`null`) cookies are left out.
pub fn cookies(pairs: &[(&str, Value)]) -> Result<HeaderMap, String> {
    let text = pairs
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(name, v)| format!("{name}={}", joined(v, ",", false)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut map = HeaderMap::new();
    if !text.is_empty() {
        let value = HeaderValue::try_from(text)
            .map_err(|_| "a cookie parameter is not a valid header value".to_owned())?;
        map.insert(reqwest::header::COOKIE, value);
    }
    Ok(map)
}

/// A parameter as JSON (for [`cookies`]).
pub fn value<T: Serialize>(name: &str, value: &T) -> Result<Value, String> {
    to_value(name, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn deep_objects_nest_keys() {
        let v = json!({"gt": 1, "lt": 5, "tags": ["a", "b"], "sub": {"x": true}, "none": null});
        assert_eq!(
            deep_object("filter", &v).unwrap(),
            pairs(&[
                ("filter[gt]", "1"),
                ("filter[lt]", "5"),
                ("filter[tags]", "a"),
                ("filter[tags]", "b"),
                ("filter[sub][x]", "true"),
            ])
        );
        assert!(deep_object("f", &None::<i32>).unwrap().is_empty());
    }

    #[test]
    fn form_bodies_follow_their_encoding() {
        let body = json!({
            "amount": 100,
            "card": {"number": "4242", "exp": {"month": 1}},
            "expand": ["customer", "invoice"],
            "items": [{"price": "p_1"}, {"price": "p_2", "quantity": 2}],
            "tags": ["a", "b"],
            "ids": [1, 2],
            "none": null,
        });
        let styles = [
            ("card", "deepObject", true),
            ("expand", "deepObject", true),
            ("items", "deepObject", true),
            ("ids", "form", false),
        ];
        assert_eq!(
            form_pairs(&body, &styles).unwrap(),
            pairs(&[
                ("amount", "100"),
                ("card[number]", "4242"),
                ("card[exp][month]", "1"),
                ("expand[0]", "customer"),
                ("expand[1]", "invoice"),
                ("items[0][price]", "p_1"),
                ("items[1][price]", "p_2"),
                ("items[1][quantity]", "2"),
                ("tags", "a"),
                ("tags", "b"),
                ("ids", "1,2"),
            ])
        );
        assert!(form_body(&json!(1), &[]).is_err());
        assert!(form_body(&None::<i32>, &[]).unwrap().is_empty());
        assert_eq!(
            form_body(
                &json!({"card": {"number": "4 2"}}),
                &[("card", "deepObject", true)]
            )
            .unwrap(),
            "card%5Bnumber%5D=4+2"
        );
    }

    #[test]
    fn form_objects_explode_or_join() {
        let v = json!({"gt": 1, "lt": "x"});
        assert_eq!(
            form("at", &v, true).unwrap(),
            pairs(&[("gt", "1"), ("lt", "x")])
        );
        assert_eq!(
            form("at", &v, false).unwrap(),
            pairs(&[("at", "gt,1,lt,x")])
        );
        assert_eq!(
            form("ids", &json!([1, 2]), false).unwrap(),
            pairs(&[("ids", "1,2")])
        );
        assert_eq!(
            form("ids", &json!([1, 2]), true).unwrap(),
            pairs(&[("ids", "1"), ("ids", "2")])
        );
        // An object item (OpenAPI defines no form for it): its JSON text.
        assert_eq!(
            form("mdfilters", &json!([{"scope": "global"}]), true).unwrap(),
            pairs(&[("mdfilters", r#"{"scope":"global"}"#)])
        );
        assert_eq!(
            delimited("ids", &json!([1, 2]), "|").unwrap(),
            pairs(&[("ids", "1|2")])
        );
    }

    #[test]
    fn headers_and_cookies() {
        let h = header("openai-beta", &json!(["responses=v1", "x=2"]), false).unwrap();
        assert_eq!(h["openai-beta"], "responses=v1,x=2");
        let h = header("x-obj", &json!({"a": 1, "b": 2}), true).unwrap();
        assert_eq!(h["x-obj"], "a=1,b=2");
        assert!(header("x", &None::<Vec<String>>, false).unwrap().is_empty());
        assert!(header("bad name", &json!("v"), false).is_err());
        let c = cookies(&[
            ("sid", json!("abc")),
            ("none", json!(null)),
            ("ids", json!([1, 2])),
        ])
        .unwrap();
        assert_eq!(c["cookie"], "sid=abc; ids=1,2");
    }
}
