//! `multipart/form-data` bodies.
//!
//! A multipart body is a generated type like any other; its file fields
//! (`format: binary`) are [`FilePart`]s. [`form`] turns such a value into a
//! `reqwest` form the way OpenAPI defines it: each top-level property is a
//! part; a file is a part with its file name and content type; a string,
//! number or boolean is a text part; an array is one part per item (repeated
//! name); an object is JSON (`application/json`), unless the spec's
//! `encoding` gives the property another content type. `null` and absent
//! properties send nothing.
//!
//! How the files get out of the value: the body is serialized with serde
//! once; while [`form`] runs, a [`FilePart`] serializes as a marker holding
//! its index in a list kept for this thread, and the list gives the files
//! back. Outside [`form`] a `FilePart` serializes as its file name.

use std::cell::RefCell;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// A file sent as one part of a multipart body.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    file_name: String,
    content_type: Option<String>,
    bytes: bytes::Bytes,
}

impl FilePart {
    /// A file of `bytes` sent under `file_name`, as
    /// `application/octet-stream` unless [`FilePart::with_content_type`]
    /// (or the spec's `encoding`) gives its type; like curl and browsers,
    /// a file part always carries a type (some servers fail without one).
    pub fn new(file_name: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// The file at `path`, sent under its file name.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Self::new(name, bytes))
    }

    /// The same file with a content type (`image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type sent, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Not the bytes: a file can be large, and may be private.
impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// The key of the marker a [`FilePart`] serializes as inside [`form`].
const MARKER: &str = "\u{0}file-part";

thread_local! {
    /// The files of the body [`form`] is serializing on this thread.
    static FILES: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let index = FILES.with(|files| {
            files.borrow_mut().as_mut().map(|files| {
                files.push(self.clone());
                files.len() - 1
            })
        });
        match index {
            Some(index) => {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(MARKER, &index)?;
                map.end()
            }
            None => serializer.serialize_str(&self.file_name),
        }
    }
}

/// A file part is only ever sent; reading one (from a JSON string, say)
/// gives a part named by that string with no bytes.
impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|name| Self::new(name, Vec::new()))
    }
}

/// Why a body cannot be sent as `multipart/form-data`.
#[derive(Debug)]
#[non_exhaustive]
pub enum FormError {
    /// The body does not serialize.
    Serialize(serde_json::Error),
    /// The body is not an object: there are no named parts to make.
    NotAnObject,
    /// A content type (from `FilePart::with_content_type` or the spec's
    /// `encoding`) is not a valid MIME type.
    ContentType {
        /// The part.
        part: String,
        /// The content type given.
        content_type: String,
    },
    /// A file inside an object property, which multipart cannot carry.
    NestedFile {
        /// The part.
        part: String,
    },
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Serialize(e) => write!(f, "the multipart body does not serialize: {e}"),
            Self::NotAnObject => f.write_str("a multipart body must be an object"),
            Self::ContentType { part, content_type } => {
                write!(f, "part `{part}`: `{content_type}` is not a MIME type")
            }
            Self::NestedFile { part } => write!(
                f,
                "part `{part}`: a file inside an object cannot be sent as multipart"
            ),
        }
    }
}

impl std::error::Error for FormError {}

/// `body` as a multipart form. `encoding` gives a content type for some
/// properties (the spec's `encoding.<property>.contentType`); `flag`, a
/// boolean property set to `true` (`stream` for a streaming call).
pub fn form<B: Serialize>(
    body: &B,
    encoding: &[(&str, &str)],
    flag: Option<&str>,
) -> Result<reqwest::multipart::Form, FormError> {
    FILES.with(|files| *files.borrow_mut() = Some(Vec::new()));
    let value = serde_json::to_value(body);
    let files = FILES.with(|files| files.borrow_mut().take().unwrap_or_default());
    let value = value.map_err(FormError::Serialize)?;
    let serde_json::Value::Object(mut properties) = value else {
        return Err(FormError::NotAnObject);
    };
    if let Some(flag) = flag {
        properties.insert(flag.to_owned(), serde_json::Value::Bool(true));
    }
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in properties {
        let content_type = encoding
            .iter()
            .find(|(property, _)| *property == name)
            .map(|(_, ct)| *ct);
        let items = match value {
            serde_json::Value::Array(items) => items,
            value => vec![value],
        };
        for item in items {
            if let Some(part) = part(&name, item, content_type, &files)? {
                form = form.part(name.clone(), part);
            }
        }
    }
    Ok(form)
}

/// The index a file marker holds, if `value` is one.
fn marker(value: &serde_json::Value) -> Option<usize> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object.get(MARKER)?.as_u64().and_then(|i| i.try_into().ok())
}

fn contains_marker(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(o) => o.contains_key(MARKER) || o.values().any(contains_marker),
        serde_json::Value::Array(a) => a.iter().any(contains_marker),
        _ => false,
    }
}

