//! Step `setter-calls`.
//!
//! **Rule:** a builder's setter converts the value it is given and, when
//! the conversion fails, keeps a message naming the field. progenitor and
//! typify write that conversion out in every setter, a closure and (for
//! the type builders and bodies) a `format!` each: thousands of bodies the
//! compiler checks and lowers one by one. The conversion and the message
//! are one generic function of the runtime (`crate::runtime::builder`), and
//! each setter calls it: `value.try_into()[.map(f)].map_err(|e|
//! format!("..: {e}"))` (or `"..: {}", e`) becomes
//! `crate::runtime::builder::convert(value, "..")[.map(f)]`, and
//! `.map_err(|_| "..".to_string())` becomes `convert_or(value, "..")`, with
//! the same value and the same message (`map` and `map_err` touch
//! different sides of the result, so their order does not matter).
//!
//! Only these exact shapes are rewritten (a message with other
//! placeholders, a receiver that is not a variable stay as written), so the
//! rule holds by construction.

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

/// Rewrite every setter conversion of `file`; how many were rewritten.
pub fn calls(file: &mut syn::File) -> usize {
    let mut rewrite = Rewrite(0);
    rewrite.visit_file_mut(file);
    rewrite.0
}

struct Rewrite(usize);

impl VisitMut for Rewrite {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some(call) = conversion(expr) {
            *expr = call;
            self.0 += 1;
        } else {
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
}

/// The runtime call that does what `expr` does, if it is a setter's
/// conversion this step knows.
fn conversion(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::MethodCall(map_err) = expr else {
        return None;
    };
    if map_err.method != "map_err" || map_err.args.len() != 1 {
        return None;
    }
    // `value.try_into()`, optionally followed by `.map(path)` (`Some`,
    // `From::from`): `map` and `map_err` commute.
    let (try_into, then) = match &*map_err.receiver {
        syn::Expr::MethodCall(m) if m.method == "map" && m.args.len() == 1 => {
            let syn::Expr::Path(p) = &m.args[0] else {
                return None;
            };
            (&*m.receiver, Some(p))
        }
        other => (other, None),
    };
    let syn::Expr::MethodCall(t) = try_into else {
        return None;
    };
    if t.method != "try_into" || !t.args.is_empty() {
        return None;
    }
    let syn::Expr::Path(value) = &*t.receiver else {
        return None;
    };
    let value = value.path.get_ident()?;
    let syn::Expr::Closure(closure) = &map_err.args[0] else {
        return None;
    };
    let call: syn::Expr = match message(closure)? {
        Message::Prefix(prefix) => {
            syn::parse_quote!(crate::runtime::builder::convert(#value, #prefix))
        }
        Message::Fixed(text) => {
            syn::parse_quote!(crate::runtime::builder::convert_or(#value, #text))
        }
    };
    Some(match then {
        Some(path) => syn::parse_quote!(#call.map(#path)),
        None => call,
    })
}

/// What a setter's error closure makes of the conversion's error.
enum Message {
    /// `|e| format!("{prefix}: {e}")`.
    Prefix(String),
    /// `|_| "text".to_string()`.
    Fixed(String),
}

fn message(closure: &syn::ExprClosure) -> Option<Message> {
    if closure.inputs.len() != 1 {
        return None;
    }
    match (&closure.inputs[0], &*closure.body) {
        (syn::Pat::Ident(e), syn::Expr::Macro(m)) if m.mac.path.is_ident("format") => {
            // `format!("..: {e}")` or `format!("..: {}", e)`.
            let args = m
                .mac
                .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
                .ok()?;
            let text = crate::items::str_lit(args.first()?)?;
            let prefix = match args.len() {
                1 => text.strip_suffix(&format!(": {{{}}}", e.ident))?,
                2 => {
                    let syn::Expr::Path(arg) = &args[1] else {
                        return None;
                    };
                    if arg.path.get_ident()? != &e.ident {
                        return None;
                    }
                    text.strip_suffix(": {}")?
                }
                _ => return None,
            };
            (!prefix.contains(['{', '}'])).then(|| Message::Prefix(prefix.to_owned()))
        }
        (syn::Pat::Wild(_), syn::Expr::MethodCall(m))
            if m.method == "to_string" && m.args.is_empty() =>
        {
            Some(Message::Fixed(crate::items::str_lit(&m.receiver)?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::{ToTokens, quote};

    fn run(body: proc_macro2::TokenStream) -> (usize, String) {
        let mut file: syn::File = syn::parse_quote!(impl B { #body });
        let n = calls(&mut file);
        (n, file.to_token_stream().to_string())
    }

    #[test]
    fn setter_conversions_call_the_runtime() {
        let (n, code) = run(quote! {
            pub fn role<T>(mut self, value: T) -> Self where T: TryInto<Role>, T::Error: Display {
                self.role = value.try_into().map_err(|e| format!("error converting supplied value for role: {e}"));
                self
            }
            pub fn id<T>(mut self, value: T) -> Self where T: TryInto<Option<String>>, T::Error: Display {
                self.id = value.try_into().map(::std::option::Option::Some).map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn body<V>(mut self, value: V) -> Self where V: TryInto<Req>, V::Error: Display {
                self.body = value.try_into().map(From::from).map_err(|s| format!("conversion to `Req` for body failed: {}", s));
                self
            }
            pub fn key<V>(mut self, value: V) -> Self where V: TryInto<String> {
                self.key = value.try_into().map(Some).map_err(|_| "conversion to `String` for key failed".to_string());
                self
            }
        });
        assert_eq!(n, 4, "{code}");
        assert!(code.contains(r#"self . body = crate :: runtime :: builder :: convert (value , "conversion to `Req` for body failed") . map (From :: from) ;"#), "{code}");
        assert!(code.contains(r#"self . role = crate :: runtime :: builder :: convert (value , "error converting supplied value for role") ;"#), "{code}");
        assert!(code.contains(r#"self . id = crate :: runtime :: builder :: convert (value , "error converting supplied value for id") . map (:: std :: option :: Option :: Some) ;"#), "{code}");
        assert!(code.contains(r#"self . key = crate :: runtime :: builder :: convert_or (value , "conversion to `String` for key failed") . map (Some) ;"#), "{code}");
    }

    #[test]
    fn other_shapes_stay() {
        let (n, code) = run(quote! {
            pub fn a(mut self, value: T) -> Self {
                self.a = value.try_into().map(From::from).map_err(|e| format!("a: {e} {e}"));
                self.b = value.try_into().map_err(|e| format!("b {e}: {e}"));
                self.e = value.try_into().map_err(|e| format!("e: {}", other));
                self.c = self.x.try_into().map_err(|_| "c".to_string());
                self.d = value.try_into().map_err(|e| e.to_string());
                self
            }
        });
        assert_eq!(n, 0, "{code}");
    }
}
