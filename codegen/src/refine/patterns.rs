//! `unicode-patterns`: a `pattern` is read as JSON Schema validators read it.
//!
//! typify checks a string's `pattern` with `regress::Regex::new(..)`, which
//! compiles it without ECMA-262's `u` flag. Without it `\p{L}` is no
//! Unicode class (a letter), so a value every JSON Schema validator takes
//! (Amazon Translate's `JobId: ^([\p{L}\p{Z}\p{N}_.:/=+\-%@]*)$`, `NextToken:
//! \p{ASCII}{0,8192}`) fails to deserialize. Every such pattern that
//! compiles with the flag is compiled with it; one that only compiles
//! without (identity escapes the flag forbids, `\_`) keeps its reading.

use syn::visit_mut::VisitMut;

/// Rewrite every pattern among `items`; returns how many.
pub fn unicode(items: &mut [syn::Item]) -> usize {
    let mut visitor = Unicode(0);
    for item in items.iter_mut() {
        visitor.visit_item_mut(item);
    }
    visitor.0
}

struct Unicode(usize);

impl VisitMut for Unicode {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        let syn::Expr::Call(call) = e else { return };
        let syn::Expr::Path(func) = &*call.func else {
            return;
        };
        let segments: Vec<String> = func
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if !segments.ends_with(&["regress".into(), "Regex".into(), "new".into()]) {
            return;
        }
        let [
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(pattern),
                ..
            }),
        ] = call.args.iter().collect::<Vec<_>>().as_slice()
        else {
            return;
        };
        if regress::Regex::with_flags(&pattern.value(), "u").is_err() {
            return;
        }
        let pattern = pattern.clone();
        *e = syn::parse_quote!(::regress::Regex::with_flags(#pattern, "u"));
        self.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn patterns_that_compile_with_the_unicode_flag_take_it() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                fn a() { let r = ::regress::Regex::new("^[\\p{L}\\p{N}]*$").unwrap(); }
                fn b() { let r = ::regress::Regex::new("^a\\_b$").unwrap(); }
            }
        };
        let items = crate::items::module_mut(&mut file, "types").unwrap();
        assert_eq!(super::unicode(items), 1);
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains(":: regress :: Regex :: with_flags (\"^[\\\\p{L}\\\\p{N}]*$\" , \"u\")"),
            "{code}"
        );
        assert!(
            code.contains(":: regress :: Regex :: new (\"^a\\\\_b$\")"),
            "an identity escape the flag forbids keeps its reading: {code}"
        );
        // The rewritten pattern reads a letter as JSON Schema does.
        let letters = regress::Regex::with_flags("^[\\p{L}]*$", "u").unwrap();
        assert!(letters.find("Straße").is_some());
    }
}
