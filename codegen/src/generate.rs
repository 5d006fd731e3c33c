//! Stage 3, **generate**: run progenitor on a validated document.
//!
//! Two choices are made here, once, for every crate this workspace writes:
//!
//! * **Builder interface.** `client.delete_project_api_key().project_id(..)
//!   .key_id(..).send()`. An optional parameter added to the spec becomes one
//!   more builder method, not one more positional argument, so spec
//!   evolution breaks callers as rarely as possible.
//! * **`#[non_exhaustive]` types.** Every struct with named fields and every
//!   enum in `types` is marked `#[non_exhaustive]` (typify has no setting for
//!   it, so we add the attribute to the token tree). Callers build values
//!   through the generated `types::builder` builders, so a property or enum
//!   value added to the spec is an additive change, not a breaking one.
//!
//! progenitor and typify still panic on some inputs; generation runs under
//! `catch_unwind` and a panic becomes an ordinary [`Error::Generate`].

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use openapiv3::{OpenAPI, ReferenceOr};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use syn::visit_mut::VisitMut;

use crate::Error;

/// What the generated code needs from the crate around it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `chrono` (date-time formats).
    pub chrono: bool,
    /// `uuid` (uuid format).
    pub uuid: bool,
    /// `regress` (string patterns).
    pub regress: bool,
    /// `serde_json` (free-form values).
    pub serde_json: bool,
    /// `futures` (streaming or paginated operations).
    pub futures: bool,
    /// `base64` and `rand` (websocket upgrades: the `Sec-WebSocket-Key`).
    pub websockets: bool,
}

/// The generator's output, before formatting.
#[derive(Clone)]
pub struct Generated {
    /// The client code, parsed (so later stages need not parse it again).
    pub file: syn::File,
    /// Operations generated (one client method each).
    pub operations: usize,
    /// Types generated from schemas and inline definitions.
    pub types: usize,
    /// Crates the code uses besides progenitor-client, reqwest and serde.
    pub needs: Needs,
    /// What the refine stage rewrote in the generated types.
    pub refinements: Vec<crate::refine::Refinement>,
    /// The public API, read by the `connect` stage (`None` without it).
    pub surface: Option<crate::surface::Surface>,
}

