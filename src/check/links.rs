//! Every internal link of the rendered site must lead to a file it has, and every fragment to an
//! element of that file, as the pages will be served under the base URL's path.
//!
//! Links are read from `href` and `src` attributes by an HTML tokenizer (any quoting, character
//! references), and read as a server reads them: `?query` left out, `%20` decoded. External links (any scheme, `//host`) are
//! not followed; absolute URLs under the base URL, and root-relative paths under its path, are
//! internal.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

use crate::error::Error;

/// Which attribute a value was read from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Attribute {
    Id,
    Link,
}

/// Every `id`, `href` and `src` attribute of a page, as the HTML tokenizer reads them
/// ([`attributes_by_tokenizer`]), found by a lexer of tags fast enough for every page of every
/// build: a tokenizer reads each character of the text between tags, which is most of a page of
/// statements, and costs some twenty times as much. The lexer follows the tokenizer's states for
/// tags, comments and raw text (any quoting, case, duplicate and end-tag attributes), hands a
/// tag with a character reference in a value read to the tokenizer, and the whole page to it
/// where a quoted value is not closed. A differential property test pins it to the tokenizer.
fn attributes(html: &str) -> Vec<(Attribute, String)> {
    lex_attributes(html).unwrap_or_else(|| attributes_by_tokenizer(html))
}

/// The attribute named `name` that links are read from, if it is one.
fn attribute_kind(name: &[u8]) -> Option<Attribute> {
    if name.eq_ignore_ascii_case(b"id") {
        Some(Attribute::Id)
    } else if name.eq_ignore_ascii_case(b"href") || name.eq_ignore_ascii_case(b"src") {
        Some(Attribute::Link)
    } else {
        None
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\x0c' | b' ' | b'\r')
}

/// The lexer of [`attributes`]; `None` where the page is left to the tokenizer.
fn lex_attributes(html: &str) -> Option<Vec<(Attribute, String)>> {
    let bytes = html.as_bytes();
    let n = bytes.len();
    let mut found = Vec::new();
    // The attributes of the tag being read: (kind, name, value); one buffer for every tag.
    let mut read: Vec<(Option<Attribute>, &[u8], &str)> = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|at| i + at) {
        let Some(&next) = bytes.get(lt + 1) else {
            break;
        };
        if next == b'!' {
            i = if bytes[lt + 2..].starts_with(b"--") {
                // A comment ends at `-->`, `--!>`, or at once as `<!-->` or `<!--->`.
                let body = lt + 4;
                if bytes[body..].starts_with(b">") {
                    body + 1
                } else if bytes[body..].starts_with(b"->") {
                    body + 2
                } else {
                    let end = memchr::memchr_iter(b'>', &bytes[body..])
                        .map(|at| body + at)
                        .find(|&gt| {
                            let before = &bytes[body..gt];
                            before.ends_with(b"--") || before.ends_with(b"--!")
                        })
                        .map(|gt| gt + 1);
                    end.unwrap_or(n)
                }
            } else {
                memchr::memchr(b'>', &bytes[lt..]).map_or(n, |at| lt + at + 1)
            };
            continue;
        }
        if next == b'?' {
            i = memchr::memchr(b'>', &bytes[lt..]).map_or(n, |at| lt + at + 1);
            continue;
        }
        let end_tag = next == b'/';
        let name_start = lt + 1 + usize::from(end_tag);
        match bytes.get(name_start) {
            Some(c) if c.is_ascii_alphabetic() => {}
            Some(b'>') if end_tag => {
                i = name_start + 1;
                continue;
            }
            None if end_tag => break,
            _ if end_tag => {
                i = memchr::memchr(b'>', &bytes[lt..]).map_or(n, |at| lt + at + 1);
                continue;
            }
            _ => {
                i = lt + 1;
                continue;
            }
        }
        let mut at = name_start;
        while at < n && !is_space(bytes[at]) && bytes[at] != b'/' && bytes[at] != b'>' {
            at += 1;
        }
        let name = &bytes[name_start..at];
        read.clear();
        let mut closed = false;
        while at < n {
            match bytes[at] {
                c if is_space(c) || c == b'/' => at += 1,
                b'>' => {
                    closed = true;
                    at += 1;
                    break;
                }
                _ => {
                    // An attribute name runs to a space, `/`, `>` or an `=` after its first.
                    let start = at;
                    at += 1;
                    while at < n && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=')
                    {
                        at += 1;
                    }
                    let attribute = &bytes[start..at];
                    while at < n && is_space(bytes[at]) {
                        at += 1;
                    }
                    let mut value = "";
                    if bytes.get(at) == Some(&b'=') {
                        at += 1;
                        while at < n && is_space(bytes[at]) {
                            at += 1;
                        }
                        match bytes.get(at) {
                            Some(&quote @ (b'"' | b'\'')) => {
                                let from = at + 1;
                                let to = memchr::memchr(quote, &bytes[from..]).map(|e| from + e)?;
                                value = &html[from..to];
                                at = to + 1;
                            }
                            Some(b'>') | None => {}
                            Some(_) => {
                                let from = at;
                                while at < n && !is_space(bytes[at]) && bytes[at] != b'>' {
                                    at += 1;
                                }
                                value = &html[from..at];
                            }
                        }
                    }
                    if !read
                        .iter()
                        .any(|(_, seen, _)| seen.eq_ignore_ascii_case(attribute))
                    {
                        read.push((attribute_kind(attribute), attribute, value));
                    }
                }
            }
        }
        if !closed {
            // A tag cut off by the end of the page is not a tag.
            break;
        }
        if !end_tag {
            // The tokenizer decodes references (and line breaks) in the values read.
            let decoded = |value: &str| value.contains(['&', '\r', '\0']);
            if read
                .iter()
                .any(|(kind, _, value)| kind.is_some() && decoded(value))
            {
                found.extend(attributes_by_tokenizer(&html[lt..at]));
            } else {
                found.extend(
                    read.drain(..)
                        .filter_map(|(kind, _, value)| Some((kind?, value.to_string()))),
                );
            }
        }
        i = at;
        if end_tag {
            continue;
        }
        // The text of these elements is not markup, up to their own end tag.
        let raw_text: &[&[u8]] = &[
            b"textarea",
            b"title",
            b"style",
            b"iframe",
            b"xmp",
            b"noembed",
            b"noframe",
            b"noscript",
        ];
        if name.eq_ignore_ascii_case(b"plaintext") {
            break;
        }
        if name.eq_ignore_ascii_case(b"script") {
            i = script_end(bytes, i);
            continue;
        }
        if raw_text.iter().any(|r| name.eq_ignore_ascii_case(r)) {
            let mut from = i;
            i = loop {
                let Some(close) = memchr::memmem::find(&bytes[from..], b"</").map(|e| from + e)
                else {
                    break n;
                };
                let after = close + 2 + name.len();
                if bytes
                    .get(close + 2..after)
                    .is_some_and(|tag| tag.eq_ignore_ascii_case(name))
                    && bytes
                        .get(after)
                        .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
                {
                    break close;
                }
                from = close + 2;
            };
        }
    }
    Some(found)
}

