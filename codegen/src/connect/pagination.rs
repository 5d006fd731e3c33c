//! Cursor pagination: `stream()` on the builder of every list operation that
//! pages with a cursor, read off the generated surface (so it sees the
//! names and types typify made, not guesses from the spec):
//!
//! - a `GET` whose builder has a setter for the cursor parameter
//!   (`[pagination] cursor_param`, default `after`);
//! - whose success type is a struct with the items array (`items`, default
//!   `data`) of a generated type, a `has_more` flag (`bool` or
//!   `Option<bool>`), and either a cursor property (`cursor_fields`,
//!   default `last_id` or `next`; `String` or `Option<String>`) or items
//!   with a required string `id` (the last one's is the cursor).
//!
//! Each gets `impl runtime::CursorPage` for its page type,
//! `impl runtime::Paginated` for its builder, and
//! `builder.stream()`: `runtime::pagination::items(builder)`, every item of
//! every page, fetched lazily. `[pagination] exclude_operations` opts out.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::Pagination;
use crate::surface::{Surface, TypeKind};

/// A paginated operation, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged {
    /// The operation (Rust method name).
    pub operation: String,
    /// The page type (in `types`).
    pub page: String,
    /// The item type (in `types`).
    pub item: String,
    /// The page's items field, flag field, and cursor field (or, when
    /// `None`, the item's `id` field).
    fields: (String, String, Option<String>),
    /// The item's `id` field, when the cursor is taken from the last item.
    item_id: Option<String>,
    /// Whether the items field is an `Option<Vec<..>>`.
    optional: bool,
}

/// The paginated operations of `surface`.
pub fn find(surface: &Surface, settings: &Pagination) -> Vec<Paged> {
    let mut out = Vec::new();
    for (name, op) in &surface.operations {
        if op.http_method != "GET"
            || settings.exclude_operations.contains(name)
            || !op.params.iter().any(|p| {
                p.name
                    == crate::naming::sanitize(&settings.cursor_param, crate::naming::Case::Snake)
            })
        {
            continue;
        }
        let Some(TypeKind::Struct(fields)) = surface.types.get(&op.success).map(|t| &t.kind) else {
            continue;
        };
        let by_wire = |wire: &str| fields.iter().find(|(_, f)| f.wire == wire);
        let Some((items_field, items)) = by_wire(&settings.items) else {
            continue;
        };
        // An optional list (`keep-empty`) is read as empty when absent.
        let optional = items.ty.starts_with("Option<Vec<");
        let Some(item) = items
            .ty
            .strip_prefix("Option<")
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(&items.ty)
            .strip_prefix("Vec<")
            .and_then(|t| t.strip_suffix('>'))
            .filter(|t| surface.types.contains_key(*t))
        else {
            continue;
        };
        let Some((flag_field, _)) = by_wire(&settings.has_more)
            .filter(|(_, f)| matches!(f.ty.as_str(), "bool" | "Option<bool>"))
        else {
            continue;
        };
        let cursor = settings
            .cursor_fields
            .iter()
            .filter_map(|wire| by_wire(wire))
            .find(|(_, f)| matches!(f.ty.as_str(), "String" | "Option<String>"))
            .map(|(name, _)| name.clone());
        let item_id = match &cursor {
            Some(_) => None,
            None => match surface.types.get(item).map(|t| &t.kind) {
                Some(TypeKind::Struct(item_fields)) => item_fields
                    .iter()
                    .find(|(_, f)| f.wire == "id" && f.ty == "String")
                    .map(|(name, _)| name.clone()),
                _ => None,
            },
        };
        if cursor.is_none() && item_id.is_none() {
            continue;
        }
        out.push(Paged {
            operation: name.clone(),
            page: op.success.clone(),
            item: item.to_owned(),
            fields: (items_field.clone(), flag_field.clone(), cursor),
            item_id,
            optional,
        });
    }
    out
}

