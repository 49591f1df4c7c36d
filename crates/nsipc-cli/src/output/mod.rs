//! The output engine shared by the listing tools (lsns, lsipc, ipcs --json):
//! tables, raw, export/pairs, shell names, JSON and trees, as libsmartcols
//! writes them.
