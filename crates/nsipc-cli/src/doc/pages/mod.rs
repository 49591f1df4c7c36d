//! The prose of each man page around the generated parts: one file per
//! program. Markup (rendered by `doc::man`): paragraphs separated by blank
//! lines, `- ` list items, lines indented by four spaces for commands.

mod ipc;
mod ipcmk;
mod ipcrm;
mod ipcs;
mod lsipc;
mod lsns;
mod nsenter;
mod nsipc;
mod unshare;

pub use ipc::IPC_NAMESPACE;

/// One man page's hand-written sections.
pub struct Page {
    /// The NAME line after the dash.
    pub summary: &'static str,
    pub description: &'static str,
    /// Whether DESCRIPTION goes on with what an IPC namespace isolates.
    pub ipc_namespace: bool,
    /// Whether the help's closing text is repeated after the options.
    pub epilog: bool,
    /// Introduction of OUTPUT COLUMNS (tools with `-o` only).
    pub columns: &'static str,
    pub exit_status: &'static str,
    /// Empty: no ENVIRONMENT section.
    pub environment: &'static str,
    pub examples: &'static str,
    pub notes: &'static str,
    pub see_also: &'static [&'static str],
}

/// The date of the pages' current text.
pub const DATE: &str = "2026-12-02";

/// The page of a program (a tool or `nsipc`).
pub fn page(name: &str) -> &'static Page {
    match name {
        "unshare" => &unshare::PAGE,
        "nsenter" => &nsenter::PAGE,
        "lsns" => &lsns::PAGE,
        "ipcs" => &ipcs::PAGE,
        "ipcmk" => &ipcmk::PAGE,
        "ipcrm" => &ipcrm::PAGE,
        "lsipc" => &lsipc::PAGE,
        _ => &nsipc::PAGE,
    }
}
