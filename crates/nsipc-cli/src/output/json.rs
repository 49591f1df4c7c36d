//! util-linux's pretty JSON writer (`lib/jsonwrt.c`), byte for byte: three
//! spaces per level, `"name": value`, objects in an array joined as `},{`,
//! array items of strings as `"a", "b"` on one line, lower-cased keys.
//!
//! Hand-written rather than serde_json because util-linux passes bytes that
//! are not UTF-8 through unchanged, and its layout (`},{`, the space before
//! the first array item) is not serde's.

use super::encode;

/// A streaming writer into a byte buffer.
pub struct JsonWriter<'a> {
    out: &'a mut Vec<u8>,
    indent: usize,
    /// A value or container was just closed: the next one needs a comma.
    after_close: bool,
}

impl<'a> JsonWriter<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        JsonWriter {
            out,
            indent: 0,
            after_close: false,
        }
    }

    fn push_indent(&mut self) {
        for _ in 0..self.indent {
            self.out.extend_from_slice(b"   ");
        }
    }

    /// The separator, indentation and key before a value or container.
    fn name(&mut self, name: Option<&[u8]>) {
        if self.after_close {
            self.out
                .extend_from_slice(if name.is_some() { b",\n" } else { b"," });
        }
        if name.is_some() || !self.after_close {
            self.push_indent();
        }
        if let Some(name) = name {
            encode::json_string(self.out, name, true);
        }
    }

    /// Opens an object: the root (`name` None at depth 0), an array item, or
    /// a named member.
    pub fn object_open(&mut self, name: Option<&[u8]>) {
        self.name(name);
        self.out
            .extend_from_slice(if name.is_some() { b": {\n" } else { b"{\n" });
        self.indent += 1;
        self.after_close = false;
    }

    pub fn array_open(&mut self, name: Option<&[u8]>) {
        self.name(name);
        self.out
            .extend_from_slice(if name.is_some() { b": [\n" } else { b"[\n" });
        self.indent += 1;
        self.after_close = false;
    }

    fn close(&mut self, end: u8) {
        self.indent = self.indent.saturating_sub(1);
        self.out.push(b'\n');
        self.push_indent();
        self.out.push(end);
        if self.indent == 0 {
            self.out.push(b'\n');
        }
        self.after_close = true;
    }

    pub fn object_close(&mut self) {
        self.close(b'}');
    }

    pub fn array_close(&mut self) {
        self.close(b']');
    }

    fn value_open(&mut self, name: Option<&[u8]>) {
        self.name(name);
        self.out
            .extend_from_slice(if name.is_some() { b": " } else { b" " });
    }

    fn value_close(&mut self) {
        self.after_close = true;
    }

    /// A string value; empty data is `null`, as util-linux writes it.
    pub fn string(&mut self, name: Option<&[u8]>, data: &[u8]) {
        self.value_open(name);
        if data.is_empty() {
            self.out.extend_from_slice(b"null");
        } else {
            encode::json_string(self.out, data, false);
        }
        self.value_close();
    }

    /// A value written as is (numbers); empty data is `null`.
    pub fn raw(&mut self, name: Option<&[u8]>, data: &[u8]) {
        self.value_open(name);
        if data.is_empty() {
            self.out.extend_from_slice(b"null");
        } else {
            self.out.extend_from_slice(data);
        }
        self.value_close();
    }

    pub fn boolean(&mut self, name: Option<&[u8]>, value: bool) {
        self.value_open(name);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        self.value_close();
    }

    pub fn null(&mut self, name: Option<&[u8]>) {
        self.raw(name, b"");
    }

    /// `"name": []`
    pub fn empty_array(&mut self, name: Option<&[u8]>) {
        self.name(name);
        self.out
            .extend_from_slice(if name.is_some() { b": []" } else { b"[]" });
        self.after_close = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_util_linux() {
        let mut out = Vec::new();
        let mut w = JsonWriter::new(&mut out);
        w.object_open(None);
        w.array_open(Some(b"Things"));
        for i in 0..2 {
            w.object_open(None);
            w.raw(Some(b"n"), i.to_string().as_bytes());
            w.string(Some(b"s"), b"");
            w.array_open(Some(b"list"));
            w.string(None, b"a");
            w.string(None, b"b");
            w.array_close();
            w.empty_array(Some(b"none"));
            w.boolean(Some(b"b"), true);
            w.object_close();
        }
        w.array_close();
        w.object_close();
        let expected = "{\n   \"things\": [\n      {\n         \"n\": 0,\n         \"s\": null,\n         \"list\": [\n             \"a\", \"b\"\n         ],\n         \"none\": [],\n         \"b\": true\n      },{\n         \"n\": 1,\n         \"s\": null,\n         \"list\": [\n             \"a\", \"b\"\n         ],\n         \"none\": [],\n         \"b\": true\n      }\n   ]\n}\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
