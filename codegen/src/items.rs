//! Helpers over the generated Rust code (a `syn::File`), shared by the
//! stages that rewrite it (refine, extend, trim, gate) and by the surface:
//! the items of a top-level module, and the name an item is known by.

/// The items of the top-level module `name` (`types`, `builder`), if the
/// code has one.
pub fn module<'a>(file: &'a syn::File, name: &str) -> Option<&'a Vec<syn::Item>> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// [`module`], mutably.
pub fn module_mut<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The last segment of a type path (`super::Pet` -> `Pet`); `None` for
/// references, tuples and other types that are not paths.
pub fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The name an item is known by: its own name, or for an impl the name of
/// its self type (so a type and its impls share one name).
pub fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Const(c) => Some(c.ident.to_string()),
        syn::Item::Static(s) => Some(s.ident.to_string()),
        syn::Item::Impl(imp) => last_segment(&imp.self_ty),
        _ => None,
    }
}

/// Rewrite each item of `items` in place with `f`, and put the items `f`
/// returns for it right after it (a type's new impls stay beside the type).
pub fn rewrite_each<I: IntoIterator<Item = syn::Item>>(
    items: &mut Vec<syn::Item>,
    mut f: impl FnMut(&mut syn::Item) -> I,
) {
    let old = std::mem::take(items);
    items.reserve(old.len());
    for mut item in old {
        let after = f(&mut item);
        items.push(item);
        items.extend(after);
    }
}

/// The value of a string literal expression (`"text"`), as in
/// `#[doc = ".."]` and `#[serde(key = "..")]`; `None` for anything else.
pub fn str_lit(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impl_is_known_by_its_self_type_and_modules_are_found_by_name() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                pub struct Pet;
                impl ::std::fmt::Display for super::types::Pet {}
                impl<'a> Vec<&'a str> {}
            }
        };
        let items = module(&file, "types").unwrap();
        let names: Vec<Option<String>> = items.iter().map(item_name).collect();
        assert_eq!(
            names,
            [Some("Pet".into()), Some("Pet".into()), Some("Vec".into())]
        );
        assert!(module(&file, "builder").is_none());
        module_mut(&mut file, "types").unwrap().pop();
        assert_eq!(module(&file, "types").unwrap().len(), 2);
        let items = module_mut(&mut file, "types").unwrap();
        rewrite_each(items, |item| match item {
            syn::Item::Struct(s) => {
                s.ident = quote::format_ident!("Dog");
                Some(syn::parse_quote!(impl Dog {}))
            }
            _ => None,
        });
        let names: Vec<Option<String>> = items.iter().map(item_name).collect();
        assert_eq!(
            names,
            [Some("Dog".into()), Some("Dog".into()), Some("Pet".into())]
        );
        assert_eq!(last_segment(&syn::parse_quote!(&str)), None);
        assert_eq!(str_lit(&syn::parse_quote!("a\"b")).as_deref(), Some("a\"b"));
        assert_eq!(str_lit(&syn::parse_quote!(1)), None);
    }
}