/// The impls and `stream()` methods for the paginated operations of `file`.
pub fn impls(file: &mut syn::File, surface: &Surface, settings: &Pagination) -> Vec<TokenStream> {
    let paged = find(surface, settings);
    if paged.is_empty() {
        return Vec::new();
    }
    let Some(builders) = crate::items::module_mut(file, "builder") else {
        return Vec::new();
    };
    let index = crate::extend::index_builders(builders);
    let cursor_setter = format_ident!(
        "{}",
        crate::naming::sanitize(&settings.cursor_param, crate::naming::Case::Snake)
    );
    let mut pages_done = BTreeSet::new();
    let mut out = Vec::new();
    for p in paged {
        let Some(syn::Item::Impl(imp)) = index.get(&p.operation).map(|&at| &builders[at]) else {
            continue;
        };
        let syn::Type::Path(builder) = &*imp.self_ty else {
            continue;
        };
        let Some(builder) = builder.path.segments.last().map(|s| s.ident.clone()) else {
            continue;
        };
        let Some(error) = error_type(imp) else {
            continue;
        };
        let page = format_ident!("{}", p.page);
        let item = format_ident!("{}", p.item);
        let (items, flag, cursor) = (
            format_ident!("{}", p.fields.0),
            format_ident!("{}", p.fields.1),
            p.fields.2.as_ref().map(|c| format_ident!("{c}")),
        );
        if pages_done.insert(p.page.clone()) {
            let into_items = if p.optional {
                quote!(self.#items.unwrap_or_default())
            } else {
                quote!(self.#items)
            };
            let next = match (cursor, &p.item_id) {
                (Some(cursor), _) => quote!(Cursor::cursor(&self.#cursor)),
                (None, Some(id)) => {
                    let id = format_ident!("{id}");
                    let list = if p.optional {
                        quote!(self.#items.as_deref().unwrap_or_default())
                    } else {
                        quote!(self.#items)
                    };
                    quote!(#list.last().and_then(|item| Cursor::cursor(&item.#id)))
                }
                (None, None) => continue,
            };
            out.push(quote! {
                impl crate::runtime::CursorPage for types::#page {
                    type Item = types::#item;
                    fn next_cursor(&self) -> Option<String> {
                        use crate::runtime::pagination::{Cursor, Flag};
                        if !Flag::is_set(&self.#flag) {
                            return None;
                        }
                        #next
                    }
                    fn into_items(self) -> Vec<types::#item> {
                        #into_items
                    }
                }
            });
        }
        out.push(quote! {
            impl<'a> crate::runtime::Paginated for builder::#builder<'a> {
                type Page = types::#page;
                type Error = #error;
                fn with_cursor(self, cursor: String) -> Self {
                    self.#cursor_setter(cursor)
                }
                fn fetch(
                    self,
                ) -> impl ::std::future::Future<
                    Output = Result<ResponseValue<types::#page>, Error<#error>>,
                > + Send {
                    self.send()
                }
            }

            impl<'a> builder::#builder<'a> {
                /// Every item of every page, as a stream: the next page is
                /// fetched only when the items before it have been taken,
                /// until the API says there are no more. An error ends the
                /// stream.
                pub fn stream(
                    self,
                ) -> impl crate::runtime::pagination::Stream<
                    Item = Result<types::#item, Error<#error>>,
                > + 'a {
                    crate::runtime::pagination::items(self)
                }
            }
        });
    }
    out
}

/// `E` of the `Result<_, Error<E>>` that the builder's `send()` returns, as
/// written there (`types::Error`, `()`, `ByteStream`, `Vec<types::Error>`):
/// the impls sit at the file's root, where those paths mean the same.
fn error_type(imp: &syn::ItemImpl) -> Option<syn::Type> {
    let mut output = crate::extend::send_fn(imp)?.sig.output.clone();
    let syn::Type::Path(error) = crate::extend::result_arg(&mut output, 1)? else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &error.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}
