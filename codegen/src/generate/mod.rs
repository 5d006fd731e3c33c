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

pub mod type_builders;
pub mod unique_names;

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
    /// The crate's Cargo features (stage `gate`; none without `connect`).
    pub features: crate::gate::Features,
    /// The code formatted already (no header), when `types::builder` was
    /// formatted on the other thread (`file` then has the module empty):
    /// this one formats the rest while that one finishes.
    pub formatted: Option<String>,
}

/// Run progenitor on `api` (`doc` in its JSON form, from the file `file`),
/// turning any panic into an error; then the `refine` and `extend` stages,
/// and with `connect`, the `connect` stage (the client on the runtime; left
/// out when operations are generated alone to find one progenitor fails on).
/// With `connect`, on a machine with two cores or more, `types::builder` is
/// parsed and formatted on the other core ([`type_builders`]).
pub fn generate(
    api: &OpenAPI,
    doc: &serde_json::Value,
    file: &str,
    connect: Option<&crate::connect::Settings>,
    extend: &crate::extend::Settings,
) -> Result<Generated, Error> {
    // Operations generated alone (no `connect`) are small: one thread. On
    // one core, the second run of progenitor would only cost time.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if connect.is_none() || cores < 2 {
        return generate_on(api, doc, file, connect, extend, None).map(|(generated, _)| generated);
    }
    std::thread::scope(|scope| {
        let (send, rewrites) = std::sync::mpsc::channel();
        let worker = type_builders::Worker {
            tokens: Box::new(move || {
                let mut generator = Generator::new(&settings(true).ok()?);
                without_panic_output(|| generator.generate_tokens(api))
                    .ok()?
                    .ok()
            }),
            rewrites,
        };
        let builders = crate::stack::spawn(scope, || crate::timings::measured(|| worker.run()));
        let generated = generate_on(api, doc, file, connect, extend, Some(send));
        let rest = match &generated {
            Ok((generated, Some(_))) => Some(crate::timings::stage("format-rest", || {
                crate::format::unparse(&generated.file)
            })),
            _ => None,
        };
        let (text, took) = builders
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        crate::timings::record("type-builders", took);
        let (mut generated, split) = generated?;
        if let Some((body, rewrites)) = split {
            match text
                .zip(rest)
                .and_then(|(text, rest)| type_builders::splice(&rest, &text))
            {
                Some(code) => generated.formatted = Some(code),
                // The other thread could not: the builders are parsed here.
                None => type_builders::restore(&mut generated.file, body, &rewrites)
                    .map_err(|e| Error::Format(e.to_string()))?,
            }
        }
        Ok(generated)
    })
}

/// progenitor's settings (made on each thread: the inner type is tokens).
fn settings(connect: bool) -> Result<GenerationSettings, Error> {
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
    if connect {
        // `connect` writes the `ClientHooks` impl; progenitor must not.
        let inner: syn::Type =
            syn::parse_str(crate::connect::STATE_TYPE).map_err(|e| Error::Format(e.to_string()))?;
        settings
            .with_inner_type(quote::quote!(#inner))
            .with_hooks(HooksMode::Expected);
    }
    Ok(settings)
}

/// The builders taken out of the code, and the renames they are owed.
type Split = (proc_macro2::TokenStream, type_builders::Rewrites);

/// [`generate`] on this thread; with `builders`, `types::builder` is left
/// empty for the other thread, the renames are sent to it, and the
/// builders' tokens are returned (to parse here if that thread fails).
fn generate_on(
    api: &OpenAPI,
    doc: &serde_json::Value,
    file: &str,
    connect: Option<&crate::connect::Settings>,
    extend: &crate::extend::Settings,
    builders: Option<std::sync::mpsc::Sender<type_builders::Rewrites>>,
) -> Result<(Generated, Option<Split>), Error> {
    let settings = settings(connect.is_some())?;
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

    // What the code needs from progenitor's type space, read before the
    // generator (its whole type space) is dropped: the `syn` tree is the
    // peak of memory, and every page the process touches first costs time.
    let type_space = generator.get_type_space();
    let needs = Needs {
        chrono: type_space.uses_chrono(),
        uuid: type_space.uses_uuid(),
        regress: type_space.uses_regress(),
        serde_json: type_space.uses_serde_json(),
        futures: generator.uses_futures(),
        websockets: generator.uses_websockets(),
    };
    let types = type_space.iter_types().count();
    drop(generator);
    let (tokens, type_builders) = match &builders {
        Some(_) => type_builders::without_type_builders(tokens),
        None => (tokens, None),
    };
    let mut file: syn::File = crate::timings::stage("syn-parse", || syn::parse2(tokens))
        .map_err(|e| Error::Format(e.to_string()))?;
    crate::timings::stage("non-exhaustive", || {
        MarkNonExhaustive.visit_file_mut(&mut file)
    });
    let mut rewrites = Vec::new();
    let mut refinements = crate::timings::stage("refine", || {
        crate::refine::refine(&mut file, doc, &mut rewrites)
    });
    refinements.extend(
        crate::timings::stage("extend", || {
            crate::extend::extend(doc, &mut file, extend, &mut rewrites)
        })
        .map_err(|e| match e {
            Error::Generate { message, .. } => Error::Generate {
                file: file_name.to_owned(),
                message,
            },
            e => e,
        })?,
    );
    // Nothing after this renames across the file: the builders can be
    // formatted while `connect` runs.
    let mut features = crate::gate::Features::default();
    let surface = connect.map(|settings| {
        let (surface, notes) = crate::timings::stage("connect", || {
            crate::connect::connect(api, &mut file, settings)
        });
        refinements.extend(notes);
        refinements.extend(crate::timings::stage("trim", || {
            crate::trim::trim(&mut file, &surface, &mut rewrites)
        }));
        let (gated, notes) = crate::timings::stage("gate", || {
            crate::gate::gate(doc, &mut file, &surface, &mut rewrites)
        });
        features = gated;
        refinements.extend(notes);
        let mut surface = surface;
        for (method, op) in &mut surface.operations {
            if let Some(f) = features.operations.get(method) {
                op.features = f.iter().cloned().collect();
            }
        }
        surface
    });
    crate::timings::stage("unique-names", || {
        unique_names::check(&file, file_name, &component_names(doc))
    })?;
    // Sent after `trim`, whose removals reach the builders too.
    let rewrites = std::sync::Arc::new(rewrites);
    if let Some(send) = builders {
        // A closed channel: the other thread gave up; `generate` then
        // parses the builders here.
        let _ = send.send(rewrites.clone());
    }

    let generated = Generated {
        file,
        operations: count_operations(api),
        types,
        needs,
        refinements,
        surface,
        features,
        formatted: None,
    };
    Ok((generated, type_builders.map(|body| (body, rewrites))))
}

/// Each component schema's Rust type name, with its key.
fn component_names(doc: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    doc.pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .map(|schemas| {
            schemas
                .keys()
                .map(|k| {
                    (
                        crate::naming::sanitize(k, crate::naming::Case::Pascal),
                        k.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
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