/// Run progenitor on `api` (`doc` in its JSON form, from the file `file`),
/// turning any panic into an error; then the `refine` and `extend` stages,
/// and with `connect`, the `connect` stage (the client on the runtime; left
/// out when operations are generated alone to find one progenitor fails on).
pub fn generate(
    api: &OpenAPI,
    doc: &serde_json::Value,
    file: &str,
    connect: Option<&crate::connect::Settings>,
    extend: &crate::extend::Settings,
) -> Result<Generated, Error> {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // File parts of multipart bodies (see `normalize::media_types`).
        .with_replacement(
            crate::normalize::media_types::FILE_PART_SCHEMA,
            "crate::runtime::FilePart",
            std::iter::empty(),
        );
    if connect.is_some() {
        // `connect` writes the `ClientHooks` impl; progenitor must not.
        let inner: syn::Type =
            syn::parse_str(crate::connect::STATE_TYPE).map_err(|e| Error::Format(e.to_string()))?;
        settings
            .with_inner_type(quote::quote!(#inner))
            .with_hooks(HooksMode::Expected);
    }
    let mut generator = Generator::new(&settings);

    let result = crate::timings::stage("progenitor", || {
        without_panic_output(|| generator.generate_tokens(api))
    });
    let file_name = file;
    let tokens = match result {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => {
            return Err(Error::Generate {
                file: file.to_owned(),
                message: e.to_string(),
            });
        }
        Err(panic) => {
            return Err(Error::Generate {
                file: file.to_owned(),
                message: format!("progenitor panicked: {panic}"),
            });
        }
    };

    let mut file: syn::File = crate::timings::stage("syn-parse", || syn::parse2(tokens))
        .map_err(|e| Error::Format(e.to_string()))?;
    crate::timings::stage("non-exhaustive", || {
        MarkNonExhaustive.visit_file_mut(&mut file)
    });
    let mut refinements = crate::timings::stage("refine", || crate::refine::refine(&mut file, doc));
    refinements.extend(
        crate::timings::stage("extend", || crate::extend::extend(doc, &mut file, extend)).map_err(
            |e| match e {
                Error::Generate { message, .. } => Error::Generate {
                    file: file_name.to_owned(),
                    message,
                },
                e => e,
            },
        )?,
    );
    let surface = connect.map(|settings| {
        crate::timings::stage("connect", || {
            crate::connect::connect(api, &mut file, settings)
        })
    });

    let type_space = generator.get_type_space();
    let needs = Needs {
        chrono: type_space.uses_chrono(),
        uuid: type_space.uses_uuid(),
        regress: type_space.uses_regress(),
        serde_json: type_space.uses_serde_json(),
        futures: generator.uses_futures(),
        websockets: generator.uses_websockets(),
    };
    Ok(Generated {
        file,
        operations: count_operations(api),
        types: type_space.iter_types().count(),
        needs,
        refinements,
        surface,
    })
}

/// Operations in the document (path items given as references excluded).
/// A method the `media-types` step made for another media type of an
/// operation's body (its path carries `#codegen-media-<kind>`) is not
/// another operation.
pub fn count_operations(api: &OpenAPI) -> usize {
    api.paths
        .paths
        .iter()
        .filter(|(path, _)| !path.contains(crate::normalize::media_types::COPY_MARK))
        .filter_map(|(_, item)| match item {
            ReferenceOr::Item(item) => Some(item.iter().count()),
            ReferenceOr::Reference { .. } => None,
        })
        .sum()
}

/// Adds `#[non_exhaustive]` to the named-field structs and the enums directly
/// inside `mod types` (not to the builders in `types::builder`).
struct MarkNonExhaustive;

impl VisitMut for MarkNonExhaustive {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if module.ident != "types" {
            return;
        }
        let Some((_, items)) = &mut module.content else {
            return;
        };
        let attr: syn::Attribute = syn::parse_quote!(#[non_exhaustive]);
        for item in items {
            match item {
                syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => {
                    s.attrs.push(attr.clone())
                }
                syn::Item::Enum(e) => e.attrs.push(attr.clone()),
                _ => {}
            }
        }
    }
}

thread_local! {
    /// Set while generation runs on this thread: the panic message, if any.
    static CAPTURED_PANIC: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Run `f`, returning its panic message instead of unwinding or printing.
///
/// A process-wide panic hook is installed once; it stays silent only for
/// threads inside this function and defers to the previous hook elsewhere,
/// so test harnesses and other threads keep their normal panic output.
fn without_panic_output<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let captured = CAPTURED_PANIC.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let location = info
                            .location()
                            .map(|l| format!(" (at {}:{})", crate_relative(l.file()), l.line()))
                            .unwrap_or_default();
                        *slot = Some(format!("{}{location}", panic_message(info.payload())));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });

    CAPTURED_PANIC.with(|c| *c.borrow_mut() = Some(None));
    let result = catch_unwind(AssertUnwindSafe(f));
    let message = CAPTURED_PANIC.with(|c| c.borrow_mut().take()).flatten();
    result.map_err(|payload| message.unwrap_or_else(|| panic_message(payload.as_ref())))
}

/// `/root/.cargo/registry/src/<index>/progenitor-impl-0.15.1/src/method.rs`
/// -> `progenitor-impl-0.15.1/src/method.rs`: the same on every machine.
fn crate_relative(file: &str) -> String {
    let parts: Vec<&str> = file.split(['/', '\\']).collect();
    match parts.iter().rposition(|p| *p == "src") {
        Some(i) if i > 0 => parts[i - 1..].join("/"),
        _ => file.to_owned(),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        let r: Result<(), String> = without_panic_output(|| panic!("boom {}", 1));
        let message = r.unwrap_err();
        assert!(message.starts_with("boom 1 (at "), "{message}");
        assert_eq!(without_panic_output(|| 5), Ok(5));
    }
}
