//! The `lsns -Q/--filter` expression language (libsmartcols filters).
