//! The type builders on the second core.
//!
//! progenitor writes a builder for every type into `mod types { pub mod
//! builder { .. } }`: about 45% of the code (OpenAI: 184k of 410k lines).
//! No later stage edits that module except for renames made across the
//! whole file. So [`generate`](super::generate) runs progenitor a second
//! time on another thread (its tokens are not `Send`: each thread makes its
//! own), and that thread parses and formats only the builders
//! ([`Worker::run`]), while this one parses, refines, extends and connects
//! the rest with the module left empty ([`without_type_builders`]). The
//! renames made meanwhile are sent over as [`Rewrite`]s, and [`splice`]
//! puts the builders' text where prettyplease prints the empty module.
//!
//! The result is the same bytes as formatting the whole file on one
//! thread (`tests::the_split_formats_as_the_whole_file`; when this was
//! written, OpenAI 3.1 and all 27 corpus specs were generated both ways and
//! compared; `cargo xtask generate --check` compares the checked-in crates).

use std::sync::mpsc::Receiver;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// A rewrite made across the whole file (a rename) that the builders get
/// too, in the order it was made.
pub type Rewrite = Box<dyn Fn(&mut syn::File) + Send + Sync>;

/// The renames of one generation, shared by both threads.
pub type Rewrites = std::sync::Arc<Vec<Rewrite>>;

/// Where the module's items start in the formatted text: two levels deep.
const OPEN: &str = "pub mod types {\n    pub mod builder {\n";
const CLOSE: &str = "    }\n}\n";
/// The empty module in the formatted text of the rest.
const EMPTY: &str = "\n    pub mod builder {}\n";

/// The index in `trees` of the body of `mod <name> { .. }`.
fn module_body(trees: &[TokenTree], name: &str) -> Option<usize> {
    trees
        .windows(3)
        .position(|w| match w {
            [
                TokenTree::Ident(m),
                TokenTree::Ident(n),
                TokenTree::Group(g),
            ] => m == "mod" && n == name && g.delimiter() == Delimiter::Brace,
            _ => false,
        })
        .map(|i| i + 2)
}

/// `tokens` with the body of `types::builder` emptied, and that body
/// (`None`, and `tokens` unchanged, when there is none).
pub fn without_type_builders(tokens: TokenStream) -> (TokenStream, Option<TokenStream>) {
    let mut top: Vec<TokenTree> = tokens.into_iter().collect();
    let body = take_type_builders(&mut top);
    (top.into_iter().collect(), body)
}

/// Take the body of `types::builder` out of the top-level `trees`, leaving
/// the module empty (`None`, and `trees` unchanged: no such module, or an
/// empty one).
fn take_type_builders(top: &mut [TokenTree]) -> Option<TokenStream> {
    let t = module_body(top, "types")?;
    let TokenTree::Group(types) = &top[t] else {
        return None;
    };
    let mut inner: Vec<TokenTree> = types.stream().into_iter().collect();
    let b = module_body(&inner, "builder")?;
    let TokenTree::Group(builders) = &inner[b] else {
        return None;
    };
    let body = builders.stream();
    if body.is_empty() {
        return None;
    }
    let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
    empty.set_span(builders.span());
    inner[b] = TokenTree::Group(empty);
    let mut emptied = Group::new(Delimiter::Brace, inner.into_iter().collect());
    emptied.set_span(types.span());
    top[t] = TokenTree::Group(emptied);
    Some(body)
}

/// `body` parsed, in a file of its own (`mod types { mod builder { .. } }`,
/// as deep as in the code, so it formats the same).
fn builders_file(body: TokenStream) -> syn::Result<syn::File> {
    let mut file = syn::parse2::<syn::File>(body)?;
    let items = std::mem::take(&mut file.items);
    file.items = vec![module("types", vec![module("builder", items)])];
    Ok(file)
}

/// Put the builders' items back into `file`, renamed (the one-thread way:
/// when the other thread could not format them).
pub fn restore(file: &mut syn::File, body: TokenStream, rewrites: &[Rewrite]) -> syn::Result<()> {
    let mut parsed = builders_file(body)?;
    for rewrite in rewrites {
        rewrite(&mut parsed);
    }
    let items = module_content(&mut parsed)
        .map(std::mem::take)
        .unwrap_or_default();
    let content = module_content(file).ok_or_else(|| {
        syn::Error::new(
            proc_macro2::Span::call_site(),
            "the code has no `types::builder` module to restore",
        )
    })?;
    *content = items;
    Ok(())
}

/// The items of `types::builder` in `file`.
fn module_content(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    crate::items::module_mut(file, "types")?
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(builders) if builders.ident == "builder" => {
                builders.content.as_mut().map(|(_, items)| items)
            }
            _ => None,
        })
}

/// The other thread's work: the builders of one generation.
pub struct Worker<'a> {
    /// progenitor's tokens, made on the worker's own thread.
    pub tokens: Box<dyn FnOnce() -> Option<TokenStream> + Send + 'a>,
    /// The renames of this thread, once made (a closed channel: give up).
    pub rewrites: Receiver<Rewrites>,
}

