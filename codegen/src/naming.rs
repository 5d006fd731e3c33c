//! Names the generator makes: Rust identifiers as progenitor and typify
//! make them ([`sanitize`]), and names that must not clash with any taken
//! ([`unique`] among strings, [`Names`] among the Rust names they become).

use std::collections::BTreeSet;

/// `base`, or the first of `base{sep}2`, `base{sep}3`, .. that is not in
/// `taken`; it is added to `taken`.
pub fn unique(taken: &mut BTreeSet<String>, base: &str, sep: &str) -> String {
    let mut name = base.to_owned();
    let mut k = 2;
    while taken.contains(&name) {
        name = format!("{base}{sep}{k}");
        k += 1;
    }
    taken.insert(name.clone());
    name
}

/// The names of one Rust namespace (the types of `mod types`, the methods
/// of `Client`), as the spec spells them. Two spellings are one name when
/// they make one Rust identifier (`address`, `Address` and `ADDRESS` are
/// the type `Address`; `getUser` and `get_user` the method `get_user`), so
/// a name is taken or given out by its Rust form, and no two names given
/// out can collide in the generated code, whatever the spec spells.
#[derive(Debug, Clone)]
pub struct Names {
    case: Case,
    taken: BTreeSet<String>,
}

impl Names {
    /// The names of a namespace of `case`, with `names` taken.
    pub fn new<'a>(case: Case, names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut this = Names {
            case,
            taken: BTreeSet::new(),
        };
        for name in names {
            this.take(name);
        }
        this
    }

    /// Whether `name`'s Rust form is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&sanitize(name, self.case))
    }

    /// Take `name`; false when its Rust form was taken already.
    pub fn take(&mut self, name: &str) -> bool {
        self.taken.insert(sanitize(name, self.case))
    }

    /// `base`, or the first of `base{sep}2`, `base{sep}3`, .. whose Rust
    /// form is free; it is taken.
    pub fn allocate(&mut self, base: &str, sep: &str) -> String {
        let mut name = base.to_owned();
        let mut k = 2;
        while !self.take(&name) {
            name = format!("{base}{sep}{k}");
            k += 1;
        }
        name
    }
}

/// Identifier cases, as progenitor names methods (snake) and types (Pascal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `create_file`.
    Snake,
    /// `CreateFile`.
    Pascal,
}

/// The Rust name progenitor and typify give `input` (an operationId or a
/// schema name): characters that cannot be in an identifier become word
/// breaks, the case is applied, a leading non-letter gets `_`, a keyword
/// gets a trailing `_`.
pub fn sanitize(input: &str, case: Case) -> String {
    use heck::{ToPascalCase, ToSnakeCase};
    let to_case = |s: &str| match case {
        Case::Snake => s.to_snake_case(),
        Case::Pascal => s.to_pascal_case(),
    };
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if syn::parse_str::<syn::Ident>(&out).is_ok() {
        out
    } else {
        format!("{out}_")
    }
}

/// `-created` -> `minus created`, `!=` -> `not eq`: each symbol as a word,
/// for names of values that differ only in symbols (`DateCreated<`,
/// `DateCreated>`).
pub fn spell_symbols(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        let word = match c {
            '+' => "plus",
            '-' => "minus",
            '=' => "eq",
            '!' => "not",
            '>' => "gt",
            '<' => "lt",
            '~' => "tilde",
            '*' => "star",
            '.' => "dot",
            '/' => "slash",
            '\\' => "backslash",
            '@' => "at",
            '#' => "hash",
            '$' => "dollar",
            '%' => "percent",
            '&' => "and",
            '|' => "or",
            '^' => "caret",
            '?' => "question",
            ',' => "comma",
            ':' => "colon",
            ';' => "semicolon",
            '(' | '[' | '{' => "open",
            ')' | ']' | '}' => "close",
            c if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => {
                out.push(' ');
                continue;
            }
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    }
    if out.trim().is_empty() {
        "empty".to_owned()
    } else {
        out
    }
}

/// The name of the directory `dir` as a package-name part (`[a-z0-9-]`,
/// no leading or trailing `-`): `target/wire/01-xkcd` -> `01-xkcd`.
pub fn package_stem(dir: &std::path::Path) -> String {
    let stem: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    stem.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_count_from_two() {
        let mut taken: BTreeSet<String> = ["a".to_owned(), "a_2".to_owned()].into();
        assert_eq!(unique(&mut taken, "b", "_"), "b");
        assert_eq!(unique(&mut taken, "a", "_"), "a_3");
        assert!(taken.contains("a_3") && taken.contains("b"));
    }

    #[test]
    fn names_are_taken_by_their_rust_form() {
        let mut types = Names::new(Case::Pascal, ["Address", "PhoneNumber"]);
        assert!(types.is_taken("address"));
        assert!(types.is_taken("phone_number"));
        assert!(!types.take("ADDRESS"));
        assert_eq!(types.allocate("address", ""), "address2");
        assert_eq!(types.allocate("address", ""), "address3");
        assert_eq!(types.allocate("Other", ""), "Other");
        let mut methods = Names::new(Case::Snake, ["getUser"]);
        assert_eq!(methods.allocate("get_user", "_"), "get_user_2");
        assert_eq!(
            methods.allocate("update-config_json", ""),
            "update-config_json"
        );
        assert_eq!(
            methods.allocate("update_config-json", ""),
            "update_config-json2"
        );
    }

    #[test]
    fn names_follow_progenitor() {
        assert_eq!(
            sanitize("createChatCompletion", Case::Snake),
            "create_chat_completion"
        );
        assert_eq!(
            sanitize("create-realtime-call", Case::Snake),
            "create_realtime_call"
        );
        assert_eq!(
            sanitize("createEdit_multipart", Case::Snake),
            "create_edit_multipart"
        );
        assert_eq!(
            sanitize("Createcontentprovenancecheck", Case::Snake),
            "createcontentprovenancecheck"
        );
        assert_eq!(sanitize("ImageRefParam-2", Case::Pascal), "ImageRefParam2");
        assert_eq!(sanitize("type", Case::Snake), "type_");
        assert_eq!(sanitize("2fa", Case::Snake), "_2fa");
    }
}
