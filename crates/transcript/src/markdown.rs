//! Discord's markdown dialect, parsed into a small tree that the renderers walk.
//!
//! Discord's rules differ from CommonMark (no paragraphs, `__underline__`, `||spoilers||`,
//! `>>> ` quotes, mentions), so this is its own parser. It never fails: anything that does not
//! form a construct stays text. Two properties matter more than fidelity, because message text
//! is hostile: nesting is bounded by [`MAX_DEPTH`], and every scan either consumes input or looks
//! ahead a bounded distance, so parsing is linear in the message length.

/// The deepest nesting of inline styles (bold inside italic inside …); delimiters beyond it stay
/// text. Discord users never need more, and it bounds the renderers' recursion.
pub const MAX_DEPTH: usize = 8;

/// How far a masked link's `[text]` may reach before `](`: bounds the look-ahead at each `[`.
const MAX_LINK_TEXT: usize = 512;
/// How far a link target may reach before its `)` or `>`.
const MAX_URL: usize = 2048;
/// How far a `<…>` mention, emoji, command or timestamp may reach.
const MAX_ANGLE_TOKEN: usize = 128;

/// A line-level piece of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Consecutive ordinary lines; line breaks inside are [`Inline::LineBreak`].
    Paragraph(Vec<Inline>),
    /// `# `, `## ` or `### ` (level 1 to 3).
    Heading {
        /// 1 for `#`, 2 for `##`, 3 for `###`.
        level: u8,
        /// The heading's text.
        content: Vec<Inline>,
    },
    /// `-# ` small grey text.
    Subtext(Vec<Inline>),
    /// Consecutive `- `, `* ` or `1. ` lines.
    List(Vec<ListItem>),
    /// `> ` lines, or everything after `>>> `. Quotes do not nest.
    Quote(Vec<Block>),
    /// A fenced code block, shown verbatim.
    CodeBlock {
        /// The language named on the opening fence, if any.
        language: Option<String>,
        /// The code, exactly as written.
        code: String,
    },
}

/// One line of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The number of an ordered item (`3. `), or `None` for a bullet.
    pub number: Option<u32>,
    /// Indentation level, 0 to 3 (two spaces a level).
    pub depth: u8,
    /// The item's text.
    pub content: Vec<Inline>,
}

/// An inline style that wraps other inline content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `**bold**`
    Bold,
    /// `*italics*` or `_italics_`
    Italic,
    /// `__underline__`
    Underline,
    /// `~~strike~~`
    Strike,
    /// `||spoiler||`
    Spoiler,
}

/// A piece of text-level content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Literal text, not yet escaped.
    Text(String),
    /// A newline inside a paragraph.
    LineBreak,
    /// Styled content.
    Styled(Style, Vec<Inline>),
    /// `` `inline code` ``
    Code(String),
    /// `[text](url)` whose url is http or https.
    Link {
        /// The target, already checked by [`is_web_url`].
        url: String,
        /// The link's text.
        content: Vec<Inline>,
    },
    /// A bare or `<angle-bracketed>` http(s) URL.
    Url(String),
    /// `<@id>` or `<@!id>`
    User(u64),
    /// `<@&id>`
    Role(u64),
    /// `<#id>`
    Channel(u64),
    /// `</name:id>`, a slash command mention.
    Command(String),
    /// `<:name:id>` or `<a:name:id>`
    Emoji {
        /// The emoji's name, shown as `:name:`.
        name: String,
        /// Its id on Discord's CDN.
        id: u64,
        /// Whether it is an animated (`<a:…>`) emoji.
        animated: bool,
    },
    /// `<t:unix>` or `<t:unix:style>`
    Timestamp {
        /// Seconds since the Unix epoch.
        unix: i64,
        /// Discord's style letter (`t T d D f F R`), `f` when absent.
        style: char,
    },
}

/// Whether `url` may become a link: http or https, with a host part, and no whitespace or control
/// characters. Everything else (`javascript:`, `data:`, `file:`, relative paths) stays text.
pub fn is_web_url(url: &str) -> bool {
    let strip = |scheme: &str| {
        url.get(..scheme.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    };
    let Some(rest) = strip("https://").or_else(|| strip("http://")) else {
        return false;
    };
    !rest.is_empty()
        && !rest.starts_with('/')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Parses a whole message.
pub fn parse(src: &str) -> Vec<Block> {
    parse_pieces(&split_code_blocks(src), false)
}

/// Parses text-level markdown only (embed titles, field names and the like).
pub fn parse_inline(src: &str) -> Vec<Inline> {
    InlineParser::new(src, 0, true).run()
}

/// A stretch of a message: text, or a fenced code block.
#[derive(Debug, Clone, Copy)]
enum Piece<'s> {
    Text(&'s str),
    Code {
        language: Option<&'s str>,
        code: &'s str,
    },
}

/// Cuts out the fenced code blocks first, since nothing inside them is markdown. Fences pair up
/// from the left; an unpaired one stays text.
fn split_code_blocks(src: &str) -> Vec<Piece<'_>> {
    const FENCE: &str = "```";
    let mut pieces = Vec::new();
    let mut cursor = 0;
    while let Some(open) = src[cursor..].find(FENCE).map(|i| cursor + i) {
        let body_start = open + FENCE.len();
        let Some(close) = src[body_start..].find(FENCE).map(|i| body_start + i) else {
            break;
        };
        let before = &src[cursor..open];
        if !before.is_empty() {
            pieces.push(Piece::Text(before.strip_suffix('\n').unwrap_or(before)));
        }
        pieces.push(code_piece(&src[body_start..close]));
        cursor = close + FENCE.len();
        // The newline after a closing fence belongs to the block, not to the next line.
        if src[cursor..].starts_with('\n') {
            cursor += 1;
        }
    }
    if cursor < src.len() {
        pieces.push(Piece::Text(&src[cursor..]));
    }
    pieces
}

/// Splits a fence's body into its optional language (a single word on the opening line) and code.
fn code_piece(body: &str) -> Piece<'_> {
    if let Some((first, rest)) = body.split_once('\n') {
        let is_language = !first.is_empty()
            && first.len() <= 32
            && first
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-#._".contains(c));
        if is_language {
            return Piece::Code {
                language: Some(first),
                code: rest.strip_suffix('\n').unwrap_or(rest),
            };
        }
        if first.is_empty() {
            return Piece::Code {
                language: None,
                code: rest.strip_suffix('\n').unwrap_or(rest),
            };
        }
    }
    Piece::Code {
        language: None,
        code: body,
    }
}

