//! Generates the Tauri context, and everything that lists the app's commands
//! from the one place they are written: the `#[tauri::command]` functions in
//! `src-tauri/src/commands/`. For each of them this writes
//! - the handler list the app registers (`$OUT_DIR/handlers.rs`),
//! - its permission (tauri-build's app manifest) and the grant of it in the
//!   main window's capability (`src-tauri/capabilities/main-window.json`,
//!   which also lets the window listen to the app's events),
//! - its typed TypeScript wrapper (`ui/src/generated/commands.ts`), with the Rust doc
//!   comment, the parameters in camelCase and the return type as the
//!   bindings in `ui/src/bindings/` name it.
//!
//! Adding a command is writing its function there; the build does the rest.
//! The written files are tracked in git, and the test command fails when a
//! build changes them (someone forgot to commit them).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where the commands live, one file per area.
const COMMANDS_DIR: &str = "src-tauri/src/commands";
const CAPABILITY: &str = "src-tauri/capabilities/main-window.json";
const TYPESCRIPT: &str = "ui/src/generated/commands.ts";

/// One `#[tauri::command]` function.
struct Command {
    /// Its module below `commands` ("contacts").
    module: String,
    name: String,
    doc: Vec<String>,
    /// The parameters the UI passes (injected ones like `State` left out).
    params: Vec<(String, syn::Type)>,
    /// What it returns to the UI (the `Ok` of a `Result`).
    returns: Option<syn::Type>,
}

/// The core permissions the main window has besides its commands: listening
/// to the app's events.
const EVENT_PERMISSIONS: [&str; 2] = ["core:event:allow-listen", "core:event:allow-unlisten"];

/// Parameters Tauri fills in itself.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

fn last_ident(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        syn::Type::Reference(r) => last_ident(&r.elem),
        _ => None,
    }
}

fn generic_arg(segment: &syn::PathSegment) -> Option<&syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    Some(s.value().trim().to_owned())
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn is_command(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
        segments == ["tauri", "command"]
    })
}

fn commands(dir: &Path) -> Vec<Command> {
    // A new file of commands is noticed too.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("mod.rs"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        for item in file.items {
            let syn::Item::Fn(f) = item else { continue };
            if !is_command(&f.attrs) {
                continue;
            }
            let params = f
                .sig
                .inputs
                .iter()
                .filter_map(|input| match input {
                    syn::FnArg::Typed(t) => Some(t),
                    syn::FnArg::Receiver(_) => None,
                })
                .filter(|t| {
                    !last_ident(&t.ty).is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str()))
                })
                .map(|t| match &*t.pat {
                    syn::Pat::Ident(i) => (i.ident.to_string(), (*t.ty).clone()),
                    _ => panic!("{}: a parameter of {} is not a plain name", path.display(), f.sig.ident),
                })
                .collect();
            let returns = match &f.sig.output {
                syn::ReturnType::Default => None,
                syn::ReturnType::Type(_, ty) => match last_ident(ty) {
                    Some(s) if s.ident == "Result" => generic_arg(s).cloned(),
                    _ => Some((**ty).clone()),
                },
            };
            found.push(Command {
                module: module.clone(),
                name: f.sig.ident.to_string(),
                doc: doc_lines(&f.attrs),
                params,
                returns,
            });
        }
    }
    found
}

fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The TypeScript type of a Rust type as ts-rs writes it; named types are
/// collected for the imports.
fn ts_type(ty: &syn::Type, named: &mut std::collections::BTreeSet<String>) -> String {
    if let syn::Type::Tuple(t) = ty {
        assert!(t.elems.is_empty(), "tuples are not sent to the UI");
        return "null".into();
    }
    let segment = last_ident(ty).expect("a named type");
    let ident = segment.ident.to_string();
    match ident.as_str() {
        "String" | "str" | "Uuid" | "NaiveDate" | "DateTime" | "PathBuf" => "string".into(),
        "bool" => "boolean".into(),
        // u64: counts and numbers far below 2^53 (JSON numbers in JavaScript).
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "f32" | "f64" | "usize" => "number".into(),
        "Option" => format!("{} | null", ts_type(generic_arg(segment).unwrap(), named)),
        "Vec" => format!("Array<{}>", ts_type(generic_arg(segment).unwrap(), named)),
        "Value" => "unknown".into(),
        _ => {
            named.insert(ident.clone());
            ident
        }
    }
}

