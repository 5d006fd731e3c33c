//! `status-order`: in every `match response.status().as_u16()`, a status's
//! own arm comes before a range that contains it, and nothing follows a
//! catch-all.
//!
//! The rule is OpenAPI's (Responses Object): "If a response range is
//! defined using an explicit code, the explicit code definition takes
//! precedence over the range definition for that code." progenitor writes
//! the arms in the spec's order, so `400`, `4XX`, `403` made `403`
//! unreachable: a 403 was read as the 4XX body (a wrong type when the two
//! differ) and rustc warned `unreachable pattern` (Box: 307 warnings). The
//! arms are sorted, stably, as exact statuses, then ranges, then the
//! catch-all; arms after the first catch-all (progenitor writes
//! `_ => UnexpectedResponse` after `default`'s `_`) can never match and are
//! removed.

use syn::visit_mut::VisitMut;

/// Order every status match in `items`; the number of matches changed.
pub fn order(items: &mut [syn::Item]) -> usize {
    let mut v = Order { changed: 0 };
    for item in items {
        v.visit_item_mut(item);
    }
    v.changed
}

struct Order {
    changed: usize,
}

/// Whether `m` is progenitor's `match response.status().as_u16() { .. }`,
/// the match of a response's statuses.
pub fn is_status_match(m: &syn::ExprMatch) -> bool {
    matches!(&*m.expr, syn::Expr::MethodCall(c) if c.method == "as_u16")
}

/// 0 for one status (`404u16`), 1 for a range (`400u16..=499u16`), 2 for
/// the catch-all, and 1 for any other pattern (kept in place among ranges).
fn rank(pat: &syn::Pat) -> u8 {
    match pat {
        syn::Pat::Lit(_) => 0,
        syn::Pat::Wild(_) => 2,
        syn::Pat::Ident(i) if i.subpat.is_none() => 2,
        _ => 1,
    }
}

impl VisitMut for Order {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        syn::visit_mut::visit_expr_match_mut(self, m);
        if !is_status_match(m) {
            return;
        }
        let before: Vec<u8> = m.arms.iter().map(|a| rank(&a.pat)).collect();
        m.arms.sort_by_key(|a| rank(&a.pat));
        if let Some(first) = m.arms.iter().position(|a| rank(&a.pat) == 2) {
            m.arms.truncate(first + 1);
        }
        let after: Vec<u8> = m.arms.iter().map(|a| rank(&a.pat)).collect();
        if before != after {
            self.changed += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn an_exact_status_precedes_its_range_and_nothing_follows_the_catch_all() {
        let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
            fn send(response: R) -> u8 {
                match response.status().as_u16() {
                    200u16 => 0,
                    400u16 => 1,
                    400u16..=499u16 => 2,
                    403u16 => 3,
                    _ => 4,
                    _ => 5,
                }
            }
        }];
        assert_eq!(super::order(&mut items), 1);
        let text = items[0].to_token_stream().to_string();
        let arms: Vec<&str> = text
            .split(" => ")
            .map(|s| s.rsplit([',', '{']).next().unwrap_or(s).trim())
            .collect();
        assert_eq!(
            &arms[..5],
            ["200u16", "400u16", "403u16", "400u16 ..= 499u16", "_"],
            "{text}"
        );
        assert!(text.contains("_ => 4"), "{text}");
        assert!(!text.contains("=> 5"), "{text}");
        // Already in order: nothing to change.
        assert_eq!(super::order(&mut items), 0);
    }
}
