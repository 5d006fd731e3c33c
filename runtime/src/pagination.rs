//! Cursor pagination: a list operation as a stream of its items.
//!
//! The generator finds list operations that page with a cursor (a query
//! parameter such as `after`, and a response with the page's items, whether
//! there are more, and the cursor of the last one) and gives their builders
//! a `stream()` method: [`items`] fetches the first page, yields its items,
//! and asks for the next page only when those are consumed, until the API
//! says there are no more. The response type implements [`CursorPage`].

use std::future::Future;

pub use futures_core::Stream;
use progenitor_client::{Error, ResponseValue};

/// A page of a cursor-paginated list.
pub trait CursorPage {
    /// What the list holds.
    type Item;
    /// The cursor that asks for the next page, or `None` on the last page.
    fn next_cursor(&self) -> Option<String>;
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Implemented by the generated builders that have a `stream()`.
pub trait Paginated: Clone {
    /// The page type.
    type Page: CursorPage;
    /// The error body type.
    type Error;
    /// The same request, asking for the page after `cursor`.
    fn with_cursor(self, cursor: String) -> Self;
    /// Send the request.
    fn fetch(
        self,
    ) -> impl Future<Output = Result<ResponseValue<Self::Page>, Error<Self::Error>>> + Send;
}

/// What the pagination stream has to do next.
enum State<B: Paginated> {
    /// Fetch this request.
    Fetch(B),
    /// Yield these items, then fetch the request, if any.
    Yield(std::vec::IntoIter<<B::Page as CursorPage>::Item>, Option<B>),
    Done,
}

/// Every item of every page, fetched lazily: a page is requested only when
/// the items before it have been taken. An error ends the stream after it is
/// yielded. A cursor that does not change ends it too (an API that repeats a
/// page would otherwise loop for ever).
pub fn items<B: Paginated>(
    first: B,
) -> impl Stream<Item = Result<<B::Page as CursorPage>::Item, Error<B::Error>>> {
    futures_util::stream::unfold(
        (State::Fetch(first), None::<String>),
        |(mut state, mut last_cursor)| async move {
            loop {
                match state {
                    State::Done => return None,
                    State::Yield(mut items, next) => match items.next() {
                        Some(item) => {
                            return Some((Ok(item), (State::Yield(items, next), last_cursor)));
                        }
                        None => {
                            state = next.map_or(State::Done, State::Fetch);
                        }
                    },
                    State::Fetch(request) => match request.clone().fetch().await {
                        Err(e) => return Some((Err(e), (State::Done, last_cursor))),
                        Ok(page) => {
                            let page = page.into_inner();
                            let cursor = page.next_cursor();
                            let next = match cursor {
                                Some(c) if last_cursor.as_ref() != Some(&c) => {
                                    last_cursor = Some(c.clone());
                                    Some(request.with_cursor(c))
                                }
                                _ => None,
                            };
                            state = State::Yield(page.into_items().into_iter(), next);
                        }
                    },
                }
            }
        },
    )
}

/// A `has_more`-like flag, required (`bool`) or optional (`Option<bool>`).
pub trait Flag {
    /// Its value, `false` when absent.
    fn is_set(&self) -> bool;
}

impl Flag for bool {
    fn is_set(&self) -> bool {
        *self
    }
}

impl Flag for Option<bool> {
    fn is_set(&self) -> bool {
        self.unwrap_or(false)
    }
}

/// A cursor-like value, required (`String`) or optional (`Option<String>`).
pub trait Cursor {
    /// Its value, `None` when absent or empty.
    fn cursor(&self) -> Option<String>;
}

impl Cursor for String {
    fn cursor(&self) -> Option<String> {
        (!self.is_empty()).then(|| self.clone())
    }
}

impl Cursor for Option<String> {
    fn cursor(&self) -> Option<String> {
        self.as_ref().and_then(Cursor::cursor)
    }
}
