//! Stage 2, **validate**: find what progenitor would reject or panic on,
//! before it runs, and report every problem at once with its location.
//!
//! Checks here are about the document's *shape*, which the type system of
//! `openapiv3` does not enforce: the OpenAPI version, operationIds, and
//! path templates versus path parameters.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use crate::Diagnostic;
use crate::load::Spec;

/// Every problem found in `spec`, in document order. Empty means "go ahead".
pub fn validate(spec: &Spec) -> Vec<Diagnostic> {
    let file = spec.display_path.as_str();
    let api = &spec.api;
    let mut out = Vec::new();

    if !api.openapi.trim().starts_with("3.0.") {
        out.push(
            Diagnostic::new(
                file,
                format!(
                    "unsupported OpenAPI version `{}`: the generator reads OpenAPI 3.0.x",
                    api.openapi
                ),
            )
            .at("openapi")
            .hint(
                "convert the document to OpenAPI 3.0 (Swagger 2.0 documents need converting first)",
            ),
        );
    }

    let mut seen_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let item_path = format!("paths.{path}");
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                out.push(
                    Diagnostic::new(file, format!("path item is a reference (`{reference}`)"))
                        .at(item_path)
                        .hint("inline the path item: the generator does not follow path-item references"),
                );
                continue;
            }
        };
        let template_vars = template_variables(path);
        for (method, op) in item.iter() {
            let op_path = format!("{item_path}.{method}");
            let op_name = op.operation_id.clone();

            match &op.operation_id {
                None => out.push(
                    Diagnostic::new(file, "operation has no operationId")
                        .at(op_path.clone())
                        .hint("add `operationId: <unique-name>`: it becomes the Rust method name"),
                ),
                Some(id) => {
                    if let Some(first) = seen_ids.get(id.as_str()) {
                        out.push(
                            Diagnostic::new(
                                file,
                                format!("operationId `{id}` is already used at `{first}`"),
                            )
                            .at(format!("{op_path}.operationId"))
                            .hint("operationIds must be unique: rename one of them"),
                        );
                    } else {
                        seen_ids.insert(id, op_path.clone());
                    }
                }
            }

            // Path parameters: the path item's, overridden by the operation's.
            let mut declared: BTreeMap<String, String> = BTreeMap::new();
            let params = item
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("{item_path}.parameters[{i}]"), p))
                .chain(
                    op.parameters
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (format!("{op_path}.parameters[{i}]"), p)),
                );
            for (at, param) in params {
                match resolve_parameter(api, param) {
                    Ok(Parameter::Path { parameter_data, .. }) => {
                        declared.insert(parameter_data.name.clone(), at);
                    }
                    Ok(_) => {}
                    Err(message) => {
                        let mut d = Diagnostic::new(file, message).at(at).hint(
                            "point `$ref` at an entry of `components.parameters` in this file",
                        );
                        if let Some(id) = &op_name {
                            d = d.operation(id.clone());
                        }
                        out.push(d);
                    }
                }
            }
            for var in &template_vars {
                if !declared.contains_key(var) {
                    let mut d = Diagnostic::new(
                        file,
                        format!("the path template uses `{{{var}}}` but no path parameter is named `{var}`"),
                    )
                    .at(format!("{op_path}.parameters"))
                    .hint(format!(
                        "add a parameter `{{name: {var}, in: path, required: true}}`, or rename the existing path parameter to `{var}`"
                    ));
                    if let Some(id) = &op_name {
                        d = d.operation(id.clone());
                    }
                    out.push(d);
                }
            }
            for (name, at) in &declared {
                if !template_vars.contains(name) {
                    let mut d = Diagnostic::new(
                        file,
                        format!(
                            "path parameter `{name}` does not appear in the path template `{path}`"
                        ),
                    )
                    .at(at.clone())
                    .hint(format!(
                        "add `{{{name}}}` to the path, or change the parameter's `in`"
                    ));
                    if let Some(id) = &op_name {
                        d = d.operation(id.clone());
                    }
                    out.push(d);
                }
            }
        }
    }
    out
}

/// The `{name}` variables of a path template, e.g. `/a/{id}` -> `{"id"}`.
pub fn template_variables(path: &str) -> BTreeSet<String> {
    let mut vars = BTreeSet::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                vars.insert(after[..close].to_owned());
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    vars
}

/// Follow a local `#/components/parameters/...` reference.
fn resolve_parameter<'a>(
    api: &'a OpenAPI,
    param: &'a ReferenceOr<Parameter>,
) -> Result<&'a Parameter, String> {
    match param {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .ok_or_else(|| format!("unsupported parameter reference `{reference}`"))?;
            match api.components.as_ref().and_then(|c| c.parameters.get(name)) {
                Some(ReferenceOr::Item(p)) => Ok(p),
                Some(ReferenceOr::Reference { reference: inner }) => Err(format!(
                    "parameter reference `{reference}` points at another reference (`{inner}`)"
                )),
                None => Err(format!("unresolved parameter reference `{reference}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;

    fn diagnostics(yaml: &str) -> Vec<String> {
        let spec = load_bytes(yaml.as_bytes(), "s.yaml").unwrap();
        validate(&spec).iter().map(ToString::to_string).collect()
    }

    const HEAD: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn template_variables_are_found() {
        let vars = template_variables("/a/{x}/b/{y_z}");
        assert_eq!(vars.into_iter().collect::<Vec<_>>(), ["x", "y_z"]);
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let yaml = format!(
            "{HEAD}paths:\n  /c/{{certificate_id}}:\n    get:\n      operationId: get-cert\n      parameters:\n        - {{name: cert_id, in: path, required: true, schema: {{type: string}}}}\n      responses: {{}}\n  /d:\n    get:\n      responses: {{}}\n    post:\n      operationId: get-cert\n      responses: {{}}\n"
        );
        let found = diagnostics(&yaml);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found
                .iter()
                .any(|d| d.contains("`{certificate_id}` but no path parameter")
                    && d.contains("(operation `get-cert`)"))
        );
        assert!(found.iter().any(
            |d| d.contains("at `paths./c/{certificate_id}.get.parameters[0]`")
                && d.contains("`cert_id` does not appear")
        ));
        assert!(
            found
                .iter()
                .any(|d| d.contains("at `paths./d.get`") && d.contains("no operationId"))
        );
        assert!(
            found
                .iter()
                .any(|d| d.contains("operationId `get-cert` is already used"))
        );
    }

    #[test]
    fn rejects_other_versions() {
        let found = diagnostics("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("unsupported OpenAPI version `3.1.0`"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn follows_parameter_references() {
        let yaml = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: a\n      parameters: [{{$ref: '#/components/parameters/Id'}}]\n      responses: {{}}\ncomponents:\n  parameters:\n    Id: {{name: id, in: path, required: true, schema: {{type: string}}}}\n"
        );
        assert_eq!(diagnostics(&yaml), Vec::<String>::new());
    }
}
