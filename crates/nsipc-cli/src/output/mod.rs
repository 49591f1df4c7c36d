//! The output engine shared by the listing tools (lsns, lsipc, ipcs --json):
//! tables, raw, export/pairs, shell names, JSON and trees, as libsmartcols
//! writes them. See `docs/output-engine.md` for the API walkthrough.
//!
//! ```text
//! let mut t = Table::with_name("namespaces");
//! let ns = t.add_column(Column::new("NS", 10.0, Flags::RIGHT).json(JsonType::Number));
//! let line = t.new_line(None);
//! t.set(line, ns, "4026531840");
//! let mut fmt = Format::new(Mode::Human);   // terminal width + locale of stdout
//! t.print(&mut stdout, &fmt)?;
//! ```

mod encode;
// localtime_r and time(2): libc has no safe wrapper and rustix none of them.
#[allow(unsafe_code)]
pub(crate) mod format;
mod human;
mod json;
mod select;
mod sort;
mod table;
mod term;
mod text;

#[allow(unused_imports)] // the tools use what they need
pub use encode::{safe_encode, shell_name, Shown};
#[allow(unused_imports)]
pub use json::JsonWriter;
#[allow(unused_imports)]
pub use select::{column_list_table, find_column, parse_column_list, ColumnListError};
#[allow(unused_imports)]
pub use sort::{sorted, sorted_by_column, SortKey};
#[allow(unused_imports)]
pub use table::{Column, Flags, Format, JsonType, LineId, Mode, Table};
#[allow(unused_imports)]
pub use term::{locale_is_utf8, stdout_width};
#[allow(unused_imports)]
pub use text::{CellText, Key0x};

#[cfg(test)]
mod doc_examples;
#[cfg(test)]
mod lsns_fixtures;
#[cfg(test)]
mod tests;
