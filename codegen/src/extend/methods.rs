//! `methods`: HTTP methods `reqwest::Client` has no shortcut for.
//!
//! progenitor builds each request with `client.client.<method>(url)`, the
//! method's name in lower case. `reqwest::Client` has `get`, `post`, `put`,
//! `patch`, `delete` and `head`; an `OPTIONS` or `TRACE` operation (both
//! are OpenAPI path item methods) would call a method that does not exist
//! (E0599). Such a call becomes `client.client.request(::reqwest::Method::
//! OPTIONS, url)`: the same request, for any method.

use syn::visit_mut::VisitMut;

/// The request methods `reqwest::Client` has a shortcut for.
const SHORTCUTS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

/// The OpenAPI path item methods without one.
const OTHERS: [&str; 2] = ["options", "trace"];

/// Rewrite every such call in the builder module; how many.
pub fn rewrite(builder: &mut [syn::Item]) -> usize {
    struct Calls(usize);
    impl VisitMut for Calls {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            let name = call.method.to_string();
            let on_client = matches!(&*call.receiver, syn::Expr::Field(f)
                if matches!(&f.member, syn::Member::Named(m) if m == "client"));
            if !on_client || SHORTCUTS.contains(&name.as_str()) || !OTHERS.contains(&name.as_str())
            {
                return;
            }
            let method = syn::Ident::new(&name.to_ascii_uppercase(), call.method.span());
            call.method = syn::Ident::new("request", call.method.span());
            call.args
                .insert(0, syn::parse_quote!(::reqwest::Method::#method));
            self.0 += 1;
        }
    }
    let mut calls = Calls(0);
    for item in builder {
        calls.visit_item_mut(item);
    }
    calls.0
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn options_and_trace_become_request_calls() {
        let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
            impl<'a> Probe<'a> {
                pub async fn send(self) {
                    let a = client.client.options(url).header(1, 2).build();
                    let b = client.client.trace(url);
                    let c = client.client.get(url);
                    let d = other.options(url);
                }
            }
        }];
        assert_eq!(super::rewrite(&mut items), 2);
        let text = items[0].to_token_stream().to_string();
        assert!(
            text.contains("client . client . request (:: reqwest :: Method :: OPTIONS , url)"),
            "{text}"
        );
        assert!(
            text.contains("client . client . request (:: reqwest :: Method :: TRACE , url)"),
            "{text}"
        );
        assert!(text.contains("client . client . get (url)"), "{text}");
        assert!(text.contains("other . options (url)"), "{text}");
    }
}