fn typescript(commands: &[Command]) -> String {
    let mut named = std::collections::BTreeSet::new();
    let mut body = String::new();
    for c in commands {
        let params: Vec<String> = c
            .params
            .iter()
            .map(|(name, ty)| format!("{}: {}", camel(name), ts_type(ty, &mut named)))
            .collect();
        let returns = c.returns.as_ref().map_or_else(|| "null".to_owned(), |t| ts_type(t, &mut named));
        let args: Vec<String> = c.params.iter().map(|(name, _)| camel(name)).collect();
        if let [line] = c.doc.as_slice() {
            let _ = writeln!(body, "\n/** {} */", line.replace("*/", "*\\/"));
        } else if !c.doc.is_empty() {
            body.push_str("\n/**\n");
            for line in &c.doc {
                let _ = writeln!(
                    body,
                    " *{}{}",
                    if line.is_empty() { "" } else { " " },
                    line.replace("*/", "*\\/")
                );
            }
            body.push_str(" */\n");
        } else {
            body.push('\n');
        }
        let call_args = if args.is_empty() { String::new() } else { format!(", {{ {} }}", args.join(", ")) };
        let _ = writeln!(
            body,
            "export const {} = ({}): Promise<{returns}> => call(\"{}\"{call_args});",
            camel(&c.name),
            params.join(", "),
            c.name
        );
    }
    let mut out = String::from(
        "// Generated by src-tauri/build.rs from the #[tauri::command] functions in\n\
         // src-tauri/src/commands/; do not edit. One typed wrapper per command.\n",
    );
    for name in &named {
        let _ = writeln!(out, "import type {{ {name} }} from \"../bindings/{name}\";");
    }
    out.push_str("import { call } from \"../tauri\";\n");
    out.push_str(&body);
    out
}

fn capability(commands: &[Command]) -> String {
    let mut out = String::from(
        "{\n  \"identifier\": \"main-window\",\n  \"description\": \"The main window may call Kontor's own commands and nothing else (generated by src-tauri/build.rs).\",\n  \"windows\": [\"main\"],\n  \"permissions\": [\n",
    );
    let mut lines: Vec<String> =
        commands.iter().map(|c| format!("    \"allow-{}\"", c.name.replace('_', "-"))).collect();
    // Besides the commands, the UI listens to the app's events (rule
    // outcomes, tasks changed, import progress, index rebuilt, store checked).
    lines.extend(EVENT_PERMISSIONS.iter().map(|p| format!("    \"{p}\"")));
    out.push_str(&lines.join(",\n"));
    out.push_str("\n  ]\n}\n");
    out
}

/// Writes `path` only when its text changes (an unchanged file keeps its
/// time, so nothing that watches it rebuilds).
fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let commands = commands(&root.join(COMMANDS_DIR));
    let mut names = std::collections::BTreeSet::new();
    for c in &commands {
        assert!(names.insert(&c.name), "two commands are called {}", c.name);
    }

    let handlers: Vec<String> =
        commands.iter().map(|c| format!("commands::{}::{}", c.module, c.name)).collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    write_if_changed(
        &out.join("handlers.rs"),
        &format!("tauri::generate_handler![\n    {},\n]\n", handlers.join(",\n    ")),
    );
    write_if_changed(&root.join(CAPABILITY), &capability(&commands));
    write_if_changed(&root.join(TYPESCRIPT), &typescript(&commands));

    let names: Vec<&'static str> =
        commands.iter().map(|c| &*Box::leak(c.name.clone().into_boxed_str())).collect();
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice())));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build failed: {e:#}");
    }
}
