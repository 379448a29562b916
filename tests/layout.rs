//! The shape of the code, checked by reading it: imports between the top-level modules run
//! one way (no circle), no source file passes 700 lines, no function passes 120.

use crate::util::project_root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "rs") {
            out.push(entry.path().to_path_buf());
        }
    }
    out
}

/// The text of a source file without its unit-test module, which may reach anywhere.
fn code_of(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name == "tests.rs" || name == "testkit.rs" {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    Some(match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => text[..i].to_string(),
        None => text,
    })
}

/// The top-level module a file of `src/` belongs to (`documents` for src/documents/claim/mod.rs).
fn module_of(src: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// Module -> the other top-level modules its code names through `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = project_root().join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources(&src) {
        let (Some(module), Some(code)) = (module_of(&src, &path), code_of(&path)) else {
            continue;
        };
        let entry = graph.entry(module.clone()).or_default();
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let target: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !target.is_empty() && target != module {
                entry.insert(target);
            }
        }
        // `use crate::{a, b}` names several modules at once.
        for group in code.split("use crate::{").skip(1) {
            let inside = group.split('}').next().unwrap_or("");
            for part in inside.split(',') {
                let target: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !target.is_empty() && target != module {
                    entry.insert(target);
                }
            }
        }
    }
    graph
}

/// A circle through `start`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_string()]];
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in graph.get(last).into_iter().flatten() {
            if next == start {
                let mut found = path.clone();
                found.push(next.clone());
                return Some(found);
            }
            if !path.contains(next) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn top_level_modules_import_one_way() {
    let graph = module_graph();
    for module in graph.keys() {
        assert_eq!(circle(&graph, module), None, "modules import in a circle");
    }
    // The pipeline's order: lower modules never name higher ones.
    let below = |m: &str, other: &str| graph.get(m).is_some_and(|d| d.contains(other));
    assert!(!below("model", "rules") && !below("model", "load") && !below("model", "documents"));
    assert!(!below("documents", "render") && !below("documents", "commands"));
    assert!(!below("rules", "documents") && !below("figures", "rules"));
    assert!(!below("render", "commands"));
    let model: Vec<&String> = graph["model"].iter().collect();
    assert_eq!(
        model,
        ["codes"],
        "model depends on nothing of ours but codes"
    );
}

#[test]
fn the_check_finds_a_circle_when_there_is_one() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("a".into());
    assert!(circle(&graph, "a").is_some());
}

#[test]
fn no_source_file_passes_700_lines_and_no_function_120() {
    let root = project_root();
    let mut long_files = Vec::new();
    let mut long_functions = Vec::new();
    for dir in ["src", "tests"] {
        for path in sources(&root.join(dir)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            if lines.len() > 700 {
                long_files.push(format!("{} ({} lines)", path.display(), lines.len()));
            }
            for (start, len) in functions(&lines) {
                if len >= 120 {
                    long_functions.push(format!("{}:{} ({len} lines)", path.display(), start + 1));
                }
            }
        }
    }
    assert!(long_files.is_empty(), "{long_files:#?}");
    assert!(long_functions.is_empty(), "{long_functions:#?}");
}

/// (first line, length) of each `fn` whose body closes at its own indentation.
fn functions(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "const fn ",
            "pub const fn ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p));
        if !is_fn {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some(open) = (i..lines.len())
            .find(|&j| lines[j].contains('{') || lines[j].trim_end().ends_with(';'))
        else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') && !lines[open].contains('{') {
            continue;
        }
        let close = format!("{}}}", " ".repeat(indent));
        if let Some(end) =
            (open..lines.len()).find(|&j| lines[j].starts_with(&close) && lines[j].trim() == "}")
        {
            out.push((i, end - i + 1));
        }
    }
    out
}