impl Worker<'_> {
    /// The builders' items, formatted as prettyplease formats them inside
    /// `types::builder` (`None`: no builders, or the generation failed).
    pub fn run(self) -> Option<String> {
        // Only the body is wanted here: the rest of these tokens is dropped.
        let mut top: Vec<TokenTree> = (self.tokens)()?.into_iter().collect();
        let body = take_type_builders(&mut top)?;
        drop(top);
        let mut file = builders_file(body).ok()?;
        for rewrite in self.rewrites.recv().ok()?.iter() {
            rewrite(&mut file);
        }
        let text = prettyplease::unparse(&file);
        text.strip_prefix(OPEN)?
            .strip_suffix(CLOSE)
            .map(str::to_owned)
    }
}

/// `pub mod <name> { <items> }`.
fn module(name: &str, items: Vec<syn::Item>) -> syn::Item {
    syn::Item::Mod(syn::ItemMod {
        attrs: Vec::new(),
        vis: syn::Visibility::Public(Default::default()),
        unsafety: None,
        mod_token: Default::default(),
        ident: syn::Ident::new(name, proc_macro2::Span::call_site()),
        content: Some((Default::default(), items)),
        semi: None,
    })
}

/// `code` (formatted with `types::builder` empty) with the builders'
/// formatted items in the module (`None`: `code` has no empty module).
pub fn splice(code: &str, builders: &str) -> Option<String> {
    let at = code.find(EMPTY)?;
    let mut out = String::with_capacity(code.len() + builders.len() + 32);
    out.push_str(&code[..at]);
    out.push_str("\n    pub mod builder {\n");
    out.push_str(builders);
    out.push_str("    }\n");
    out.push_str(&code[at + EMPTY.len()..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> TokenStream {
        quote::quote! {
            pub mod types {
                /// A type.
                #[derive(Clone, Debug)]
                pub struct Pet { pub name: ::std::string::String }
                /// Types for composing complex structures.
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Pet { name: ::std::result::Result<::std::string::String, ::std::string::String> }
                    impl Pet {
                        pub fn name<T>(mut self, value: T) -> Self where T: ::std::convert::TryInto<::std::string::String>, T::Error: ::std::fmt::Display {
                            self.name = value.try_into().map_err(|e| format!("error converting supplied value for name: {e}"));
                            self
                        }
                    }
                }
                pub mod error {}
            }
            pub struct Client;
            pub mod builder { pub struct GetPet; }
        }
    }

    #[test]
    fn the_split_formats_as_the_whole_file() {
        let whole = prettyplease::unparse(&syn::parse2(code()).unwrap());
        let (rest, body) = without_type_builders(code());
        assert!(body.is_some());
        let rest = prettyplease::unparse(&syn::parse2(rest).unwrap());
        assert!(rest.contains(EMPTY), "{rest}");
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(std::sync::Arc::new(Vec::new())).unwrap();
        let builders = Worker {
            tokens: Box::new(|| Some(code())),
            rewrites: rx,
        }
        .run()
        .unwrap();
        assert!(
            builders.starts_with("        #[derive(Clone, Debug)]\n"),
            "{builders}"
        );
        assert_eq!(splice(&rest, &builders).unwrap(), whole);
    }

    #[test]
    fn renames_reach_the_builders_and_restore_puts_them_back() {
        let (rest, body) = without_type_builders(code());
        let rename: Rewrite = Box::new(|file: &mut syn::File| {
            struct R;
            impl syn::visit_mut::VisitMut for R {
                fn visit_ident_mut(&mut self, i: &mut proc_macro2::Ident) {
                    if i == "Pet" {
                        *i = proc_macro2::Ident::new("Animal", i.span());
                    }
                }
            }
            syn::visit_mut::VisitMut::visit_file_mut(&mut R, file);
        });
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(std::sync::Arc::new(vec![rename])).unwrap();
        let builders = Worker {
            tokens: Box::new(|| Some(code())),
            rewrites: rx,
        }
        .run()
        .unwrap();
        assert!(builders.contains("pub struct Animal {"), "{builders}");
        assert!(!builders.contains("Pet"), "{builders}");

        let mut file: syn::File = syn::parse2(rest).unwrap();
        restore(&mut file, body.unwrap(), &[]).unwrap();
        assert_eq!(
            prettyplease::unparse(&file),
            prettyplease::unparse(&syn::parse2(code()).unwrap())
        );
    }

    #[test]
    fn without_builders_nothing_is_split() {
        fn code() -> TokenStream {
            quote::quote! { pub mod types { pub struct A; } pub struct Client; }
        }
        let (rest, body) = without_type_builders(code());
        assert!(body.is_none());
        assert_eq!(rest.to_string(), code().to_string());
        let (_tx, rx) = std::sync::mpsc::channel();
        let worker = Worker {
            tokens: Box::new(|| Some(code())),
            rewrites: rx,
        };
        assert_eq!(worker.run(), None);
    }

    #[test]
    fn a_closed_channel_gives_up() {
        let (tx, rx) = std::sync::mpsc::channel::<Rewrites>();
        drop(tx);
        let worker = Worker {
            tokens: Box::new(|| Some(code())),
            rewrites: rx,
        };
        assert_eq!(worker.run(), None);
    }
}