/// What a single line is, before grouping.
enum Line<'s> {
    Heading(u8, &'s str),
    Subtext(&'s str),
    Item(Option<u32>, u8, &'s str),
    Plain,
}

fn classify(line: &str) -> Line<'_> {
    for (prefix, level) in [("# ", 1), ("## ", 2), ("### ", 3)] {
        if let Some(rest) = line.strip_prefix(prefix) {
            if !rest.trim().is_empty() {
                return Line::Heading(level, rest.trim());
            }
        }
    }
    if let Some(rest) = line.strip_prefix("-# ") {
        if !rest.trim().is_empty() {
            return Line::Subtext(rest.trim());
        }
    }
    let trimmed = line.trim_start_matches(' ');
    let depth = u8::try_from(((line.len() - trimmed.len()) / 2).min(3)).unwrap_or(3);
    for bullet in ["- ", "* "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            if !rest.trim().is_empty() {
                return Line::Item(None, depth, rest);
            }
        }
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        if let (Ok(number), Some(rest)) = (
            trimmed[..digits].parse::<u32>(),
            trimmed[digits..].strip_prefix(". "),
        ) {
            if !rest.trim().is_empty() {
                return Line::Item(Some(number), depth, rest);
            }
        }
    }
    Line::Plain
}

/// Collects blocks, grouping consecutive lines of one kind.
#[derive(Default)]
struct Blocks {
    blocks: Vec<Block>,
    /// Byte range of the open paragraph within the current text piece.
    paragraph: Option<(usize, usize)>,
    list: Vec<ListItem>,
    /// The open `> ` quote's lines, without their markers.
    quote: Option<String>,
}

impl Blocks {
    fn flush_paragraph(&mut self, text: &str) {
        if let Some((start, end)) = self.paragraph.take() {
            let body = &text[start..end];
            let body = body.strip_suffix('\n').unwrap_or(body);
            if !body.is_empty() {
                self.blocks.push(Block::Paragraph(parse_inline(body)));
            }
        }
    }

    fn flush_list(&mut self) {
        if !self.list.is_empty() {
            self.blocks
                .push(Block::List(std::mem::take(&mut self.list)));
        }
    }

    fn flush_quote(&mut self) {
        if let Some(body) = self.quote.take() {
            self.blocks
                .push(Block::Quote(parse_pieces(&[Piece::Text(&body)], true)));
        }
    }

    fn flush_all(&mut self, text: &str) {
        self.flush_paragraph(text);
        self.flush_list();
        self.flush_quote();
    }
}

/// Parses pieces into blocks. Inside a quote (`in_quote`), quote markers are text, which is what
/// keeps quotes one level deep.
fn parse_pieces(pieces: &[Piece<'_>], in_quote: bool) -> Vec<Block> {
    let mut out = Blocks::default();
    for (index, piece) in pieces.iter().enumerate() {
        let text = match *piece {
            Piece::Code { language, code } => {
                out.flush_all("");
                out.blocks.push(Block::CodeBlock {
                    language: language.map(str::to_owned),
                    code: code.to_owned(),
                });
                continue;
            }
            Piece::Text(text) => text,
        };
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let start = offset;
            offset += raw.len();
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            if !in_quote {
                if line.starts_with(">>> ") {
                    out.flush_all(text);
                    // A `>>> ` quote takes the rest of the message, code blocks included.
                    let mut rest = vec![Piece::Text(&text[start + 4..])];
                    rest.extend_from_slice(&pieces[index + 1..]);
                    out.blocks.push(Block::Quote(parse_pieces(&rest, true)));
                    return out.blocks;
                }
                if let Some(quoted) = line.strip_prefix("> ") {
                    out.flush_paragraph(text);
                    out.flush_list();
                    let body = out.quote.get_or_insert_with(String::new);
                    if !body.is_empty() {
                        body.push('\n');
                    }
                    body.push_str(quoted);
                    continue;
                }
            }
            out.flush_quote();
            match classify(line) {
                Line::Heading(level, content) => {
                    out.flush_paragraph(text);
                    out.flush_list();
                    out.blocks.push(Block::Heading {
                        level,
                        content: parse_inline(content),
                    });
                }
                Line::Subtext(content) => {
                    out.flush_paragraph(text);
                    out.flush_list();
                    out.blocks.push(Block::Subtext(parse_inline(content)));
                }
                Line::Item(number, depth, content) => {
                    out.flush_paragraph(text);
                    out.list.push(ListItem {
                        number,
                        depth,
                        content: parse_inline(content),
                    });
                }
                Line::Plain => {
                    out.flush_list();
                    let begin = out.paragraph.map_or(start, |(begin, _)| begin);
                    out.paragraph = Some((begin, offset));
                }
            }
        }
        out.flush_all(text);
    }
    out.flush_all("");
    out.blocks
}

