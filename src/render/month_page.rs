//! The month at a glance: one self-contained HTML page listing each patient's documents (as
//! links), their findings, their claims and where each stands, the visits held off claims and
//! the documents refused, with why.

use super::html::escape;

/// Everything the month's page shows.
#[derive(Debug, Clone, Default)]
pub struct MonthPage {
    /// The practice's name.
    pub practice: String,
    /// The month, YYYY-MM.
    pub month: String,
    /// The `--as-of` date of the run.
    pub as_of: String,
    /// One section per patient, in name order.
    pub patients: Vec<PatientSection>,
    /// Documents that concern no one patient.
    pub other: Vec<DocumentRow>,
    /// Files that could not be read, as finding lines.
    pub unreadable: Vec<String>,
    /// Notices about the whole practice (shown once, not under every document).
    pub notices: Vec<String>,
}

/// One patient's part of the month.
#[derive(Debug, Clone, Default)]
pub struct PatientSection {
    /// The patient's name.
    pub name: String,
    /// The patient's id, for the anchor.
    pub id: String,
    /// The patient's documents.
    pub documents: Vec<DocumentRow>,
    /// The patient's claims of the month in the claims ledger.
    pub claims: Vec<ClaimRow>,
}

/// One document and its files.
#[derive(Debug, Clone, Default)]
pub struct DocumentRow {
    /// The kind in words, e.g. "SOAP note".
    pub kind: String,
    /// The document's name.
    pub name: String,
    /// Its files, as (label, path relative to the page).
    pub files: Vec<(String, String)>,
    /// True when refused: nothing of it is on disk.
    pub refused: bool,
    /// Its findings, one line each (errors for a refused document, else warnings).
    pub findings: Vec<String>,
    /// Visits held off it (claims), each with the lines of its errors.
    pub held: Vec<(String, Vec<String>)>,
}

/// One claim of the ledger.
#[derive(Debug, Clone, Default)]
pub struct ClaimRow {
    /// The claim id.
    pub id: String,
    /// The payer's name.
    pub payer: String,
    /// The total charge, in dollars.
    pub total: String,
    /// Where it stands: prepared, sent, or the payer's answer.
    pub status: String,
}

