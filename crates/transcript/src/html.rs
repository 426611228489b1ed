//! The HTML transcript: one self-contained page, no scripts, every piece of user content escaped.
//!
//! Safety does not rest on the Content-Security-Policy: user text only ever reaches the page
//! through [`escape`], only http(s) URLs become `href`/`src` values, and every attribute value is
//! double-quoted and escaped. The CSP is a second wall behind the first.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;

use ticketbooth_core::Language;
use ticketbooth_core::i18n::TranscriptText;

use crate::format::{
    channel_label, discord_timestamp, human_duration, human_size, human_time, iso_time, plain_time,
    preview, role_label, say, user_label,
};
use crate::info::{Directory, Names, TicketInfo};
use crate::markdown::{self, Block, Inline, Style};
use crate::{CapturedAttachment, CapturedMessage};

/// The policy in the page's `<meta>`: no scripts, no fetches, no frames, no forms; inline styles
/// and https images only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src https://cdn.discordapp.com https://media.discordapp.net data:; base-uri 'none'; \
     form-action 'none'";

/// Embeds, fields and reply previews are bounded as Discord bounds them, so a hand-made capture
/// cannot make the page arbitrarily larger than its input.
const MAX_EMBEDS: usize = 10;
const MAX_FIELDS: usize = 25;
const REPLY_PREVIEW_CHARS: usize = 100;