/// A delimiter that may open a styled span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delim {
    Star,
    DoubleStar,
    Underscore,
    DoubleUnderscore,
    Tilde,
    Pipe,
}

impl Delim {
    fn marker(self) -> &'static str {
        match self {
            Delim::Star => "*",
            Delim::DoubleStar => "**",
            Delim::Underscore => "_",
            Delim::DoubleUnderscore => "__",
            Delim::Tilde => "~~",
            Delim::Pipe => "||",
        }
    }

    fn style(self) -> Style {
        match self {
            Delim::DoubleStar => Style::Bold,
            Delim::Star | Delim::Underscore => Style::Italic,
            Delim::DoubleUnderscore => Style::Underline,
            Delim::Tilde => Style::Strike,
            Delim::Pipe => Style::Spoiler,
        }
    }
}

/// An open span waiting for its closing delimiter.
struct Frame {
    delim: Delim,
    /// Where the delimiter run that opened it starts: a run never closes what it opened.
    run: usize,
    children: Vec<Inline>,
}

/// A single left-to-right pass with a stack of open spans. A closing delimiter closes the
/// innermost open span of its kind; spans opened above it, and spans never closed, turn back
/// into their delimiter text. Each character is looked at a bounded number of times.
struct InlineParser<'s> {
    src: &'s str,
    bytes: &'s [u8],
    pos: usize,
    /// Start of the plain text not yet added to the tree.
    plain_from: usize,
    /// The finished top-level content.
    root: Vec<Inline>,
    /// The spans still open, outermost first.
    stack: Vec<Frame>,
    /// Nesting already used by enclosing spans (for a link's text).
    outer_depth: usize,
    allow_links: bool,
    /// For each inline code fence length (1 or 2), a position from which no closing fence
    /// exists, so a message of many lone backticks is not rescanned for each one.
    no_code_close_from: [usize; 3],
    /// The next `>` or newline, for `<…>` tokens.
    next_angle_close: NextMatch,
    /// The next `](`, for masked links.
    next_link_middle: NextMatch,
    /// The next `)` or whitespace, for masked links' targets.
    next_url_end: NextMatch,
}

/// Remembers where the next byte of some kind is, so that the many constructs that look ahead
/// for the same byte share one scan instead of each rescanning the rest of the message.
struct NextMatch {
    /// The position the answer was computed from (`usize::MAX`: nothing known yet).
    from: usize,
    /// The first match at or after `from`.
    found: Option<usize>,
}

impl NextMatch {
    fn new() -> Self {
        Self {
            from: usize::MAX,
            found: None,
        }
    }

    fn find(
        &mut self,
        bytes: &[u8],
        from: usize,
        is_match: impl Fn(&[u8], usize) -> bool,
    ) -> Option<usize> {
        if from >= self.from && self.found.is_none_or(|found| found >= from) {
            return self.found;
        }
        // Searching from before the known point only needs to cover the gap up to it.
        let known = from < self.from && self.from != usize::MAX;
        let stop = if known { self.from } else { bytes.len() };
        let found = (from..stop.min(bytes.len()))
            .find(|&i| is_match(bytes, i))
            .or(if known { self.found } else { None });
        self.from = from;
        self.found = found;
        found
    }
}

