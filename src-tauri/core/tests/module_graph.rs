//! No import circles: in the core, in the Tauri shell and in the UI, a module
//! never depends on a module that depends back on it, however indirectly.
//!
//! A circle makes two files one unit in all but name: neither can be read,
//! tested or changed alone. The graph is drawn from the source text:
//! - Rust: one node per top-level module (`score.rs`, the `store/` folder)
//!   and the crate root; an edge for every `crate::…` path (re-exports in the
//!   root are followed to the module that defines the item) and, from the
//!   root, for every module it calls into (declarations and re-exports are
//!   not dependencies);
//! - TypeScript: one node per file under `ui/src`, an edge per `import` or
//!   `export … from` of a relative path, `import type` included — a view
//!   that needs the app's shape depends on an interface, not on the app.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The text without `//` comments (doc comments name modules freely).
fn code(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// The first names after each `crate::`: `crate::a::b` gives `a`,
/// `crate::{a::b, C, d::{e}}` gives `a`, `C` and `d`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `kontor_core::` and the like
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut item_start) = (0, true);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        names.push(ident(&group[i..]).to_owned());
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(ident(rest).to_owned());
        }
    }
    names
}

/// Which module each name the crate root re-exports comes from
/// (`pub use score::{Answer, Criteria}` maps both to `score`).
fn reexports(root: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for (at, _) in root.match_indices("pub use ") {
        let rest = &root[at + "pub use ".len()..];
        let module = ident(rest).to_owned();
        let statement = &rest[..rest.find(';').unwrap()];
        let items = statement.rsplit("::").next().unwrap();
        for item in items.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !item.is_empty() {
                map.insert(item.to_owned(), module.clone());
            }
        }
    }
    map
}

fn rust_graph(src: &Path, root_file: &str) -> Graph {
    let mut paths = Vec::new();
    files(src, "rs", &mut paths);
    let node_of = |path: &Path| -> String {
        let relative = path.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy();
        first.trim_end_matches(".rs").to_owned()
    };
    let root_name = root_file.trim_end_matches(".rs").to_owned();
    let nodes: BTreeSet<String> = paths.iter().map(|p| node_of(p)).collect();
    let root = code(&src.join(root_file));
    let reexported = reexports(&root);
    let mut graph = Graph::new();
    for path in &paths {
        let from = node_of(path);
        let text = code(path);
        let edges = graph.entry(from.clone()).or_default();
        if from == root_name {
            // The root's own calls into modules: `cmd::add_contact`, `use tray::X`.
            for statement in text.split(';') {
                let statement = statement.trim();
                if statement.starts_with("pub use ") || statement.contains("mod ") {
                    continue;
                }
                for node in &nodes {
                    let mut rest = statement;
                    while let Some(at) = rest.find(&format!("{node}::")) {
                        let before = rest[..at].chars().last();
                        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                            edges.insert(node.clone());
                        }
                        rest = &rest[at + node.len() + 2..];
                    }
                }
            }
            continue;
        }
        for name in crate_paths(&text) {
            let to = if nodes.contains(&name) {
                name
            } else if let Some(module) = reexported.get(&name) {
                module.clone()
            } else {
                root_name.clone()
            };
            if to != from {
                edges.insert(to);
            }
        }
    }
    graph
}

fn ts_graph(src: &Path) -> Graph {
    let mut paths = Vec::new();
    files(src, "ts", &mut paths);
    let name = |path: &Path| path.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
    let mut graph = Graph::new();
    for path in &paths {
        let edges = graph.entry(name(path)).or_default();
        let text = code(path);
        for chunk in text.split(';') {
            // A statement starts the chunk, or a line after a block (`}`) that ends without `;`.
            let chunk = chunk.trim_start();
            let start = ["import ", "export "]
                .iter()
                .filter_map(|k| if chunk.starts_with(k) { Some(0) } else { chunk.rfind(&format!("\n{k}")) })
                .max();
            let Some(start) = start else { continue };
            let statement = chunk[start..].trim_start();
            let Some(from_at) = statement.rfind(" from ") else { continue };
            let target = statement[from_at + 6..].trim().trim_matches(|c| c == '"' || c == '\'');
            if !target.starts_with('.') {
                continue; // packages
            }
            let mut resolved = path.parent().unwrap().to_path_buf();
            for part in target.split('/') {
                match part {
                    "." => {}
                    ".." => {
                        resolved.pop();
                    }
                    part => resolved.push(part),
                }
            }
            let file = resolved.with_extension("ts");
            let file = if file.exists() { file } else { resolved.join("index.ts") };
            assert!(file.exists(), "{}: import of {target} names no file", name(path));
            edges.insert(name(&file));
        }
    }
    graph
}

/// Strongly connected components with more than one node (Tarjan).
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, node: &'g str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                loop {
                    let member = self.stack.pop().unwrap();
                    self.on_stack.remove(member);
                    component.push(member.to_owned());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.found
}

fn assert_no_circles(tree: &str, graph: &Graph) {
    let found = circles(graph);
    let described: Vec<String> = found
        .iter()
        .map(|members| {
            let edges: Vec<String> = members
                .iter()
                .flat_map(|from| {
                    graph[from]
                        .iter()
                        .filter(|to| members.contains(to))
                        .map(move |to| format!("{from} → {to}"))
                })
                .collect();
            format!("  {} files: {}", members.len(), edges.join(", "))
        })
        .collect();
    assert!(found.is_empty(), "import circles in {tree}:\n{}", described.join("\n"));
}

#[test]
fn the_core_has_no_import_circle() {
    assert_no_circles("src-tauri/core/src", &rust_graph(&repo().join("src-tauri/core/src"), "lib.rs"));
}

#[test]
fn the_shell_has_no_import_circle() {
    assert_no_circles("src-tauri/src", &rust_graph(&repo().join("src-tauri/src"), "lib.rs"));
}

#[test]
fn the_ui_has_no_import_circle() {
    assert_no_circles("ui/src", &ts_graph(&repo().join("ui/src")));
}

#[test]
fn the_graph_sees_a_circle_when_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\npub mod c;\npub use c::Thing;\n").unwrap();
    fs::write(src.join("a.rs"), "use crate::{b::f, c};\n").unwrap();
    fs::write(src.join("b.rs"), "// crate::c is only named here\nuse crate::Thing;\n").unwrap();
    fs::write(src.join("c.rs"), "pub struct Thing;\nfn g() { crate::a::h() }\n").unwrap();
    let graph = rust_graph(src, "lib.rs");
    assert_eq!(circles(&graph), vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);

    fs::write(src.join("c.rs"), "pub struct Thing;\n").unwrap();
    assert!(circles(&rust_graph(src, "lib.rs")).is_empty());

    let ui = src.join("ui");
    fs::create_dir_all(ui.join("views")).unwrap();
    fs::write(ui.join("app.ts"), "import { view } from \"./views/view\";\n").unwrap();
    fs::write(ui.join("views/view.ts"), "import type { App } from \"../app\";\nexport const view = 1;\n")
        .unwrap();
    assert_eq!(circles(&ts_graph(&ui)), vec![vec!["app.ts".to_owned(), "views/view.ts".to_owned()]]);
    // an import after a block that ends without a semicolon
    let late = "export interface V {\n  a: number;\n}\nimport type { App } from \"../app\";\n";
    fs::write(ui.join("views/view.ts"), format!("export const view = 1;\n{late}")).unwrap();
    assert_eq!(circles(&ts_graph(&ui)), vec![vec!["app.ts".to_owned(), "views/view.ts".to_owned()]]);
}
