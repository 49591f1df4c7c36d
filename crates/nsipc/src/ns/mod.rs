//! Linux namespaces (to be written).