impl<'s> InlineParser<'s> {
    fn new(src: &'s str, outer_depth: usize, allow_links: bool) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            plain_from: 0,
            root: Vec::new(),
            stack: Vec::new(),
            outer_depth,
            allow_links,
            no_code_close_from: [usize::MAX; 3],
            next_angle_close: NextMatch::new(),
            next_link_middle: NextMatch::new(),
            next_url_end: NextMatch::new(),
        }
    }

    fn run(mut self) -> Vec<Inline> {
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.escape(),
                b'\n' => {
                    self.flush_plain();
                    self.push(Inline::LineBreak);
                    self.skip(1);
                }
                b'*' | b'_' | b'~' | b'|' => self.delimiter_run(),
                b'`' => self.inline_code(),
                b'<' => self.angle_token(),
                b'[' if self.allow_links => self.masked_link(),
                b'h' | b'H' => self.bare_url(),
                _ => self.pos += 1,
            }
        }
        self.flush_plain();
        while !self.stack.is_empty() {
            self.unwind_top();
        }
        self.root
    }

    // --- the tree under construction ---

    /// Where content goes now: the innermost open span, or the top level.
    fn top(&mut self) -> &mut Vec<Inline> {
        match self.stack.last_mut() {
            Some(frame) => &mut frame.children,
            None => &mut self.root,
        }
    }

    fn push(&mut self, node: Inline) {
        push_node(self.top(), node);
    }

    fn push_text(&mut self, text: &str) {
        if !text.is_empty() {
            self.push(Inline::Text(text.to_owned()));
        }
    }

    /// Adds the plain text scanned since the last construct.
    fn flush_plain(&mut self) {
        let src = self.src;
        let text = &src[self.plain_from..self.pos];
        self.plain_from = self.pos;
        self.push_text(text);
    }

    /// Moves past `len` bytes that were handled as a construct.
    fn skip(&mut self, len: usize) {
        self.pos += len;
        self.plain_from = self.pos;
    }

    /// Emits `len` bytes from the current position as text.
    fn literal(&mut self, len: usize) {
        self.flush_plain();
        let text = &self.src[self.pos..self.pos + len];
        self.push_text(text);
        self.skip(len);
    }

    /// Turns the innermost open span back into its delimiter text followed by its children.
    fn unwind_top(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let parent = self.top();
        push_node(parent, Inline::Text(frame.delim.marker().to_owned()));
        for child in frame.children {
            push_node(parent, child);
        }
    }

    /// Closes the open span at `index`: spans above it were never closed, so they turn to text.
    fn close(&mut self, index: usize) {
        while self.stack.len() > index + 1 {
            self.unwind_top();
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let parent = self.top();
        if frame.children.is_empty() {
            // `****` is text in Discord, not an empty bold span.
            let marker = frame.delim.marker();
            push_node(parent, Inline::Text(format!("{marker}{marker}")));
        } else {
            push_node(parent, Inline::Styled(frame.delim.style(), frame.children));
        }
    }

    fn depth(&self) -> usize {
        self.outer_depth + self.stack.len()
    }

    /// The open span a delimiter run of `remaining` characters closes: one whose marker is
    /// exactly as long as the run if there is one (so `**a *b**` closes the bold), otherwise the
    /// innermost of the run's kinds. Never a span the same run opened.
    fn closable(
        &self,
        delims: &[Delim],
        run: usize,
        remaining: usize,
        before: Option<char>,
        after: Option<char>,
    ) -> Option<usize> {
        let candidates = || {
            (0..self.stack.len()).rev().filter(|&i| {
                let frame = &self.stack[i];
                delims.contains(&frame.delim)
                    && frame.run != run
                    && frame.delim.marker().len() <= remaining
                    && can_close(frame.delim, before, after)
            })
        };
        candidates()
            .find(|&i| self.stack[i].delim.marker().len() == remaining)
            .or_else(|| candidates().next())
    }

    // --- characters around the current position ---

    fn char_before(&self, at: usize) -> Option<char> {
        self.src[..at].chars().next_back()
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.src.get(at..).and_then(|s| s.chars().next())
    }

    // --- constructs ---

    fn escape(&mut self) {
        match self.bytes.get(self.pos + 1) {
            Some(next) if next.is_ascii_punctuation() => {
                self.flush_plain();
                self.skip(1);
                self.literal(1);
            }
            _ => self.pos += 1,
        }
    }

    /// A run of `*`, `_`, `~` or `|`: closes and opens spans as the run's length allows, and
    /// whatever is left of the run is text.
    fn delimiter_run(&mut self) {
        let byte = self.bytes[self.pos];
        let run_start = self.pos;
        let len = self.bytes[self.pos..]
            .iter()
            .take_while(|&&b| b == byte)
            .count();
        let before = self.char_before(run_start);
        let after = self.char_at(run_start + len);
        let (double, single) = match byte {
            b'*' => (Delim::DoubleStar, Some(Delim::Star)),
            b'_' => (Delim::DoubleUnderscore, Some(Delim::Underscore)),
            b'~' => (Delim::Tilde, None),
            _ => (Delim::Pipe, None),
        };
        let kinds: &[Delim] = match single {
            Some(single) => &[double, single],
            None => &[double],
        };
        self.flush_plain();
        let mut remaining = len;
        while remaining > 0 {
            if let Some(index) = self.closable(kinds, run_start, remaining, before, after) {
                remaining -= self.stack[index].delim.marker().len();
                self.close(index);
                continue;
            }
            let open = if remaining >= 2 { Some(double) } else { single };
            let Some(open) = open else { break };
            let opened_here = self
                .stack
                .iter()
                .any(|f| f.run == run_start && f.delim == open);
            if opened_here || self.depth() >= MAX_DEPTH || !can_open(open, before, after) {
                break;
            }
            self.stack.push(Frame {
                delim: open,
                run: run_start,
                children: Vec::new(),
            });
            remaining -= open.marker().len();
        }
        self.pos = run_start + len - remaining;
        self.plain_from = self.pos;
        self.literal(remaining);
    }

    /// `` `code` `` or ``` ``code`` ```: a fence of one or two backticks closed by the same.
    fn inline_code(&mut self) {
        let start = self.pos;
        let fence = self.bytes[start..]
            .iter()
            .take_while(|&&b| b == b'`')
            .count();
        if fence > 2 || start >= self.no_code_close_from[fence] {
            self.pos += fence;
            return;
        }
        let body_start = start + fence;
        let mut at = body_start;
        while at < self.bytes.len() {
            if self.bytes[at] != b'`' {
                at += 1;
                continue;
            }
            let run = self.bytes[at..].iter().take_while(|&&b| b == b'`').count();
            if run == fence && at > body_start {
                self.flush_plain();
                let code = self.src[body_start..at].to_owned();
                self.push(Inline::Code(code));
                self.skip(at + fence - start);
                return;
            }
            at += run;
        }
        self.no_code_close_from[fence] = start;
        self.pos += fence;
    }

    /// `<@id>`, `<@!id>`, `<@&id>`, `<#id>`, `<:name:id>`, `<a:name:id>`, `<t:unix[:style]>`,
    /// `</command:id>` and `<https://url>`.
    fn angle_token(&mut self) {
        let start = self.pos;
        let found = self
            .next_angle_close
            .find(self.bytes, start + 1, |b, i| b[i] == b'>' || b[i] == b'\n');
        let close = match found {
            Some(at) if self.bytes[at] == b'>' && at - start <= MAX_URL => at - start,
            _ => {
                self.pos += 1;
                return;
            }
        };
        let inner = &self.src[start + 1..start + close];
        let token = if close <= MAX_ANGLE_TOKEN {
            angle_inner(inner)
        } else {
            None
        };
        let token = token.or_else(|| is_web_url(inner).then(|| Inline::Url(inner.to_owned())));
        match token {
            Some(node) => {
                self.flush_plain();
                self.push(node);
                self.skip(close + 1);
            }
            None => self.pos += 1,
        }
    }

    /// `[text](url)`. A well-formed link to anything but http(s) stays text as a whole, so its
    /// target is never clickable.
    fn masked_link(&mut self) {
        let start = self.pos;
        let middle = self.next_link_middle.find(self.bytes, start + 1, |b, i| {
            b[i] == b']' && b.get(i + 1) == Some(&b'(')
        });
        if middle.is_none_or(|at| at - start > MAX_LINK_TEXT) {
            self.pos += 1;
            return;
        }
        let Some(text_end) = self.link_text_end(start) else {
            self.pos += 1;
            return;
        };
        let url_start = text_end + 2;
        let found = self.next_url_end.find(self.bytes, url_start, |b, i| {
            b[i] == b')' || b[i].is_ascii_whitespace()
        });
        let url_len = match found {
            Some(at) if self.bytes[at] == b')' && at > url_start && at - url_start <= MAX_URL => {
                at - url_start
            }
            _ => {
                self.pos += 1;
                return;
            }
        };
        let raw_url = &self.src[url_start..url_start + url_len];
        let url = raw_url
            .strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(raw_url);
        let text = &self.src[start + 1..text_end];
        let end = url_start + url_len + 1;
        self.flush_plain();
        if is_web_url(url) && !text.trim().is_empty() && self.depth() < MAX_DEPTH {
            let content = InlineParser::new(text, self.depth() + 1, false).run();
            self.push(Inline::Link {
                url: url.to_owned(),
                content,
            });
        } else {
            self.push_text(&self.src[start..end]);
        }
        self.skip(end - start);
    }

    /// The position of the `]` that ends a link's text and is followed by `(`, with brackets
    /// balanced, looking no further than [`MAX_LINK_TEXT`].
    fn link_text_end(&self, start: usize) -> Option<usize> {
        let limit = self.bytes.len().min(start + 1 + MAX_LINK_TEXT);
        let mut depth = 0usize;
        let mut at = start + 1;
        while at < limit {
            match self.bytes[at] {
                b'\\' => at += 1,
                b'[' => depth += 1,
                b']' if depth > 0 => depth -= 1,
                b']' => {
                    return (self.bytes.get(at + 1) == Some(&b'(')).then_some(at);
                }
                b'\n' => return None,
                _ => {}
            }
            at += 1;
        }
        None
    }

    /// A bare `http://` or `https://` URL, up to whitespace or `<`, without trailing punctuation.
    fn bare_url(&mut self) {
        let start = self.pos;
        let rest = &self.bytes[start..];
        let scheme = if rest.len() >= 8 && rest[..8].eq_ignore_ascii_case(b"https://") {
            8
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"http://") {
            7
        } else {
            self.pos += 1;
            return;
        };
        if self.char_before(start).is_some_and(char::is_alphanumeric) {
            self.pos += scheme;
            return;
        }
        let len = self.src[start..]
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(self.src.len() - start);
        let url = trim_url(&self.src[start..start + len]);
        if url.len() <= scheme || !is_web_url(url) {
            // Consumed as text, so a long non-URL is not rescanned from each `http` inside it.
            self.pos += len.max(scheme);
            return;
        }
        self.flush_plain();
        self.push(Inline::Url(url.to_owned()));
        self.skip(url.len());
    }
}

