//! The month's `index.html` and the HTML documents in a real browser (headless Chromium):
//! every link resolves, no console errors, nothing wider than a 390 px phone, and printed to
//! PDF every word of the document is there. Skipped, with a notice, where Chromium is absent.

use crate::util::{AS_OF, example, run_at};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|_| PathBuf::from(name))
        })
}

fn browse(chrome: &Path, args: &[&str], page: &Path) -> std::process::Output {
    Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium")
}

/// How many pixels `page` is wider than a 390 px viewport (0 or less: it fits), measured by
/// a copy of it with a line of script that writes the figure into the DOM.
fn overflow_at_390(chrome: &Path, page: &Path) -> i64 {
    let html = std::fs::read_to_string(page).unwrap();
    let probe = page.with_file_name("probe.html");
    let script = "<script>document.body.setAttribute('data-overflow', String(document.documentElement.scrollWidth - window.innerWidth));</script></body>";
    std::fs::write(&probe, html.replace("</body>", script)).unwrap();
    let out = browse(chrome, &["--window-size=390,800", "--dump-dom"], &probe);
    std::fs::remove_file(&probe).unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let at = dom.find("data-overflow=\"").expect("the probe ran") + "data-overflow=\"".len();
    let end = dom[at..].find('"').unwrap();
    dom[at..at + end].parse().unwrap()
}

/// Console messages (errors, warnings, logs) of the page, from Chromium's log.
fn console_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect()
}

/// Words of four letters or more; hyphens are dropped first, since pdftotext joins a word
/// the browser broke at a hyphen at the end of a line.
fn words(text: &str) -> BTreeSet<String> {
    text.replace('-', "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

fn pdftotext(pdf: &Path) -> Option<String> {
    // -raw keeps the text in the order it was drawn, so a table cell's lines stay together.
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every `href` of `html`.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

#[test]
fn the_month_page_and_documents_in_a_browser() {
    let Some(chrome) = chromium() else {
        println!("notice: Chromium is not installed: browser checks skipped");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    run_at(
        &example("harbor-street"),
        out.path(),
        AS_OF,
        &["batch", "--month", "2026-11", "-q"],
    )
    .expect_code(0);
    let month = out.path().join("2026-11");
    let index = month.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"));
    let links = hrefs(&html);
    assert!(links.len() > 50, "{} links", links.len());
    for link in &links {
        match link.strip_prefix('#') {
            Some(id) => assert!(html.contains(&format!("id=\"{id}\"")), "{link}"),
            None => assert!(month.join(link).is_file(), "{link} resolves to no file"),
        }
    }
    let load = browse(&chrome, &["--dump-dom"], &index);
    assert!(
        console_lines(&load).is_empty(),
        "{:?}",
        console_lines(&load)
    );
    let pages: Vec<PathBuf> = ["soap_note", "summary", "appeal", "superbill", "statement"]
        .iter()
        .filter_map(|kind| {
            let dir = month.join(kind);
            let mut html: Vec<PathBuf> = std::fs::read_dir(&dir)
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .collect();
            html.sort();
            html.into_iter().next()
        })
        .collect();
    assert!(pages.len() >= 4, "{pages:?}");
    for page in std::iter::once(&index).chain(&pages) {
        assert!(
            overflow_at_390(&chrome, page) <= 0,
            "{page:?} is wider than 390 px"
        );
    }
    let shot = month.join("phone.png");
    browse(
        &chrome,
        &[
            "--window-size=390,1400",
            &format!("--screenshot={}", shot.display()),
        ],
        &index,
    );
    assert!(shot.is_file(), "a 390 px screenshot of the month's page");
    for page in &pages {
        let pdf = page.with_extension("printed.pdf");
        let printed = browse(
            &chrome,
            &[
                "--no-pdf-header-footer",
                &format!("--print-to-pdf={}", pdf.display()),
            ],
            page,
        );
        assert!(console_lines(&printed).is_empty(), "{page:?}");
        let Some(text) = pdftotext(&pdf) else {
            println!("notice: pdftotext is not installed: printed text not checked");
            return;
        };
        let markdown = std::fs::read_to_string(page.with_extension("md")).unwrap();
        // The printed text with nothing but letters and digits: a word the browser broke over
        // two lines (at a hyphen or not) still reads as one.
        let blob: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let missing: Vec<String> = words(&markdown)
            .into_iter()
            .filter(|w| !blob.contains(w.as_str()))
            .collect();
        assert!(missing.is_empty(), "{page:?} printed without {missing:?}");
        // Every printed page carries the title at its top and its number at its foot.
        let html = std::fs::read_to_string(page).unwrap();
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .expect("a title")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        let count = text.matches('\u{c}').count().max(1);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(flat.matches(&title).count(), count, "{page:?}: {flat}");
        for n in 1..=count {
            assert!(
                flat.contains(&format!("Page {n} of {count}")),
                "{page:?} page {n}: {flat}"
            );
        }
        // Tables name their header cells' scope and sit in a box that scrolls on a phone.
        if html.contains("<table>") {
            assert!(html.contains("<th scope=\"col\""), "{page:?}");
            assert!(html.contains("<caption"), "{page:?}");
            assert!(html.contains("<div class=\"table-scroll\""), "{page:?}");
        }
    }
}

#[test]
fn a_printed_draft_is_stamped_on_every_page() {
    let Some(chrome) = chromium() else {
        println!("notice: Chromium is not installed: browser checks skipped");
        return;
    };
    let p = crate::util::Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    // Unsigned, with a long plan, so that the printed note runs to a second page.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("signed:"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace(
            "  plan: >-\n",
            &format!(
                "  plan: >-\n    {}\n",
                "Continue the plan as written. ".repeat(60)
            ),
        );
    p.write(file, text);
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &[
            "render",
            "soap",
            "2026-11-02-margaret-walsh",
            "--draft",
            "--format",
            "html",
        ],
    )
    .expect_code(0);
    let page = out.path().join("soap_note/2026-11-02-margaret-walsh.html");
    let pdf = page.with_extension("printed.pdf");
    browse(
        &chrome,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
        &page,
    );
    let Some(text) = pdftotext(&pdf) else {
        println!("notice: pdftotext is not installed: printed text not checked");
        return;
    };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "{text}");
    for (n, page) in pages.iter().enumerate() {
        // pdftotext reads the rotated stamp a few letters at a time; its first word is whole.
        assert!(page.contains("DRAFT"), "page {}: {page}", n + 1);
    }
    assert!(
        pages[0].contains("DRAFT - NOT FOR SUBMISSION"),
        "{}",
        pages[0]
    );
    assert!(pages[0].contains("signature.missing"), "{}", pages[0]);
    assert!(overflow_at_390(&chrome, &page) <= 0, "wider than a phone");
}
