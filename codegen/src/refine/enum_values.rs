//! `enum-values`: the values and variant names of the enums whose values
//! typify cannot name, put back.
//!
//! [`crate::normalize::typify_limits`] gave typify placeholder values
//! (`x-codegen-value-7`) and recorded, in the document, each one's wire
//! value and the variant name made for it. typify named the variants after
//! the placeholders (`XCodegenValue7`). Here every use of such a variant
//! name becomes the made name, each placeholder string (in `Display`,
//! `FromStr`, docs) becomes the wire value, and each variant's
//! `#[serde(rename)]` names the wire value: what goes over the wire is the
//! spec's value.

use std::collections::HashMap;

use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::normalize::typify_limits::{ENUM_VALUES, PLACEHOLDER};

/// Put the spec's values back into `file`; returns how many variants. The
/// renames are pushed to `rewrites`, for code formatted apart.
pub fn restore(
    file: &mut syn::File,
    doc: &Value,
    rewrites: &mut Vec<crate::generate::type_builders::Rewrite>,
) -> usize {
    let Some(Value::Object(map)) = doc.get(ENUM_VALUES) else {
        return 0;
    };
    let values: HashMap<String, (String, String)> = map
        .iter()
        .filter_map(|(placeholder, entry)| {
            let wire = entry.get(0)?.as_str()?.to_owned();
            let name = entry.get(1)?.as_str()?.to_owned();
            Some((placeholder.clone(), (wire, name)))
        })
        .collect();
    let mut renames = Renames {
        values,
        idents: HashMap::new(),
        variants: 0,
    };
    renames.find_variants(&mut file.items);
    renames.visit_file_mut(file);
    let variants = renames.variants;
    if variants > 0 {
        rewrites.push(Box::new(move |file| renames.clone().visit_file_mut(file)));
    }
    variants
}

#[derive(Clone)]
struct Renames {
    /// placeholder -> (wire value, variant name).
    values: HashMap<String, (String, String)>,
    /// typify's variant name -> the made one.
    idents: HashMap<String, String>,
    variants: usize,
}

impl Renames {
    /// Give each placeholder variant its wire value as `rename`, and learn
    /// typify's name for it.
    fn find_variants(&mut self, items: &mut [syn::Item]) {
        for item in items {
            match item {
                syn::Item::Enum(e) => {
                    for v in &mut e.variants {
                        let wire = super::serde_str(&v.attrs, "rename")
                            .unwrap_or_else(|| v.ident.to_string());
                        let Some((value, name)) = self.values.get(&wire) else {
                            continue;
                        };
                        v.attrs.retain(|a| !a.path().is_ident("serde"));
                        v.attrs.push(syn::parse_quote!(#[serde(rename = #value)]));
                        self.idents.insert(v.ident.to_string(), name.clone());
                        self.variants += 1;
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &mut m.content {
                        self.find_variants(items);
                    }
                }
                _ => {}
            }
        }
    }
}

impl VisitMut for Renames {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if let Some(new) = self.idents.get(&ident.to_string()) {
            *ident = syn::Ident::new(new, ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let text = lit.value();
        if !text.contains(PLACEHOLDER) {
            return;
        }
        let new = match self.values.get(&text) {
            Some((wire, _)) => wire.clone(),
            // Inside docs (typify shows the schema as JSON): `"x-codegen-value-7"`.
            None => {
                let mut out = text;
                for (placeholder, (wire, _)) in &self.values {
                    let quoted = format!("\"{placeholder}\"");
                    if out.contains(&quoted) {
                        let json = serde_json::to_string(wire).unwrap_or_default();
                        out = out.replace(&quoted, &json);
                    }
                }
                out
            }
        };
        *lit = syn::LitStr::new(&new, lit.span());
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use serde_json::json;

    #[test]
    fn placeholders_become_the_spec_values() {
        let mut file: syn::File = syn::parse_quote! {
            mod types {
                #[doc = "```json\n{\"enum\": [\"x-codegen-value-1\", \"x-codegen-value-2\"]}\n```"]
                pub enum Order {
                    #[serde(rename = "x-codegen-value-1")]
                    XCodegenValue1,
                    #[serde(rename = "x-codegen-value-2")]
                    XCodegenValue2,
                }
                impl ::std::fmt::Display for Order {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self {
                            Self::XCodegenValue1 => f.write_str("x-codegen-value-1"),
                            Self::XCodegenValue2 => f.write_str("x-codegen-value-2"),
                        }
                    }
                }
            }
        };
        let doc = json!({"x-codegen-enum-values": {
            "x-codegen-value-1": ["-created", "MinusCreated"],
            "x-codegen-value-2": ["+created", "PlusCreated"],
        }});
        let mut rewrites = Vec::new();
        assert_eq!(super::restore(&mut file, &doc, &mut rewrites), 2);
        assert_eq!(rewrites.len(), 1, "the renames, for the type builders");
        let code = file.to_token_stream().to_string();
        assert!(!code.contains("x-codegen-value"), "{code}");
        assert!(!code.contains("XCodegenValue"), "{code}");
        assert!(
            code.contains("# [serde (rename = \"-created\")] MinusCreated"),
            "{code}"
        );
        assert!(
            code.contains("Self :: PlusCreated => f . write_str (\"+created\")"),
            "{code}"
        );
        assert!(code.contains(r#"[\"-created\", \"+created\"]"#), "{code}");
    }
}