/// Adds a node, merging adjacent text so the tree stays small.
fn push_node(children: &mut Vec<Inline>, node: Inline) {
    if let (Some(Inline::Text(last)), Inline::Text(text)) = (children.last_mut(), &node) {
        last.push_str(text);
        return;
    }
    children.push(node);
}

/// Discord's flanking rules: `*` must hug the text it wraps, and `_` must not sit inside a word
/// (so `snake_case_name` stays text). The other delimiters open and close anywhere.
fn can_open(delim: Delim, before: Option<char>, after: Option<char>) -> bool {
    let hugs = after.is_some_and(|c| !c.is_whitespace());
    match delim {
        Delim::Star | Delim::DoubleStar => hugs,
        Delim::Underscore => hugs && !before.is_some_and(char::is_alphanumeric),
        _ => after.is_some(),
    }
}

fn can_close(delim: Delim, before: Option<char>, after: Option<char>) -> bool {
    let hugs = before.is_some_and(|c| !c.is_whitespace());
    match delim {
        Delim::Star | Delim::DoubleStar => hugs,
        Delim::Underscore => hugs && !after.is_some_and(char::is_alphanumeric),
        _ => before.is_some(),
    }
}

/// Drops punctuation that ends a sentence rather than the URL, and a `)` with no `(` in the URL.
fn trim_url(url: &str) -> &str {
    let mut url = url;
    loop {
        let Some(last) = url.chars().next_back() else {
            return url;
        };
        let unbalanced_paren = last == ')' && url.matches('(').count() < url.matches(')').count();
        if ".,:;!?\"'*_~|]".contains(last) || unbalanced_paren {
            url = &url[..url.len() - last.len_utf8()];
        } else {
            return url;
        }
    }
}

