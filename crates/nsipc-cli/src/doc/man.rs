//! roff (man(7)) pages: NAME, SYNOPSIS, DESCRIPTION, OPTIONS (one
//! subsection per help group, each option once, in help order), OUTPUT
//! COLUMNS, EXIT STATUS, ENVIRONMENT, EXAMPLES, NOTES, SEE ALSO.
//!
//! Prose uses a small plain-text markup (see [`Page`](super::pages::Page)):
//! paragraphs separated by blank lines, `- ` list items, and lines indented
//! by four spaces for commands.

use crate::getopt::{HasArg, Opt};

use super::Program;

/// Escapes text for roff: backslashes, hyphens (so they are not broken or
/// turned into typographic dashes), and a control character at the start
/// of a line.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.starts_with('.') || line.starts_with('\'') {
            out.push_str("\\&");
        }
        out.push_str(&line.replace('\\', "\\e").replace('-', "\\-"));
    }
    out
}

/// Running text: escaped, then wrapped at spaces into source lines of at
/// most 80 bytes (roff fills them again; `mandoc -T lint` wants them short).
pub(super) fn fill(text: &str) -> String {
    let escaped = escape(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut lines: Vec<String> = vec![String::new()];
    for word in escaped.split(' ') {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.len() + 1 + word.len() > 78 {
            lines.push(String::new());
        }
        let line = lines.last_mut().expect("one line");
        if line.is_empty() && (word.starts_with('.') || word.starts_with('\'')) {
            line.push_str("\\&");
        }
        if !line.is_empty() && line != "\\&" {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.join("\n")
}

/// `<file>` → italic `file`, the rest escaped.
fn placeholder(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        out.push_str(&escape(&rest[..start]));
        out.push_str(&format!(
            "\\fI{}\\fR",
            escape(&rest[start + 1..start + len])
        ));
        rest = &rest[start + len + 1..];
    }
    out.push_str(&escape(rest));
    out
}

/// Paragraphs of [`Page`](super::pages::Page) markup as roff.
pub(super) fn prose(text: &str) -> String {
    let mut out = String::new();
    for (i, para) in text.trim().split("\n\n").enumerate() {
        let lines: Vec<&str> = para.lines().collect();
        if lines.iter().all(|l| l.starts_with("    ")) {
            out.push_str(".RS 4\n.EX\n");
            for line in &lines {
                out.push_str(&escape(&line[4..]));
                out.push('\n');
            }
            out.push_str(".EE\n.RE\n");
            continue;
        }
        if lines.first().is_some_and(|l| l.starts_with("- ")) {
            let mut item = String::new();
            for line in &lines {
                if let Some(text) = line.strip_prefix("- ") {
                    if !item.is_empty() {
                        out.push_str(&format!(".IP \\(bu 2\n{}\n", fill(&item)));
                    }
                    item = text.to_string();
                } else {
                    item.push(' ');
                    item.push_str(line.trim());
                }
            }
            out.push_str(&format!(".IP \\(bu 2\n{}\n", fill(&item)));
            continue;
        }
        if i > 0 {
            out.push_str(".PP\n");
        }
        out.push_str(&fill(para));
        out.push('\n');
    }
    out
}

fn option_entry(opt: &Opt<()>) -> String {
    let long = escape(opt.long);
    let mut head = match (opt.short, opt.long.is_empty()) {
        (Some(c), false) => format!("\\fB\\-{c}\\fR, \\fB\\-\\-{long}\\fR"),
        (Some(c), true) => format!("\\fB\\-{c}\\fR"),
        (None, _) => format!("\\fB\\-\\-{long}\\fR"),
    };
    let value = placeholder(opt.value_name);
    match opt.arg {
        HasArg::No => {}
        HasArg::Required => head.push_str(&format!(" {value}")),
        HasArg::Optional => head.push_str(&format!("[={value}]")),
    }
    let text = if opt.man.is_empty() {
        opt.help
    } else {
        opt.man
    };
    // Paragraphs after the first keep the option's indent.
    let body = prose(text).replace("\n.PP\n", "\n.IP\n");
    format!(".TP\n{head}\n{body}")
}

fn section_title(section: &str) -> String {
    section.trim_end_matches(':').to_string()
}

/// The man page of one program.
pub(super) fn page(program: &Program) -> String {
    let doc = &program.doc;
    let page = program.page;
    let mut out = format!(
        ".TH {} 1 \"{}\" \"nsipc {}\" \"User Commands\"\n",
        doc.name.to_uppercase(),
        super::pages::DATE,
        env!("CARGO_PKG_VERSION"),
    );
    out.push_str(&format!(
        ".SH NAME\n{} \\- {}\n.SH SYNOPSIS\n",
        doc.name,
        escape(page.summary)
    ));
    for (i, usage) in doc.usage.iter().enumerate() {
        if i > 0 {
            out.push_str(".br\n");
        }
        let (name, rest) = usage.split_once(' ').unwrap_or((usage, ""));
        out.push_str(&format!(".B {name}\n{}\n", placeholder(rest)));
    }
    out.push_str(".SH DESCRIPTION\n");
    out.push_str(&prose(page.description));
    if page.ipc_namespace {
        out.push_str(".PP\n");
        out.push_str(&prose(super::pages::IPC_NAMESPACE));
    }

    // One heading per group, groups in order of first use, options in
    // help order inside each.
    let mut groups: Vec<(&str, Vec<&Opt<()>>)> = Vec::new();
    for opt in doc.options.iter().filter(|o| !o.help.is_empty()) {
        match groups.iter_mut().find(|(s, _)| *s == opt.section) {
            Some((_, list)) => list.push(opt),
            None => groups.push((opt.section, vec![opt])),
        }
    }
    out.push_str(".SH OPTIONS\n");
    for (section, opts) in &groups {
        if !section.is_empty() {
            out.push_str(&format!(".SS {}\n", escape(&section_title(section))));
        }
        for opt in opts {
            out.push_str(&option_entry(opt));
        }
    }
    if page.epilog && !doc.epilog.is_empty() {
        out.push_str(&format!(
            ".PP\n.nf\n{}\n.fi\n",
            escape(doc.epilog.trim_end())
        ));
    }
    if !program.columns.is_empty() {
        out.push_str(".SH OUTPUT COLUMNS\n");
        out.push_str(&prose(page.columns));
        for (name, help) in &program.columns {
            out.push_str(&format!(".TP\n.B {}\n{}\n", escape(name), fill(help)));
        }
    }
    out.push_str(".SH EXIT STATUS\n");
    out.push_str(&prose(page.exit_status));
    if !page.environment.is_empty() {
        out.push_str(".SH ENVIRONMENT\n");
        out.push_str(&prose(page.environment));
    }
    out.push_str(".SH EXAMPLES\n");
    out.push_str(&prose(page.examples));
    out.push_str(".SH NOTES\n");
    out.push_str(&prose(page.notes));
    out.push_str(".SH SEE ALSO\n");
    let refs: Vec<String> = page
        .see_also
        .iter()
        .map(|r| {
            let (name, section) = r.split_once('(').unwrap_or((r, "1)"));
            format!(".BR {} ({}", escape(name), section)
        })
        .collect();
    out.push_str(&refs.join(",\n"));
    out.push('\n');
    out
}