/// The page's own styling: the documents' stylesheet plus what a phone needs (wide tables
/// scroll in their box instead of widening the page).
const EXTRA_STYLE: &str = "
.scroll { overflow-x: auto; max-width: 100%; }
.refused { color: #8a1010; font-weight: bold; }
ul.findings { margin: 2px 0 2px 16px; padding: 0; font-size: 9.5pt; }
nav ul { columns: 2; }
@media (max-width: 600px) { body { margin: 8px; padding: 0 4px; } nav ul { columns: 1; } }
";

/// The complete page.
pub fn render(page: &MonthPage) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = format!("{}: documents of {}", page.practice, page.month);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n<style>\n", escape(&title)));
    out.push_str(super::html::STYLE);
    out.push_str(EXTRA_STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
    out.push_str(&format!("<p>{}</p>\n", escape(&summary_line(page))));
    if !page.notices.is_empty() {
        out.push_str("<h2>About the whole practice</h2>\n<ul class=\"findings\">\n");
        for line in &page.notices {
            out.push_str(&format!("<li>{}</li>\n", escape(line)));
        }
        out.push_str("</ul>\n");
    }
    if !page.unreadable.is_empty() {
        out.push_str("<h2>Files that could not be read</h2>\n<ul class=\"findings\">\n");
        for line in &page.unreadable {
            out.push_str(&format!("<li>{}</li>\n", escape(line)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<nav><h2>Patients</h2>\n<ul>\n");
    for p in &page.patients {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            escape(&p.id),
            escape(&p.name)
        ));
    }
    out.push_str("</ul></nav>\n");
    for p in &page.patients {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            escape(&p.id),
            escape(&p.name)
        ));
        documents_table(&mut out, &p.documents);
        claims_table(&mut out, &p.claims);
        out.push_str("</section>\n");
    }
    if !page.other.is_empty() {
        out.push_str("<section>\n<h2>Other documents</h2>\n");
        documents_table(&mut out, &page.other);
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// "42 documents, 2 refused, 1 visit held; as of 2026-11-30."
fn summary_line(page: &MonthPage) -> String {
    let docs = page
        .patients
        .iter()
        .flat_map(|p| &p.documents)
        .chain(&page.other);
    let (mut total, mut refused, mut held) = (0, 0, 0);
    for d in docs {
        total += 1;
        refused += usize::from(d.refused);
        held += d.held.len();
    }
    format!(
        "{total} documents, {refused} refused, {held} visit(s) held off claims; as of {}.",
        page.as_of
    )
}

fn documents_table(out: &mut String, rows: &[DocumentRow]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("<div class=\"scroll\"><table>\n<caption>Documents</caption>\n");
    out.push_str("<thead><tr><th scope=\"col\">Document</th><th scope=\"col\">Files</th><th scope=\"col\">Status and findings</th></tr></thead>\n<tbody>\n");
    for d in rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{} {}</th><td>",
            escape(&d.kind),
            escape(&d.name)
        ));
        let links: Vec<String> = d
            .files
            .iter()
            .map(|(label, href)| format!("<a href=\"{}\">{}</a>", escape(href), escape(label)))
            .collect();
        out.push_str(&links.join(" · "));
        out.push_str("</td><td>");
        if d.refused {
            out.push_str("<span class=\"refused\">refused</span>");
        } else {
            out.push_str("written");
        }
        findings_list(out, &d.findings);
        for (session, lines) in &d.held {
            out.push_str(&format!(
                "<p>visit {} held off this claim:</p>",
                escape(session)
            ));
            findings_list(out, lines);
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn claims_table(out: &mut String, rows: &[ClaimRow]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("<div class=\"scroll\"><table>\n<caption>Claims in the ledger</caption>\n");
    out.push_str("<thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Payer</th><th scope=\"col\">Total</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
    for c in rows {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>${}</td><td>{}</td></tr>\n",
            escape(&c.id),
            escape(&c.payer),
            escape(&c.total),
            escape(&c.status)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn findings_list(out: &mut String, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    out.push_str("<ul class=\"findings\">");
    for line in lines {
        out.push_str(&format!("<li>{}</li>", escape(line)));
    }
    out.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_tables_are_labelled() {
        let page = MonthPage {
            practice: "A & B <Massage>".into(),
            month: "2026-11".into(),
            as_of: "2026-11-30".into(),
            patients: vec![PatientSection {
                name: "Zoë <script>".into(),
                id: "zoe".into(),
                documents: vec![DocumentRow {
                    kind: "SOAP note".into(),
                    name: "2026-11-03-zoe".into(),
                    files: vec![("pdf".into(), "soap_note/2026-11-03-zoe.pdf".into())],
                    refused: true,
                    findings: vec!["x.yaml:3: error field.invalid: <b>".into()],
                    held: vec![],
                }],
                claims: vec![ClaimRow {
                    id: "CW1".into(),
                    payer: "P".into(),
                    total: "10.00".into(),
                    status: "sent".into(),
                }],
            }],
            other: vec![],
            unreadable: vec![],
            notices: vec!["codes/: warning <i>".into()],
        };
        let html = render(&page);
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("codes/: warning &lt;i&gt;"));
        assert!(html.contains("A &amp; B &lt;Massage&gt;"));
        assert!(html.contains("Zoë &lt;script&gt;"));
        assert!(html.contains("<caption>Documents</caption>"));
        assert!(html.contains("<th scope=\"col\">Claim</th>"));
        assert!(html.contains("href=\"soap_note/2026-11-03-zoe.pdf\""));
        assert!(html.contains("1 documents, 1 refused"));
        assert!(!html.contains("http"), "self-contained: {html}");
    }
}