/// Whether `bytes` at `at` holds `name` (in any case) ending as a tag name ends.
fn tag_name_at(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    bytes
        .get(at..at + name.len())
        .is_some_and(|read| read.eq_ignore_ascii_case(name))
        && bytes
            .get(at + name.len())
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Where the text of a `<script>` that starts at `from` ends: at the `</script` that closes
/// it, read by the tokenizer's script states (`<!--` escapes, and a `<script>` inside the
/// escape holds its `</script>`).
fn script_end(bytes: &[u8], from: usize) -> usize {
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = from;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let closes = rest.starts_with(b"</") && tag_name_at(bytes, i + 2, b"script");
        match state {
            State::Data if rest.starts_with(b"<!--") => {
                i += 4;
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'>') {
                    i += 1;
                } else {
                    state = State::Escaped;
                }
                continue;
            }
            State::Data | State::Escaped if closes => return i,
            State::Escaped | State::DoubleEscaped if rest.starts_with(b"-->") => {
                state = State::Data;
                i += 3;
                continue;
            }
            State::Escaped if rest.starts_with(b"<") && tag_name_at(bytes, i + 1, b"script") => {
                state = State::DoubleEscaped;
                i += 7;
                continue;
            }
            State::DoubleEscaped if closes => {
                state = State::Escaped;
                i += 8;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Every `id`, `href` and `src` attribute of start tags, read by the HTML tokenizer (html5gum)
/// with the tokenizer's own switch into raw text for `<style>` and the like; the first of
/// duplicated attributes counts, as in a browser.
fn attributes_by_tokenizer(html: &str) -> Vec<(Attribute, String)> {
    let mut found = Vec::new();
    // The start tag being read: its attributes, by name, with their values.
    let mut tag: Option<Vec<(Vec<u8>, String)>> = None;
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| {
        match event {
            CallbackEvent::OpenStartTag { .. } => tag = Some(Vec::new()),
            CallbackEvent::AttributeName { name } => {
                if let Some(attributes) = &mut tag {
                    attributes.push((name.to_ascii_lowercase(), String::new()));
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some((_, read)) = tag.as_mut().and_then(|a| a.last_mut()) {
                    *read = String::from_utf8_lossy(value).into_owned();
                }
            }
            CallbackEvent::CloseStartTag { .. } => {
                let mut seen: Vec<Vec<u8>> = Vec::new();
                for (name, value) in tag.take().unwrap_or_default() {
                    if seen.contains(&name) {
                        continue;
                    }
                    if let Some(kind) = attribute_kind(&name) {
                        found.push((kind, value));
                    }
                    seen.push(name);
                }
            }
            CallbackEvent::EndTag { .. } => tag = None,
            _ => {}
        }
        None::<Infallible>
    });
    emitter.naively_switch_states(true);
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
    found
}

/// A link's path or fragment as the file or id it names: `%20` is a space.
fn percent_decoded(text: &str) -> Cow<'_, str> {
    if text.contains('%') {
        percent_encoding::percent_decode_str(text).decode_utf8_lossy()
    } else {
        Cow::Borrowed(text)
    }
}

/// Joins a relative link to the folder of `page`; `None` when it climbs above the root.
fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if link.is_empty() || link.ends_with('/') || link.ends_with("/.") || link == "." {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// 32 bits of an id's hash: a page's few hundred ids fit in a small sorted array, and a
/// fragment that is missing from the page matches one of them by chance once in ten million.
fn id_hash(id: &str) -> u32 {
    // FNV-1a: fixed, so the same on every run, and cheap for short ids.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 32) as u32 ^ hash as u32
}

/// A link to another file, checked once every file is known: (target, fragment).
type Pending = BTreeMap<(String, Option<String>), (String, String)>;

/// What the pages read so far hold: their ids, their links to other files, and the problems
/// found within a page. Pages may be read into several (one per rendering thread), which are
/// merged before the links to other files are checked.
#[derive(Default)]
pub struct Links {
    /// Element ids of every page, hashed and sorted: enough to prove a fragment exists.
    ids: HashMap<String, Box<[u32]>>,
    /// Each target once, with the first page in path order that links it, which reports it.
    pending: Pending,
    errors: Vec<(String, String)>,
}

impl Links {
    /// Adds the pages read into `other`.
    pub fn merge(&mut self, other: Links) {
        self.ids.extend(other.ids);
        self.errors.extend(other.errors);
        for (target, (page, link)) in other.pending {
            self.add_pending(target, page, link);
        }
    }

    fn add_pending(&mut self, target: (String, Option<String>), page: String, link: String) {
        use std::collections::btree_map::Entry;
        match self.pending.entry(target) {
            Entry::Vacant(slot) => {
                slot.insert((page, link));
            }
            Entry::Occupied(mut slot) => {
                if page < slot.get().0 {
                    slot.insert((page, link));
                }
            }
        }
    }

    /// Pages that links lead into but that were not read.
    pub fn unseen_targets(&self) -> Vec<String> {
        let mut targets: Vec<String> = self
            .pending
            .keys()
            .filter(|(target, fragment)| fragment.is_some() && !self.ids.contains_key(target))
            .map(|(target, _)| target.clone())
            .collect();
        targets.dedup();
        targets
    }

    /// Every problem found, once `paths` holds every file of the site.
    pub fn finish(self, paths: &BTreeSet<String>) -> Vec<Error> {
        let mut errors = self.errors;
        for ((target, fragment), (page, link)) in self.pending {
            if !paths.contains(&target) {
                errors.push((
                    page,
                    format!("link {link:?} leads to {target}, which the site does not have"),
                ));
            } else if let (Some(fragment), Some(ids)) = (&fragment, self.ids.get(&target))
                && ids.binary_search(&id_hash(fragment)).is_err()
            {
                errors.push((
                    page,
                    format!("link {link:?}: {target} has no element with id {fragment:?}"),
                ));
            }
        }
        errors.sort();
        errors
            .into_iter()
            .map(|(page, message)| Error::Link { page, message })
            .collect()
    }
}

/// Reads the links of pages as they are rendered (in any order, on any thread, into the
/// [`Links`] of that thread): links within a page are checked at once, links to other files
/// by [`Links::finish`] when every file is known.
pub struct LinkCheck {
    base_url: String,
    base_path: String,
}

impl LinkCheck {
    /// `base_url` ends with "/", `base_path` is its path.
    pub fn new(base_url: &str, base_path: &str) -> Self {
        LinkCheck {
            base_url: base_url.to_string(),
            base_path: base_path.to_string(),
        }
    }

    /// The file a link leads to, relative to the root; `Ok(None)` for an external link.
    fn target(&self, page: &str, target: &str) -> Result<Option<String>, String> {
        if let Some(rest) = target.strip_prefix(&self.base_url) {
            return Ok(Some(resolve("", rest).unwrap_or_default()));
        }
        if target.starts_with("//") || target.contains(':') {
            return Ok(None);
        }
        if let Some(rest) = target.strip_prefix(&self.base_path) {
            return Ok(Some(resolve("", rest).unwrap_or_default()));
        }
        if target.starts_with('/') {
            return Err(format!(
                "leaves the site's path {}; link relative to the page",
                self.base_path
            ));
        }
        if target.is_empty() {
            return Ok(Some(page.to_string()));
        }
        resolve(page, target)
            .map(Some)
            .ok_or_else(|| "climbs above the site's root".to_string())
    }

    /// Reads one page into `links`: its ids, and its links.
    pub fn page(&self, links: &mut Links, page: &str, html: &str) {
        let mut hashes: Vec<u32> = Vec::new();
        let mut found = Vec::new();
        for (attribute, value) in attributes(html) {
            match attribute {
                Attribute::Id => hashes.push(id_hash(&value)),
                Attribute::Link => found.push(value),
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        let has_id = |id: &str| hashes.binary_search(&id_hash(id)).is_ok();
        for link in &found {
            let link: &str = link;
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t, Some(percent_decoded(f)).filter(|f| !f.is_empty())),
                None => (link, None),
            };
            // The query is for a server; the file is the same.
            let target = target.split_once('?').map_or(target, |(path, _)| path);
            let fragment = fragment.as_deref();
            match self.target(page, &percent_decoded(target)) {
                Ok(None) => {}
                Ok(Some(resolved)) if resolved == page => {
                    if let Some(fragment) = fragment.filter(|f| !has_id(f)) {
                        links.errors.push((
                            page.to_string(),
                            format!("link {link:?}: {page} has no element with id {fragment:?}"),
                        ));
                    }
                }
                Ok(Some(resolved)) => links.add_pending(
                    (resolved, fragment.map(str::to_string)),
                    page.to_string(),
                    link.to_string(),
                ),
                Err(why) => links
                    .errors
                    .push((page.to_string(), format!("link {link:?} {why}"))),
            }
        }
        links
            .ids
            .insert(page.to_string(), hashes.into_boxed_slice());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::OutputFile;

    /// Every link of every HTML file of a finished site, as a build checks them.
    fn check(files: &[OutputFile], base_url: &str, base_path: &str) -> Vec<Error> {
        let check = LinkCheck::new(base_url, base_path);
        let mut links = Links::default();
        for file in files.iter().filter(|f| f.path.ends_with(".html")) {
            if let Ok(html) = std::str::from_utf8(&file.bytes) {
                check.page(&mut links, &file.path, html);
            }
        }
        links.finish(&files.iter().map(|f| f.path.clone()).collect())
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile::new(path, text.as_bytes().to_vec())
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve("releases/q1/index.html", "../../style.css").unwrap(),
            "style.css"
        );
        assert_eq!(
            resolve("releases/q1/index.html", "../../").unwrap(),
            "index.html"
        );
        assert_eq!(resolve("index.html", "./").unwrap(), "index.html");
        assert_eq!(
            resolve("index.html", "releases/q1/").unwrap(),
            "releases/q1/index.html"
        );
        assert_eq!(resolve("index.html", "../x"), None);
    }

    #[test]
    fn finds_missing_files_and_fragments() {
        let files = [
            file(
                "index.html",
                r##"<a href="releases/q1/#ops">ok</a> <a href="releases/q1/#nope">x</a>
                   <a href="https://example.com/">ext</a> <a href="mailto:a@b.c">m</a>
                   <a href="missing.html">y</a> <link href="https://o.github.io/r/releases/q1/" />
                   <a href="/r/style.css">ok</a> <a href="/elsewhere">z</a> <a href="#top" id="top">t</a>"##,
            ),
            file("releases/q1/index.html", r#"<table id="ops"></table>"#),
            file("style.css", ""),
        ];
        let errors: Vec<String> = check(&files, "https://o.github.io/r/", "/r/")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(errors[0].contains("leaves the site's path"), "{errors:#?}");
        assert!(errors[1].contains("missing.html, which the site does not have"));
        assert!(errors[2].contains("\"releases/q1/#nope\""));
    }

    #[test]
    fn reads_links_as_a_browser_and_a_server_do() {
        let files = [
            file(
                "index.html",
                "<a href='nope/'>single</a> <a href=gone.html>bare</a> \
                 <a HREF=\"annual%20report.pdf?v=2\">pdf</a> <img src='a&amp;b.png'> \
                 <a href=\"?page=2#caf%C3%A9\">q</a> <p id='café'></p> \
                 <style>a[href=\"x\"] { color: red }</style> <a href=\"#\">top</a>",
            ),
            file("annual report.pdf", ""),
            file("a&b.png", ""),
        ];
        let errors: Vec<String> = check(&files, "https://o.github.io/r/", "/r/")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("\"gone.html\""), "{errors:#?}");
        assert!(
            errors[1].contains("\"nope/\" leads to nope/index.html"),
            "{errors:#?}"
        );
    }

    /// Pieces of HTML, well and badly formed, that the lexer's every state meets.
    const PIECES: &[&str] = &[
        "<a",
        "<A",
        "</a",
        "<img",
        "<p",
        " ",
        "\n",
        "\t",
        "\x0c",
        "=",
        "\"",
        "'",
        ">",
        "/",
        "/>",
        "href",
        "HREF",
        "src",
        "id",
        "iD",
        "class",
        "x",
        "é",
        "a.html",
        "#top",
        "?q=1",
        "%20",
        "&amp;",
        "&#x27;",
        "&quot;",
        "&",
        "&ampx",
        "<",
        "</",
        "</>",
        "<!--",
        "-->",
        "--!>",
        "-",
        "!",
        "<!",
        "<!DOCTYPE html>",
        "<?x",
        "<style>",
        "</style>",
        "</STYLE ",
        "<title>",
        "</title>",
        "<textarea>",
        "</textarea>",
        "<script>",
        "</script>",
        "<script ",
        "</SCRIPT",
        "<!--->",
        "<plaintext>",
        "<script><!--<script>",
        "<a href=x>",
        "<p id='y'>",
        "<noscript>",
        "</noscript>",
        "\r\n",
        "\0",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The fast lexer reads exactly what the HTML tokenizer reads.
        #[test]
        fn the_lexer_reads_the_attributes_the_tokenizer_reads(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            let html = pieces.concat();
            proptest::prop_assert_eq!(attributes(&html), attributes_by_tokenizer(&html), "{:?}", html);
        }
    }

    #[test]
    fn the_lexer_reads_script_text_as_the_tokenizer_does() {
        for html in [
            "<script>x</script><a href=a>",
            "<script><!--<script></script><a href=hidden></script><a href=b>",
            "<script><!--<script></script>--><a href=hidden></script><a href=c>",
            "<script><!--></script><a href=d>",
            "<script><!---></script><a href=e>",
            "<script><!-- --></SCRIPT ><a href=f>",
            "<script></scripts><a href=hidden></script/><a href=g>",
            "<script><!--<scripts></script><a href=h>",
        ] {
            let read = attributes(html);
            assert_eq!(read, attributes_by_tokenizer(html), "{html}");
            assert!(
                !read.is_empty() && read.iter().all(|(_, v)| v != "hidden"),
                "{html}"
            );
        }
    }

    #[test]
    fn the_lexer_reads_the_attributes_the_tokenizer_reads_on_a_page() {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><style>a[href='x'] { }</style>\
            <link rel=stylesheet href=../style.css></head><body><!-- <a href=\"hidden\"> -->\
            <a href='single' HREF=\"dup\">x</a> <img src=\"a&amp;b.png\" alt=''>\
            <p id=top class=\"x\"></p><a href=\"q?a=1&amp;b=2#frag\">q</a></body></html>";
        let read = attributes(page);
        assert_eq!(read, attributes_by_tokenizer(page));
        let links: Vec<&str> = read.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            links,
            ["../style.css", "single", "a&b.png", "top", "q?a=1&b=2#frag"]
        );
        assert!(lex_attributes("<a href='x").is_none());
    }
}
