//! Server-sent events: a `text/event-stream` response read as a stream of
//! typed items.
//!
//! The wire format (multi-line `data:`, comments, `event:`, `id:`,
//! `retry:`, any line ending) is parsed by the `eventsource-stream` crate,
//! which follows the WHATWG definition. This module adds what an API client
//! needs on top: each event's data is decoded as JSON into `T`; the
//! `[DONE]` sentinel (OpenAI and others) or the end of the body ends the
//! stream; an `error` event, data that does not decode, a malformed stream
//! or a dropped connection is an item error, never a panic. After a
//! malformed stream or a transport error the stream ends.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use eventsource_stream::{EventStreamError, Eventsource};
use futures_core::Stream;
use futures_util::StreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

type Events = Pin<
    Box<
        dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>>
            + Send,
    >,
>;

/// The items of a `text/event-stream` response, decoded as `T`.
///
/// It is a [`Stream`] of `Result<T, StreamError>`; with
/// `futures::StreamExt`, `while let Some(item) = stream.next().await`.
pub struct EventStream<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    events: Events,
    last_event_id: String,
    done: bool,
    _item: PhantomData<fn() -> T>,
}

/// Why an item of an [`EventStream`] is not a `T`.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed while the stream was being read.
    Transport(reqwest::Error),
    /// The body is not a valid event stream (not UTF-8, or a malformed line).
    Malformed(String),
    /// The server sent an error instead of an item: an `error` event, or
    /// data that is not a `T` but a JSON object with an `error` member.
    Api {
        /// The event's name (`message` when the server gave none).
        event: String,
        /// The event's data, as sent.
        data: String,
    },
    /// The event's data is not the JSON of a `T`.
    Decode {
        /// The event's name.
        event: String,
        /// The event's data, as sent.
        data: String,
        /// What serde reported.
        error: serde_json::Error,
    },
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "the event stream was interrupted: {e}"),
            Self::Malformed(e) => write!(f, "the event stream is malformed: {e}"),
            Self::Api { event, data } => {
                write!(f, "the server sent an error (event `{event}`): {data}")
            }
            Self::Decode { event, error, .. } => {
                write!(f, "event `{event}` does not decode: {error}")
            }
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            Self::Decode { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<T> EventStream<T> {
    /// Read `response`'s body as an event stream.
    pub fn new(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        Self {
            status,
            headers,
            events: Box::pin(response.bytes_stream().eventsource()),
            last_event_id: String::new(),
            done: false,
            _item: PhantomData,
        }
    }

    /// The response's status code.
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response's headers (e.g. a request id).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The `id:` of the last event read (empty when none was given), for
    /// servers that resume a stream from `Last-Event-ID`.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status)
            .field("last_event_id", &self.last_event_id)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The data that ends a stream without being an item.
const DONE: &str = "[DONE]";

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let event = match self.events.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    self.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(match e {
                        EventStreamError::Transport(e) => StreamError::Transport(e),
                        EventStreamError::Utf8(e) => StreamError::Malformed(e.to_string()),
                        EventStreamError::Parser(e) => StreamError::Malformed(e.to_string()),
                    })));
                }
                Poll::Ready(Some(Ok(event))) => event,
            };
            if !event.id.is_empty() {
                self.last_event_id = event.id.clone();
            }
            if event.data.trim() == DONE {
                self.done = true;
                return Poll::Ready(None);
            }
            if event.event == "error" {
                return Poll::Ready(Some(Err(StreamError::Api {
                    event: event.event,
                    data: event.data,
                })));
            }
            if event.data.is_empty() {
                // An event with no data (a bare `event:` or `id:`) carries no item.
                continue;
            }
            return Poll::Ready(Some(decode(event.event, event.data)));
        }
    }
}

fn decode<T: DeserializeOwned>(event: String, data: String) -> Result<T, StreamError> {
    serde_json::from_str(&data).map_err(|error| {
        let is_error_object = serde_json::from_str::<serde_json::Value>(&data)
            .ok()
            .and_then(|v| v.as_object().map(|o| o.contains_key("error")))
            .unwrap_or(false);
        if is_error_object {
            StreamError::Api { event, data }
        } else {
            StreamError::Decode { event, data, error }
        }
    })
}

/// `body` as JSON with the boolean property `flag` set to `true`: the
/// request body of a streaming call (`"stream": true`). A body that is not
/// a JSON object is returned unchanged.
pub fn streaming_body<B: Serialize>(body: &B, flag: &str) -> Result<serde_json::Value, String> {
    let mut value = serde_json::to_value(body).map_err(|e| e.to_string())?;
    if let Some(object) = value.as_object_mut() {
        object.insert(flag.to_owned(), serde_json::Value::Bool(true));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Chunk {
        n: u32,
    }

    async fn stream_of(body: &'static str) -> Vec<Result<Chunk, StreamError>> {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
            .mount(&server)
            .await;
        let response = reqwest::get(server.uri()).await.unwrap();
        EventStream::<Chunk>::new(response).collect().await
    }

    fn ok(items: &[Result<Chunk, StreamError>]) -> Vec<u32> {
        items
            .iter()
            .map(|i| i.as_ref().map(|c| c.n).unwrap_or(u32::MAX))
            .collect()
    }

    #[tokio::test]
    async fn items_are_decoded_comments_ignored_and_done_ends() {
        let items = stream_of(
            ": keep-alive\n\ndata: {\"n\":1}\n\nid: 7\nevent: chunk\ndata: {\"n\":\r\ndata: 2}\r\n\r\nretry: 10\n\ndata: [DONE]\n\ndata: {\"n\":3}\n\n",
        )
        .await;
        assert_eq!(ok(&items), [1, 2]);
    }

    #[tokio::test]
    async fn the_end_of_the_body_ends_without_done() {
        assert_eq!(ok(&stream_of("data: {\"n\":1}\n\n").await), [1]);
    }

    #[tokio::test]
    async fn error_events_and_bad_data_are_item_errors() {
        let items = stream_of(
            "data: {\"n\":1}\n\nevent: error\ndata: {\"message\":\"overloaded\"}\n\ndata: {\"error\":{\"message\":\"quota\"}}\n\ndata: {\"m\":2}\n\ndata: {\"n\":4}\n\n",
        )
        .await;
        assert_eq!(items.len(), 5);
        assert!(
            matches!(&items[1], Err(StreamError::Api { event, data }) if event == "error" && data.contains("overloaded"))
        );
        assert!(matches!(&items[2], Err(StreamError::Api { data, .. }) if data.contains("quota")));
        let decode = items[3].as_ref().unwrap_err();
        assert!(matches!(decode, StreamError::Decode { .. }));
        assert!(decode.to_string().contains("missing field `n`"), "{decode}");
        assert_eq!(items[4].as_ref().unwrap().n, 4);
    }

    #[tokio::test]
    async fn a_dropped_connection_is_an_item_error() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let _ = socket.read(&mut buf).await;
            // Promise 1000 bytes, send one event, then hang up.
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 1000\r\n\r\ndata: {\"n\":1}\n\n")
                .await;
        });
        let response = reqwest::get(format!("http://{addr}/")).await.unwrap();
        let items: Vec<_> = EventStream::<Chunk>::new(response).collect().await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().n, 1);
        assert!(matches!(items[1], Err(StreamError::Transport(_))));
    }

    #[test]
    fn streaming_body_sets_the_flag() {
        let body = serde_json::json!({"model": "m", "stream": false});
        assert_eq!(
            streaming_body(&body, "stream").unwrap(),
            serde_json::json!({"model": "m", "stream": true})
        );
    }
}