/// A snowflake: 1 to 20 digits that fit in a u64.
fn snowflake(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Recognises what sits between `<` and `>`.
fn angle_inner(inner: &str) -> Option<Inline> {
    if let Some(id) = inner.strip_prefix("@&") {
        return snowflake(id).map(Inline::Role);
    }
    if let Some(id) = inner.strip_prefix("@!").or_else(|| inner.strip_prefix('@')) {
        return snowflake(id).map(Inline::User);
    }
    if let Some(id) = inner.strip_prefix('#') {
        return snowflake(id).map(Inline::Channel);
    }
    if let Some(rest) = inner.strip_prefix("t:") {
        let (unix, style) = match rest.split_once(':') {
            Some((unix, style)) => {
                let mut chars = style.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if "tTdDfFR".contains(c) => (unix, c),
                    _ => return None,
                }
            }
            None => (rest, 'f'),
        };
        let digits = unix.strip_prefix('-').unwrap_or(unix);
        if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return unix
            .parse()
            .ok()
            .map(|unix| Inline::Timestamp { unix, style });
    }
    if let Some(rest) = inner.strip_prefix('/') {
        let (name, id) = rest.rsplit_once(':')?;
        snowflake(id)?;
        let valid_name = !name.is_empty()
            && name.len() <= 100
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ');
        return valid_name.then(|| Inline::Command(name.to_owned()));
    }
    let (animated, rest) = match inner.strip_prefix("a:") {
        Some(rest) => (true, rest),
        None => (false, inner.strip_prefix(':')?),
    };
    let (name, id) = rest.split_once(':')?;
    let valid_name = (1..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let id = snowflake(id)?;
    valid_name.then(|| Inline::Emoji {
        name: name.to_owned(),
        id,
        animated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_owned())
    }

    fn styled(style: Style, children: Vec<Inline>) -> Inline {
        Inline::Styled(style, children)
    }

    fn para(src: &str) -> Vec<Inline> {
        match parse(src).as_slice() {
            [Block::Paragraph(inlines)] => inlines.clone(),
            other => panic!("expected one paragraph for {src:?}, got {other:?}"),
        }
    }

    /// The deepest nesting of styled spans in a tree.
    fn depth(nodes: &[Inline]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Inline::Styled(_, c) | Inline::Link { content: c, .. } => 1 + depth(c),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// All the text a tree shows, delimiters that stayed text included.
    fn flat(nodes: &[Inline]) -> String {
        nodes
            .iter()
            .map(|n| match n {
                Inline::Text(t) | Inline::Code(t) | Inline::Url(t) => t.clone(),
                Inline::Styled(_, c) | Inline::Link { content: c, .. } => flat(c),
                Inline::LineBreak => "\n".into(),
                _ => "<token>".into(),
            })
            .collect()
    }

    #[test]
    fn plain_text_is_one_text_node() {
        assert_eq!(para("hello world"), vec![text("hello world")]);
    }

    #[test]
    fn bold_italic_underline_strike_spoiler() {
        assert_eq!(
            para("**b** *i* _j_ __u__ ~~s~~ ||p||"),
            vec![
                styled(Style::Bold, vec![text("b")]),
                text(" "),
                styled(Style::Italic, vec![text("i")]),
                text(" "),
                styled(Style::Italic, vec![text("j")]),
                text(" "),
                styled(Style::Underline, vec![text("u")]),
                text(" "),
                styled(Style::Strike, vec![text("s")]),
                text(" "),
                styled(Style::Spoiler, vec![text("p")]),
            ]
        );
    }

    #[test]
    fn triple_star_is_bold_italic() {
        assert_eq!(
            para("***both***"),
            vec![styled(
                Style::Bold,
                vec![styled(Style::Italic, vec![text("both")])]
            )]
        );
    }

    #[test]
    fn nested_styles() {
        assert_eq!(
            para("**bold _and italic_ here**"),
            vec![styled(
                Style::Bold,
                vec![
                    text("bold "),
                    styled(Style::Italic, vec![text("and italic")]),
                    text(" here"),
                ]
            )]
        );
    }

    #[test]
    fn unclosed_and_spaced_delimiters_stay_text() {
        assert_eq!(para("**never closed"), vec![text("**never closed")]);
        assert_eq!(para("2 * 3 * 4"), vec![text("2 * 3 * 4")]);
        assert_eq!(para("a ~ b | c"), vec![text("a ~ b | c")]);
        assert_eq!(para("****"), vec![text("****")]);
    }

    #[test]
    fn underscores_inside_words_stay_text() {
        assert_eq!(para("snake_case_name"), vec![text("snake_case_name")]);
    }

    #[test]
    fn crossed_spans_close_the_outer_and_unwind_the_inner() {
        // `*` opened inside `**` is never closed, so it turns back into text.
        assert_eq!(
            para("**a *b**"),
            vec![styled(Style::Bold, vec![text("a *b")])]
        );
    }

    #[test]
    fn backslash_escapes_markdown() {
        assert_eq!(para(r"\*not italic\*"), vec![text("*not italic*")]);
        assert_eq!(para(r"a\b"), vec![text(r"a\b")]);
    }

    #[test]
    fn inline_code_keeps_markdown_literal() {
        assert_eq!(
            para("run `**x** <@1>` now"),
            vec![
                text("run "),
                Inline::Code("**x** <@1>".into()),
                text(" now")
            ]
        );
        assert_eq!(para("``a ` b``"), vec![Inline::Code("a ` b".into())]);
        assert_eq!(para("a `b"), vec![text("a `b")]);
    }

    #[test]
    fn code_blocks_with_and_without_language() {
        assert_eq!(
            parse("```rust\nfn main() {}\n```"),
            vec![Block::CodeBlock {
                language: Some("rust".into()),
                code: "fn main() {}".into()
            }]
        );
        assert_eq!(
            parse("before\n```\n**not bold**\n```\nafter"),
            vec![
                Block::Paragraph(vec![text("before")]),
                Block::CodeBlock {
                    language: None,
                    code: "**not bold**".into()
                },
                Block::Paragraph(vec![text("after")]),
            ]
        );
        assert_eq!(
            parse("```inline```"),
            vec![Block::CodeBlock {
                language: None,
                code: "inline".into()
            }]
        );
        assert_eq!(para("``` unpaired"), vec![text("``` unpaired")]);
    }

    #[test]
    fn quotes_single_and_multi_line() {
        assert_eq!(
            parse("> one\n> **two**\nafter"),
            vec![
                Block::Quote(vec![Block::Paragraph(vec![
                    text("one"),
                    Inline::LineBreak,
                    styled(Style::Bold, vec![text("two")]),
                ])]),
                Block::Paragraph(vec![text("after")]),
            ]
        );
        assert_eq!(
            parse("intro\n>>> all\n> of\nthis"),
            vec![
                Block::Paragraph(vec![text("intro")]),
                Block::Quote(vec![Block::Paragraph(vec![
                    text("all"),
                    Inline::LineBreak,
                    text("> of"),
                    Inline::LineBreak,
                    text("this"),
                ])]),
            ]
        );
        assert_eq!(para(">no space"), vec![text(">no space")]);
    }

    #[test]
    fn quotes_do_not_nest() {
        assert_eq!(
            parse("> > inner"),
            vec![Block::Quote(vec![Block::Paragraph(vec![text("> inner")])])]
        );
    }

    #[test]
    fn headings_subtext_and_lists() {
        assert_eq!(
            parse("# One\n## Two\n### Three\n#### Four\n-# small"),
            vec![
                Block::Heading {
                    level: 1,
                    content: vec![text("One")]
                },
                Block::Heading {
                    level: 2,
                    content: vec![text("Two")]
                },
                Block::Heading {
                    level: 3,
                    content: vec![text("Three")]
                },
                Block::Paragraph(vec![text("#### Four")]),
                Block::Subtext(vec![text("small")]),
            ]
        );
        assert_eq!(
            parse("- a\n  * b\n1. c\nd"),
            vec![
                Block::List(vec![
                    ListItem {
                        number: None,
                        depth: 0,
                        content: vec![text("a")]
                    },
                    ListItem {
                        number: None,
                        depth: 1,
                        content: vec![text("b")]
                    },
                    ListItem {
                        number: Some(1),
                        depth: 0,
                        content: vec![text("c")]
                    },
                ]),
                Block::Paragraph(vec![text("d")]),
            ]
        );
        assert_eq!(para("#nospace"), vec![text("#nospace")]);
    }

    #[test]
    fn masked_links_only_for_web_urls() {
        assert_eq!(
            para("see [the **docs**](https://example.com/a_b)"),
            vec![
                text("see "),
                Inline::Link {
                    url: "https://example.com/a_b".into(),
                    content: vec![text("the "), styled(Style::Bold, vec![text("docs")])],
                },
            ]
        );
        for hostile in [
            "[x](javascript:alert(1))",
            "[x](data:text/html,hi)",
            "[x](JaVaScRiPt:alert)",
            "[x](/relative)",
            "[x](https:/one-slash)",
        ] {
            let nodes = para(hostile);
            assert!(
                !nodes.iter().any(|n| matches!(n, Inline::Link { .. })),
                "{hostile} became a link: {nodes:?}"
            );
            assert_eq!(flat(&nodes), hostile);
        }
    }

    #[test]
    fn bare_and_angle_urls() {
        assert_eq!(
            para("go to https://example.com/x_y_z. Now"),
            vec![
                text("go to "),
                Inline::Url("https://example.com/x_y_z".into()),
                text(". Now"),
            ]
        );
        assert_eq!(
            para("(see https://en.wikipedia.org/wiki/Rust_(language))"),
            vec![
                text("(see "),
                Inline::Url("https://en.wikipedia.org/wiki/Rust_(language)".into()),
                text(")"),
            ]
        );
        assert_eq!(
            para("<https://example.com>"),
            vec![Inline::Url("https://example.com".into())]
        );
        assert_eq!(para("javascript://x"), vec![text("javascript://x")]);
        assert_eq!(para("xhttps://a.b"), vec![text("xhttps://a.b")]);
    }

    #[test]
    fn mentions_emoji_commands_and_timestamps() {
        assert_eq!(
            para("<@1><@!2><@&3><#4><:wave:5><a:dance:6></ticket close:7><t:1700000000:R><t:-5>"),
            vec![
                Inline::User(1),
                Inline::User(2),
                Inline::Role(3),
                Inline::Channel(4),
                Inline::Emoji {
                    name: "wave".into(),
                    id: 5,
                    animated: false
                },
                Inline::Emoji {
                    name: "dance".into(),
                    id: 6,
                    animated: true
                },
                Inline::Command("ticket close".into()),
                Inline::Timestamp {
                    unix: 1_700_000_000,
                    style: 'R'
                },
                Inline::Timestamp {
                    unix: -5,
                    style: 'f'
                },
            ]
        );
    }

    #[test]
    fn malformed_tokens_stay_text() {
        for src in [
            "<@abc>",
            "<@99999999999999999999999>",
            "<@18446744073709551616>",
            "<@>",
            "<#-1>",
            "<:bad name:1>",
            "<t:1:Z>",
            "<t:99999999999999999999>",
            "<script>",
            "<@1",
        ] {
            assert_eq!(para(src), vec![text(src)], "{src}");
        }
        assert_eq!(
            para("<@18446744073709551615>"),
            vec![Inline::User(u64::MAX)]
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut src = String::new();
        for i in 0..200 {
            src.push_str(["**", "__", "~~", "||", "*", "_"][i % 6]);
            src.push('x');
        }
        for i in (0..200).rev() {
            src.push_str(["**", "__", "~~", "||", "*", "_"][i % 6]);
        }
        let nodes = para(&src);
        assert!(depth(&nodes) <= MAX_DEPTH, "depth {}", depth(&nodes));
        assert!(depth(&nodes) >= 4, "nesting was lost: {nodes:?}");
    }

    #[test]
    fn nested_link_text_is_bounded_and_has_no_links() {
        let src = "[a [b](https://x.y) c](https://example.com)";
        let nodes = para(src);
        let Some(Inline::Link { content, .. }) = nodes.first() else {
            panic!("{nodes:?}")
        };
        assert!(!content.iter().any(|n| matches!(n, Inline::Link { .. })));
    }

    #[test]
    fn huge_runs_are_text_and_fast() {
        for unit in [
            "*",
            "_",
            "~",
            "|",
            "<",
            "[",
            "<@",
            "h",
            "[a](",
            "[](",
            "<https://",
            "https:///",
        ] {
            let src = unit.repeat(100_000 / unit.len());
            let started = std::time::Instant::now();
            let blocks = parse(&src);
            let elapsed = started.elapsed();
            assert!(
                elapsed < std::time::Duration::from_secs(1),
                "{unit:?}: {elapsed:?}"
            );
            let Some(Block::Paragraph(nodes)) = blocks.first() else {
                panic!("{unit:?}");
            };
            assert_eq!(flat(nodes).len(), src.len(), "{unit:?} lost characters");
        }
    }

    #[test]
    fn many_small_spans_are_fast() {
        for unit in [
            "`",
            "``a",
            "\\",
            "*a",
            "a*",
            "**a** ",
            "[a](https://x.y)",
            "<@1>",
            "`a`",
            "~~a~~",
        ] {
            let src = unit.repeat(100_000 / unit.len());
            let started = std::time::Instant::now();
            let blocks = parse(&src);
            let elapsed = started.elapsed();
            assert!(
                elapsed < std::time::Duration::from_secs(1),
                "{unit:?}: {elapsed:?}"
            );
            assert!(!blocks.is_empty());
        }
    }

    #[test]
    fn text_survives_every_parse() {
        // Whatever the markup, the characters that are not markup reach the tree in order.
        let src = "a **b** c _d_ e";
        assert_eq!(flat(&para(src)), "a b c d e");
    }

    #[test]
    fn web_url_check() {
        assert!(is_web_url("https://example.com"));
        assert!(is_web_url("HTTP://EXAMPLE.COM/x"));
        assert!(is_web_url("https://例え.jp/パス"));
        for bad in [
            "javascript:alert(1)",
            "https://",
            "https:///x",
            "ftp://x",
            "https://a b",
            "https://a\u{0}b",
            "//example.com",
            "\u{212a}ttps://x",
            "ħttps://x",
            "https:",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