const STYLE: &str = r#"
:root{color-scheme:dark light}
*{box-sizing:border-box}
body{margin:0;background:#313338;color:#dbdee1;font:15px/1.375 "gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif}
a{color:#00a8fc;text-decoration:none}a:hover{text-decoration:underline}
header{padding:20px 24px;border-bottom:1px solid #3f4147;background:#2b2d31}
header h1{margin:0 0 8px;font-size:22px;color:#f2f3f5}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;font-size:14px}
header dt{color:#949ba4}header dd{margin:0;unicode-bidi:isolate}
main{padding:8px 0 24px}
.msg{display:flex;gap:16px;padding:4px 24px 4px 16px;position:relative;flex-wrap:wrap}
.msg:hover{background:#2e3035}
.msg:target{background:#3b3d44}
.reply{flex-basis:100%;margin-left:56px;font-size:13px;color:#b5bac1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.avatar{width:40px;height:40px;border-radius:50%;flex:none;margin-top:2px}
.initial{display:flex;align-items:center;justify-content:center;font-weight:600;color:#fff;font-size:18px}
.body{flex:1;min-width:0}
.head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.author{font-weight:600;color:#f2f3f5;unicode-bidi:isolate}
.tag{background:#5865f2;color:#fff;font-size:10px;font-weight:600;padding:1px 4px;border-radius:3px;text-transform:uppercase}
.head time,.edited{color:#949ba4;font-size:12px}
.deleted .content{text-decoration:line-through;text-decoration-color:#f23f43}
.tag.gone{background:#f23f43}
.original{font-size:13px;color:#b5bac1;border-left:2px solid #4e5058;padding-left:8px;margin:2px 0}
.content time{background:rgba(255,255,255,.06);border-radius:3px;padding:0 2px}
.content{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}
.content p{margin:0}
h1.md,h2.md,h3.md{margin:8px 0 0;color:#f2f3f5}h1.md{font-size:24px}h2.md{font-size:20px}h3.md{font-size:16px}
.sub{font-size:12px;color:#949ba4}
blockquote{margin:0;padding:0 8px 0 12px;border-left:4px solid #4e5058}
pre{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
code{font-family:Consolas,"Andale Mono WT","Andale Mono","Liberation Mono",monospace;font-size:13px}
:not(pre)>code{background:#2b2d31;padding:0 3px;border-radius:3px}
.li{display:block}
.mention{background:rgba(88,101,242,.3);color:#c9cdfb;border-radius:3px;padding:0 2px;unicode-bidi:isolate}
.spoiler{background:#1e1f22;color:transparent;border-radius:3px}
.spoiler:hover,.spoiler:focus{background:#3b3d44;color:inherit}
.spoiler *{visibility:hidden}.spoiler:hover *,.spoiler:focus *{visibility:visible}
.embed{margin-top:4px;max-width:520px;background:#2b2d31;border-left:4px solid #1e1f22;border-radius:4px;padding:8px 16px 12px 12px;display:grid;gap:4px}
.embed-title{font-weight:600;color:#f2f3f5}
.embed-author,.embed-footer{font-size:12px;display:flex;gap:8px;align-items:center}
.embed-author img,.embed-footer img{width:20px;height:20px;border-radius:50%}
.fields{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
.field{grid-column:1/-1}.field.inline{grid-column:auto}
.field-name{font-weight:600;font-size:14px}
.embed img.image{max-width:100%;border-radius:4px}
.embed img.thumb{max-width:80px;max-height:80px;border-radius:4px}
.att{margin-top:4px;padding:8px 12px;background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;display:inline-block}
.att .size{color:#949ba4;font-size:12px;margin-left:8px}
footer{padding:12px 24px;color:#949ba4;font-size:12px;border-top:1px solid #3f4147}
"#;

/// Colours for avatars without an image, picked by user id like Discord's default avatars.
const AVATAR_COLOURS: [&str; 6] = [
    "#5865f2", "#757e8a", "#3ba55c", "#faa61a", "#ed4245", "#eb459f",
];

/// Escapes text for an HTML text node or a double-quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            // NUL is not allowed in HTML text; browsers would substitute it anyway.
            0 => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(replacement);
        from = at + 1;
    }
    out.push_str(&text[from..]);
}

/// Renders a ticket's transcript as one self-contained HTML document.
pub fn render_html(ticket: &TicketInfo, messages: &[CapturedMessage], dir: &Directory) -> String {
    let names = Names::new(dir, messages);
    let mut page = Page {
        out: String::with_capacity(4096 + messages.len() * 700),
        names: &names,
        by_id: messages.iter().map(|m| (m.id, m)).collect(),
        lang: ticket.language,
    };
    page.document(ticket, messages);
    page.out
}

struct Page<'a> {
    out: String,
    names: &'a Names<'a>,
    by_id: HashMap<u64, &'a CapturedMessage>,
    lang: Language,
}

impl<'a> Page<'a> {
    fn say(&self, text: TranscriptText) -> String {
        say(self.lang, text)
    }

    fn raw(&mut self, html: &str) {
        self.out.push_str(html);
    }

    fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// `<tag class="…">text</tag>` with the text escaped.
    fn element(&mut self, tag: &str, class: &str, text: &str) {
        let _ = write!(self.out, "<{tag} class=\"{class}\">");
        self.text(text);
        let _ = write!(self.out, "</{tag}>");
    }

    fn time(&mut self, time: chrono::DateTime<chrono::Utc>) {
        let iso = iso_time(time);
        let _ = write!(
            self.out,
            "<time datetime=\"{iso}\" title=\"{iso}\">{}</time>",
            human_time(time)
        );
    }

    /// An `<a>` to a URL that has passed [`markdown::is_web_url`]; anything else is not a link.
    fn link_open(&mut self, url: &str) {
        self.raw("<a href=\"");
        self.text(url);
        self.raw("\" target=\"_blank\" rel=\"noopener noreferrer nofollow\">");
    }

    fn document(&mut self, ticket: &TicketInfo, messages: &'a [CapturedMessage]) {
        let _ = write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
            self.lang.as_str()
        );
        // First in <head>, so the policy covers everything after it.
        let _ = writeln!(
            self.out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
        );
        self.raw("<meta name=\"referrer\" content=\"no-referrer\">\n");
        self.raw("<meta name=\"robots\" content=\"noindex, nofollow\">\n");
        self.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        self.raw("<title>");
        let title = self.say(TranscriptText::PageTitle {
            name: &ticket.name,
            guild: &ticket.guild_name,
        });
        self.text(&title);
        self.raw("</title>\n<style>");
        self.raw(STYLE);
        self.raw("</style>\n</head>\n<body>\n");
        self.header(ticket, messages);
        self.raw("<main>\n");
        for message in messages {
            self.message(message);
        }
        self.raw("</main>\n<footer>");
        let footer = self.say(TranscriptText::Footer {
            messages: messages.len(),
        });
        self.text(&footer);
        self.raw("</footer>\n</body>\n</html>\n");
    }

    fn header(&mut self, ticket: &TicketInfo, messages: &[CapturedMessage]) {
        self.raw("<header>\n<h1>");
        self.text(&format!("#{}", ticket.name));
        self.raw("</h1>\n<dl>\n");
        self.fact(TranscriptText::Server, &ticket.guild_name);
        let number = self.say(TranscriptText::TicketNumber {
            number: ticket.number,
        });
        self.fact(TranscriptText::Ticket, &number);
        let owner = self.user_with_id(ticket.owner_id);
        self.fact(TranscriptText::Owner, &owner);
        if let Some(topic) = &ticket.topic {
            self.fact(TranscriptText::Topic, topic);
        }
        self.term(TranscriptText::Opened);
        self.time(ticket.opened_at);
        self.raw("</dd>\n");
        if let Some(claimer) = ticket.claimed_by {
            let claimer = self.user_with_id(claimer);
            self.fact(TranscriptText::ClaimedBy, &claimer);
        }
        if let Some(closed_at) = ticket.closed_at {
            self.term(TranscriptText::Closed);
            self.time(closed_at);
            self.raw("</dd>\n");
            let open_for = human_duration(self.lang, closed_at - ticket.opened_at);
            self.fact(TranscriptText::OpenFor, &open_for);
        }
        if let Some(closer) = ticket.closed_by {
            let closer = self.user_with_id(closer);
            self.fact(TranscriptText::ClosedBy, &closer);
        }
        if let Some(how) = &ticket.close_how {
            self.fact(TranscriptText::How, how);
        }
        if let Some(reason) = &ticket.close_reason {
            self.fact(TranscriptText::Reason, reason);
        }
        self.fact(TranscriptText::Messages, &messages.len().to_string());
        self.raw("</dl>\n</header>\n");
    }

    /// `<dt>term</dt><dd>`, the value to follow.
    fn term(&mut self, term: TranscriptText) {
        self.raw("<dt>");
        let term = self.say(term);
        self.text(&term);
        self.raw("</dt><dd>");
    }

    fn fact(&mut self, term: TranscriptText, value: &str) {
        self.term(term);
        self.text(value);
        self.raw("</dd>\n");
    }

    fn user_with_id(&self, id: u64) -> String {
        format!("{} ({id})", self.names.user(id).unwrap_or("unknown-user"))
    }

    fn message(&mut self, message: &'a CapturedMessage) {
        let class = if message.deleted_at.is_some() {
            "msg deleted"
        } else {
            "msg"
        };
        let _ = writeln!(
            self.out,
            "<article class=\"{class}\" id=\"m{}\">",
            message.id
        );
        if let Some(reply_to) = message.reply_to {
            self.reply(reply_to);
        }
        self.avatar(message);
        self.raw("<div class=\"body\">\n<div class=\"head\">");
        let author = self.names.author(message);
        let _ = write!(self.out, "<span class=\"author\" title=\"");
        self.text(&format!("{} ({})", message.author_name, message.author_id));
        self.raw("\">");
        self.text(author);
        self.raw("</span>");
        if message.author_bot {
            self.raw("<span class=\"tag\">");
            let tag = self.say(TranscriptText::BotTag);
            self.text(&tag);
            self.raw("</span>");
        }
        self.time(message.timestamp);
        if let Some(edited) = message.edited_timestamp {
            let title = self.say(TranscriptText::EditedTitle {
                at: &plain_time(edited),
            });
            let shown = self.say(TranscriptText::Edited {
                at: &human_time(edited),
            });
            self.raw("<span class=\"edited\" title=\"");
            self.text(&title);
            self.raw("\">");
            self.text(&shown);
            self.raw("</span>");
        }
        if let Some(deleted) = message.deleted_at {
            let _ = write!(
                self.out,
                "<span class=\"tag gone\" title=\"deleted {}\">deleted</span>",
                plain_time(deleted)
            );
        }
        self.raw("</div>\n");
        if let Some(original) = message
            .original_content
            .as_deref()
            .filter(|o| *o != message.content)
        {
            self.raw("<div class=\"original\"><span class=\"sub\">before the edit:</span> ");
            self.raw("<span class=\"content\">");
            let blocks = markdown::parse(original);
            self.blocks(&blocks);
            self.raw("</span></div>\n");
        }
        if !message.content.is_empty() {
            self.raw("<div class=\"content\">");
            let blocks = markdown::parse(&message.content);
            self.blocks(&blocks);
            self.raw("</div>\n");
        }
        for embed in message.embeds.iter().take(MAX_EMBEDS) {
            self.embed(embed);
        }
        for attachment in &message.attachments {
            self.attachment(attachment);
        }
        self.raw("</div>\n</article>\n");
    }

    fn reply(&mut self, reply_to: u64) {
        self.raw("<div class=\"reply\">↪ ");
        match self.by_id.get(&reply_to).copied() {
            Some(original) => {
                let _ = write!(self.out, "<a href=\"#m{reply_to}\">@");
                self.text(self.names.author(original));
                self.raw("</a> ");
                let shown = preview(&original.content, self.names, REPLY_PREVIEW_CHARS);
                self.text(&shown);
            }
            None => {
                let missing = self.say(TranscriptText::ReplyMissing);
                self.raw("<em>");
                self.text(&missing);
                self.raw("</em>");
            }
        }
        self.raw("</div>\n");
    }

    fn avatar(&mut self, message: &CapturedMessage) {
        match message
            .author_avatar
            .as_deref()
            .filter(|h| is_avatar_hash(h))
        {
            Some(hash) => {
                let _ = writeln!(
                    self.out,
                    "<img class=\"avatar\" alt=\"\" loading=\"lazy\" \
                     src=\"https://cdn.discordapp.com/avatars/{}/{hash}.png?size=64\">",
                    message.author_id
                );
            }
            None => {
                let colour = AVATAR_COLOURS[(message.author_id % 6) as usize];
                let initial: String = self
                    .names
                    .author(message)
                    .chars()
                    .find(|c| c.is_alphanumeric())
                    .map_or_else(|| "?".to_owned(), |c| c.to_uppercase().collect());
                let _ = write!(
                    self.out,
                    "<div class=\"avatar initial\" style=\"background:{colour}\" aria-hidden=\"true\">"
                );
                self.text(&initial);
                self.raw("</div>\n");
            }
        }
    }

    fn attachment(&mut self, attachment: &CapturedAttachment) {
        self.raw("<div class=\"att\">📎 ");
        if markdown::is_web_url(&attachment.url) {
            self.link_open(&attachment.url);
            self.text(&attachment.filename);
            self.raw("</a>");
        } else {
            self.text(&attachment.filename);
        }
        let _ = writeln!(
            self.out,
            "<span class=\"size\">{}</span></div>",
            human_size(attachment.size)
        );
    }

    fn embed(&mut self, embed: &Value) {
        let colour = embed
            .get("color")
            .and_then(Value::as_u64)
            .map_or(0x1e1f22, |c| c & 0xff_ffff);
        let _ = writeln!(
            self.out,
            "<div class=\"embed\" style=\"border-left-color:#{colour:06x}\">"
        );
        if let Some(author) = embed.get("author") {
            self.embed_line(author, "name", "url", "icon_url", "embed-author");
        }
        if let Some(title) = str_field(embed, "title") {
            self.raw("<div class=\"embed-title\">");
            match str_field(embed, "url").filter(|u| markdown::is_web_url(u)) {
                Some(url) => {
                    self.link_open(url);
                    self.inlines(&markdown::parse_inline(title));
                    self.raw("</a>");
                }
                None => self.inlines(&markdown::parse_inline(title)),
            }
            self.raw("</div>\n");
        }
        if let Some(description) = str_field(embed, "description") {
            self.raw("<div class=\"content\">");
            self.blocks(&markdown::parse(description));
            self.raw("</div>\n");
        }
        if let Some(fields) = embed.get("fields").and_then(Value::as_array) {
            self.raw("<div class=\"fields\">");
            for field in fields.iter().take(MAX_FIELDS) {
                let inline = field.get("inline").and_then(Value::as_bool) == Some(true);
                let class = if inline { "field inline" } else { "field" };
                let _ = write!(
                    self.out,
                    "<div class=\"{class}\"><div class=\"field-name\">"
                );
                self.inlines(&markdown::parse_inline(
                    str_field(field, "name").unwrap_or(""),
                ));
                self.raw("</div><div class=\"content\">");
                self.blocks(&markdown::parse(str_field(field, "value").unwrap_or("")));
                self.raw("</div></div>");
            }
            self.raw("</div>\n");
        }
        // Images are loaded only from Discord (the file, or Discord's proxy copy of an outside
        // one): opening a transcript must not tell a third-party host the reader's address.
        // An outside image without a proxy copy is shown as a link.
        for (key, class) in [("image", "image"), ("thumbnail", "thumb")] {
            let Some(image) = embed.get(key) else {
                continue;
            };
            if let Some(url) = discord_image(image, "url", "proxy_url") {
                let _ = write!(
                    self.out,
                    "<img class=\"{class}\" alt=\"\" loading=\"lazy\" src=\""
                );
                self.text(url);
                self.raw("\">\n");
            } else if let Some(url) = str_field(image, "url").filter(|u| is_https(u)) {
                self.raw("<div class=\"sub\">");
                self.link_open(url);
                self.raw("image: ");
                self.text(url);
                self.raw("</a></div>\n");
            }
        }
        if let Some(footer) = embed.get("footer") {
            self.embed_line(footer, "text", "", "icon_url", "embed-footer");
        }
        if let Some(time) =
            str_field(embed, "timestamp").and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            self.raw("<div class=\"embed-footer\">");
            self.time(time.with_timezone(&chrono::Utc));
            self.raw("</div>\n");
        }
        self.raw("</div>\n");
    }

    /// An embed's author or footer line: an optional icon, then the text, linked if allowed.
    fn embed_line(
        &mut self,
        part: &Value,
        text_key: &str,
        url_key: &str,
        icon_key: &str,
        class: &str,
    ) {
        let Some(text) = str_field(part, text_key) else {
            return;
        };
        let _ = write!(self.out, "<div class=\"{class}\">");
        let proxy_key = format!("proxy_{icon_key}");
        if let Some(icon) = discord_image(part, icon_key, &proxy_key) {
            self.raw("<img alt=\"\" loading=\"lazy\" src=\"");
            self.text(icon);
            self.raw("\">");
        }
        match str_field(part, url_key).filter(|u| markdown::is_web_url(u)) {
            Some(url) => {
                self.link_open(url);
                self.text(text);
                self.raw("</a>");
            }
            None => self.element("span", "", text),
        }
        self.raw("</div>\n");
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(inlines) => {
                    self.raw("<p>");
                    self.inlines(inlines);
                    self.raw("</p>");
                }
                Block::Heading { level, content } => {
                    let _ = write!(self.out, "<h{level} class=\"md\">");
                    self.inlines(content);
                    let _ = write!(self.out, "</h{level}>");
                }
                Block::Subtext(inlines) => {
                    self.raw("<p class=\"sub\">");
                    self.inlines(inlines);
                    self.raw("</p>");
                }
                Block::List(items) => {
                    self.raw("<div class=\"list\">");
                    for item in items {
                        let indent = 16 + 20 * u32::from(item.depth);
                        let _ = write!(
                            self.out,
                            "<span class=\"li\" style=\"margin-left:{indent}px\">"
                        );
                        match item.number {
                            Some(number) => {
                                let _ = write!(self.out, "{number}. ");
                            }
                            None => self.raw("• "),
                        }
                        self.inlines(&item.content);
                        self.raw("</span>");
                    }
                    self.raw("</div>");
                }
                Block::Quote(inner) => {
                    self.raw("<blockquote>");
                    self.blocks(inner);
                    self.raw("</blockquote>");
                }
                Block::CodeBlock { language, code } => {
                    self.raw("<pre><code");
                    if let Some(language) = language {
                        self.raw(" data-language=\"");
                        self.text(language);
                        self.raw("\"");
                    }
                    self.raw(">");
                    self.text(code);
                    self.raw("</code></pre>");
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.text(text),
            Inline::LineBreak => self.raw("<br>"),
            Inline::Styled(style, children) => {
                let (open, close) = match style {
                    Style::Bold => ("<strong>", "</strong>"),
                    Style::Italic => ("<em>", "</em>"),
                    Style::Underline => ("<u>", "</u>"),
                    Style::Strike => ("<s>", "</s>"),
                    Style::Spoiler => ("<span class=\"spoiler\" tabindex=\"0\">", "</span>"),
                };
                self.raw(open);
                self.inlines(children);
                self.raw(close);
            }
            Inline::Code(code) => {
                self.raw("<code>");
                self.text(code);
                self.raw("</code>");
            }
            Inline::Link { url, content } => {
                self.link_open(url);
                self.inlines(content);
                self.raw("</a>");
            }
            Inline::Url(url) => {
                self.link_open(url);
                self.text(url);
                self.raw("</a>");
            }
            Inline::User(id) => {
                let label = user_label(self.names, *id);
                self.element("span", "mention", &label);
            }
            Inline::Role(id) => {
                let label = role_label(self.names, *id);
                match self.names.role(*id).map(|r| r.colour & 0xff_ffff) {
                    Some(colour) if colour != 0 => {
                        let _ = write!(
                            self.out,
                            "<span class=\"mention\" style=\"color:#{colour:06x}\">"
                        );
                        self.text(&label);
                        self.raw("</span>");
                    }
                    _ => self.element("span", "mention", &label),
                }
            }
            Inline::Channel(id) => {
                let label = channel_label(self.names, *id);
                self.element("span", "mention", &label);
            }
            Inline::Command(name) => self.element("span", "mention", &format!("/{name}")),
            Inline::Emoji { name, .. } => self.element("span", "emoji", &format!(":{name}:")),
            Inline::Timestamp { unix, style } => match discord_timestamp(*unix, *style) {
                Some((time, shown)) => {
                    let iso = iso_time(time);
                    let _ = write!(self.out, "<time datetime=\"{iso}\" title=\"{iso}\">");
                    self.text(&shown);
                    self.raw("</time>");
                }
                None => self.text(&format!("<t:{unix}:{style}>")),
            },
        }
    }
}

fn str_field<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// An image of `part` that Discord serves: the one at `key` if Discord hosts it, else Discord's
/// proxy copy at `proxy_key`. `None` for an image only an outside host has.
fn discord_image<'v>(part: &'v Value, key: &str, proxy_key: &str) -> Option<&'v str> {
    [key, proxy_key]
        .into_iter()
        .filter_map(|k| str_field(part, k))
        .find(|u| is_discord_hosted(u))
}

/// Whether Discord's own servers serve `url` (its CDN, or its media proxy).
fn is_discord_hosted(url: &str) -> bool {
    is_https(url)
        && [
            "https://cdn.discordapp.com/",
            "https://media.discordapp.net/",
        ]
        .iter()
        .any(|host| {
            url.get(..host.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(host))
        })
}

fn is_https(url: &str) -> bool {
    markdown::is_web_url(url)
        && url
            .get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
}

/// Discord avatar hashes are hex, animated ones prefixed `a_`; anything else is not put in a URL.
fn is_avatar_hash(hash: &str) -> bool {
    let hex = hash.strip_prefix("a_").unwrap_or(hash);
    (16..=64).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit())
}