fn part(
    name: &str,
    value: serde_json::Value,
    content_type: Option<&str>,
    files: &[FilePart],
) -> Result<Option<reqwest::multipart::Part>, FormError> {
    use reqwest::multipart::Part;
    let with_type = |part: Part, ct: Option<&str>| match ct {
        None => Ok(part),
        Some(ct) => part.mime_str(ct).map_err(|_| FormError::ContentType {
            part: name.to_owned(),
            content_type: ct.to_owned(),
        }),
    };
    if let Some(file) = marker(&value).and_then(|i| files.get(i)) {
        let length = file.bytes.len() as u64;
        let part = Part::stream_with_length(reqwest::Body::from(file.bytes.clone()), length)
            .file_name(file.file_name.clone());
        let content_type = file
            .content_type
            .as_deref()
            .or(content_type)
            .unwrap_or("application/octet-stream");
        return with_type(part, Some(content_type)).map(Some);
    }
    if contains_marker(&value) {
        return Err(FormError::NestedFile {
            part: name.to_owned(),
        });
    }
    let part = match value {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::String(s) => with_type(Part::text(s), content_type)?,
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            with_type(Part::text(value.to_string()), content_type)?
        }
        // Nested arrays and objects: JSON, as OpenAPI's default encoding says.
        value @ (serde_json::Value::Array(_) | serde_json::Value::Object(_)) => with_type(
            Part::text(value.to_string()),
            Some(content_type.unwrap_or("application/json")),
        )?,
    };
    Ok(Some(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Upload {
        purpose: String,
        file: FilePart,
        tags: Vec<String>,
        extra: Option<FilePart>,
        images: Vec<FilePart>,
        meta: serde_json::Value,
        count: Option<i64>,
    }

    /// The body as a local server receives it, as text (boundary replaced).
    async fn body_of(form: reqwest::multipart::Form) -> String {
        use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};
        let boundary = form.boundary().to_owned();
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let response = reqwest::Client::new()
            .post(server.uri())
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let request = &server.received_requests().await.unwrap()[0];
        let content_type = request
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        String::from_utf8_lossy(&request.body).replace(&boundary, "BOUNDARY")
    }

    #[test]
    fn a_file_outside_a_form_serializes_as_its_name() {
        let part = FilePart::new("a.txt", b"secret".to_vec());
        assert_eq!(serde_json::to_string(&part).unwrap(), "\"a.txt\"");
        let debug = format!("{part:?}");
        assert!(
            debug.contains("a.txt") && !debug.contains("secret"),
            "{debug}"
        );
    }

    #[test]
    fn non_objects_and_nested_files_are_errors() {
        assert!(matches!(
            form(&"text", &[], None),
            Err(FormError::NotAnObject)
        ));
        let nested = serde_json::json!({"a": {"b": 1}});
        assert!(form(&nested, &[], None).is_ok());
        #[derive(Serialize)]
        struct Nested {
            inner: std::collections::BTreeMap<String, FilePart>,
        }
        let body = Nested {
            inner: [("f".to_owned(), FilePart::new("f", vec![1u8]))].into(),
        };
        let err = form(&body, &[], None).unwrap_err();
        assert!(matches!(err, FormError::NestedFile { ref part } if part == "inner"));
        let err = form(&serde_json::json!({"a": 1}), &[("a", "not a mime")], None).unwrap_err();
        assert!(err.to_string().contains("`not a mime`"), "{err}");
    }

    #[tokio::test]
    async fn every_property_becomes_parts() {
        let body = Upload {
            purpose: "fine-tune".into(),
            file: FilePart::new("data.jsonl", b"{\"a\":1}".to_vec())
                .with_content_type("application/jsonl"),
            tags: vec!["x".into(), "y".into()],
            extra: None,
            images: vec![
                FilePart::new("a.png", b"PNG1".to_vec()),
                FilePart::new("b.png", b"PNG2".to_vec()),
            ],
            meta: serde_json::json!({"k": "v"}),
            count: Some(3),
        };
        let form = form(&body, &[("purpose", "text/plain")], Some("stream")).unwrap();
        let text = body_of(form).await;
        let expected = [
            "Content-Disposition: form-data; name=\"purpose\"\r\nContent-Type: text/plain\r\n\r\nfine-tune\r\n",
            "Content-Disposition: form-data; name=\"file\"; filename=\"data.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n{\"a\":1}\r\n",
            "Content-Disposition: form-data; name=\"tags\"\r\n\r\nx\r\n",
            "Content-Disposition: form-data; name=\"tags\"\r\n\r\ny\r\n",
            "Content-Disposition: form-data; name=\"images\"; filename=\"a.png\"\r\nContent-Type: application/octet-stream\r\n\r\nPNG1\r\n",
            "Content-Disposition: form-data; name=\"images\"; filename=\"b.png\"\r\nContent-Type: application/octet-stream\r\n\r\nPNG2\r\n",
            "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"k\":\"v\"}\r\n",
            "Content-Disposition: form-data; name=\"count\"\r\n\r\n3\r\n",
            "Content-Disposition: form-data; name=\"stream\"\r\n\r\ntrue\r\n",
        ];
        let mut at = 0;
        for part in expected {
            let found = text[at..]
                .find(part)
                .unwrap_or_else(|| panic!("{part:?} not found in order in\n{text}"));
            at += found + part.len();
        }
        assert!(!text.contains("extra"), "{text}");
    }
}
