//! `path-parameter-names`: path parameters and the path template agree: a
//! lone mismatch (`cert_id` for `{certificate_id}`) is renamed, a template
//! variable with no parameter is declared as a required string, anything
//! else is reported.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{Normalized, op_name};
use crate::Diagnostic;
use crate::load::{Document, join_index, join_key};
use crate::walk::{self};

/// `path-parameter-names`: rename a lone mismatched path parameter.
pub(super) fn path_parameter_names(n: &mut Normalized, doc: &Document) {
    // Planned on the document as it is (operations of one path share its
    // parameters), then written: no copy of the document to read from.
    let root = &n.value;
    let mut edits = Vec::new();
    for op in walk::operations(root) {
        let vars = template_variables(&op.path);
        let Some(o) = walk::operation(root, &op) else {
            continue;
        };
        let item = &root["paths"][&op.path];
        // (declared name, where: item or operation, index)
        let mut declared: Vec<(String, bool, usize)> = Vec::new();
        for (on_op, params) in [(false, item.get("parameters")), (true, o.get("parameters"))] {
            for (i, p) in params
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let p = walk::deref(root, p);
                if p.get("in").and_then(Value::as_str) == Some("path")
                    && let Some(name) = p.get("name").and_then(Value::as_str)
                {
                    declared.push((name.to_owned(), on_op, i));
                }
            }
        }
        let names: BTreeSet<&str> = declared.iter().map(|d| d.0.as_str()).collect();
        let missing: Vec<&String> = vars
            .iter()
            .filter(|v| !names.contains(v.as_str()))
            .collect();
        let extra: Vec<&(String, bool, usize)> =
            declared.iter().filter(|d| !vars.contains(&d.0)).collect();
        match (missing.as_slice(), extra.as_slice()) {
            ([], []) => {}
            ([var], [(name, on_op, i)]) => {
                let container = if *on_op { o } else { item };
                let index = container.get("parameters").and_then(|ps| ps.get(*i));
                // Inline a referenced parameter before renaming our copy.
                let mut param = index.map_or(Value::Null, |p| walk::deref(root, p).clone());
                if !param.is_null() {
                    param["name"] = json!(var);
                }
                let change = format!(
                    "{}: parameter `{name}` renamed to `{var}` to match the path template",
                    op_name(&op)
                );
                edits.push((op, PathParamEdit::Rename(*on_op, *i, param, change)));
            }
            // Variables with no parameter at all (the spec forgot them): a
            // path segment is a string, so declare each as a required string.
            (missing, []) => {
                let missing: Vec<String> = missing.iter().map(|v| (*v).clone()).collect();
                edits.push((op, PathParamEdit::Declare(missing)));
            }
            (missing, extra) => {
                let mut problems = Vec::new();
                for var in missing {
                    problems.push(
                        doc.diagnostic(&join_key(&op.at, "parameters"), format!("the path template uses `{{{var}}}` but no path parameter is named `{var}`"))
                            .operation(op_name(&op))
                            .hint(format!("add a parameter `{{name: {var}, in: path, required: true, schema: {{type: string}}}}`")),
                    );
                }
                for (name, on_op, i) in extra {
                    let base = if *on_op {
                        op.at.clone()
                    } else {
                        join_key("paths", &op.path)
                    };
                    problems.push(
                        doc.diagnostic(
                            &join_index(&join_key(&base, "parameters"), *i),
                            format!(
                                "path parameter `{name}` does not appear in the path template `{}`",
                                op.path
                            ),
                        )
                        .operation(op_name(&op))
                        .hint(format!(
                            "add `{{{name}}}` to the path, or change the parameter's `in`"
                        )),
                    );
                }
                edits.push((op, PathParamEdit::Problems(problems)));
            }
        }
    }
    for (op, edit) in edits {
        match edit {
            PathParamEdit::Rename(on_op, i, param, change) => {
                let container = if on_op {
                    walk::operation_mut(&mut n.value, &op).and_then(|o| o.get_mut("parameters"))
                } else {
                    n.value["paths"]
                        .get_mut(&op.path)
                        .and_then(|it| it.get_mut("parameters"))
                };
                if let Some(slot) = container.and_then(|ps| ps.get_mut(i)) {
                    *slot = param;
                }
                n.change("path-parameter-names", change);
            }
            PathParamEdit::Declare(missing) => {
                if let Some(o) = walk::operation_mut(&mut n.value, &op) {
                    let params = o
                        .as_object_mut()
                        .map(|m| m.entry("parameters").or_insert_with(|| json!([])));
                    if let Some(Value::Array(params)) = params {
                        for var in &missing {
                            params.push(json!({"name": var, "in": "path", "required": true, "schema": {"type": "string"}}));
                        }
                    }
                }
                let names = missing
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                n.change("path-parameter-names", format!("{}: declared path parameter(s) {names} (string), used by the path template but not declared", op_name(&op)));
            }
            PathParamEdit::Problems(problems) => n.problems.extend(problems),
        }
    }
}

/// What [`path_parameter_names`] does to one operation.
pub(super) enum PathParamEdit {
    /// Put this parameter (renamed) at `(on the operation, index)`.
    Rename(bool, usize, Value, String),
    /// Declare these path variables as string parameters.
    Declare(Vec<String>),
    /// Report these.
    Problems(Vec<Diagnostic>),
}

/// The `{name}` variables of a path template, in order.
pub fn template_variables(path: &str) -> Vec<String> {
    let mut vars = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        vars.push(after[..close].to_owned());
        rest = &after[close + 1..];
    }
    vars
}
