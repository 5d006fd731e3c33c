//! Step `codegen-on-use`.
//!
//! **Rule:** a library compiles each of its non-generic functions to
//! machine code whether or not a consumer ever calls it; a generic one, or
//! an `#[inline]` one, only in the crate that calls it. A generated client
//! is a library of thousands of small conversions (`TryFrom<&str>`,
//! `FromStr`, `Display`, `as_str`, a builder's `TryFrom`, `Default`) and a
//! `send` per operation, of which a consumer calls a few: on OpenAI's API
//! the conversions of string enums alone were a third of what the compiler
//! handed to LLVM (`-Zdump-mono-stats`). Every function the generator
//! writes in an `impl` or at a module's top level, that is neither generic
//! over a type or constant (those are compiled where used already) nor
//! already marked, gets `#[inline]`: the crate still type-checks all of
//! them, and a consumer compiles to machine code only what it calls.
//!
//! What `#[inline]` changes is where code is compiled and what the
//! optimizer may inline, never behaviour. Functions nested in a body (a
//! reader's visitor) are left alone: they sit in generic code. Derived
//! impls cannot be marked here (they are written by the compiler later);
//! the standard library's derives mark their own.

/// Mark the functions of `file`; how many were marked.
pub fn mark(file: &mut syn::File) -> usize {
    mark_items(&mut file.items)
}

fn mark_items(items: &mut [syn::Item]) -> usize {
    let mut count = 0;
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &mut m.content {
                    count += mark_items(items);
                }
            }
            syn::Item::Fn(f) if monomorphic(&f.sig.generics) => {
                count += usize::from(add_inline(&mut f.attrs));
            }
            syn::Item::Impl(imp) if monomorphic(&imp.generics) => {
                for member in &mut imp.items {
                    if let syn::ImplItem::Fn(f) = member
                        && monomorphic(&f.sig.generics)
                    {
                        count += usize::from(add_inline(&mut f.attrs));
                    }
                }
            }
            _ => {}
        }
    }
    count
}

/// Whether `generics` declare no type or const parameter (lifetimes do not
/// make a function generic for the compiler's code generation).
fn monomorphic(generics: &syn::Generics) -> bool {
    generics
        .params
        .iter()
        .all(|p| matches!(p, syn::GenericParam::Lifetime(_)))
}

/// Add `#[inline]` unless an `inline` attribute is already there.
fn add_inline(attrs: &mut Vec<syn::Attribute>) -> bool {
    if attrs.iter().any(|a| a.path().is_ident("inline")) {
        return false;
    }
    attrs.push(syn::parse_quote!(#[inline]));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn monomorphic_functions_are_marked_and_generic_ones_are_not() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                impl ::std::str::FromStr for Kind {
                    type Err = String;
                    fn from_str(value: &str) -> Result<Self, String> { todo!() }
                }
                impl<'a> Wrapper<'a> {
                    pub fn get(&self) -> &'a str { self.0 }
                    pub fn set<V: Into<String>>(self, value: V) -> Self { self }
                }
                impl<T> Holder<T> {
                    pub fn take(self) -> T { self.0 }
                }
                impl<'de> ::serde::Deserialize<'de> for Kind {
                    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
                    where
                        D: ::serde::Deserializer<'de>,
                    {
                        fn nested() {}
                        todo!()
                    }
                }
                #[inline(always)]
                pub fn helper() {}
                pub mod builder {
                    impl Default for Kind {
                        fn default() -> Self { todo!() }
                    }
                }
            }
            impl Client {
                pub async fn send(&self) {}
            }
        };
        assert_eq!(mark(&mut file), 4);
        let code = file.to_token_stream().to_string();
        for marked in [
            "# [inline] fn from_str",
            "# [inline] pub fn get",
            "# [inline] fn default",
            "# [inline] pub async fn send",
        ] {
            assert!(code.contains(marked), "{marked} in {code}");
        }
        for unmarked in [
            "# [inline] pub fn set",
            "# [inline] pub fn take",
            "# [inline] fn deserialize",
            "# [inline] fn nested",
            "# [inline] # [inline",
        ] {
            assert!(!code.contains(unmarked), "{unmarked} in {code}");
        }
        // A second run finds everything marked.
        assert_eq!(mark(&mut file), 0);
    }
}
