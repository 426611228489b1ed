//! The stored form of a transcript: the captured messages as JSON, gzipped. The captures are kept
//! rather than the rendered page, so a transcript can be rendered again with a better renderer.

use std::io::{Read as _, Write as _};

use flate2::{Compression, read::GzDecoder, write::GzEncoder};

use crate::{CapturedMessage, TranscriptError};

/// Names the stored format; the store keeps it beside the bytes so a later format can be told
/// apart from this one.
pub const FORMAT: &str = "messages.json.gz/1";

/// The most a stored transcript may decompress to. A 10,000-message ticket is a few megabytes;
/// this bound only stops a corrupt or hostile blob from exhausting memory.
pub const MAX_DECOMPRESSED: u64 = 256 * 1024 * 1024;

/// Serialises the messages to JSON and gzips them, in the format named by [`FORMAT`].
///
/// Gzip's fastest level: on chat logs it keeps nearly all of the default level's saving at a
/// fraction of its time (see the benchmark), and a close should not wait on compression.
pub fn compress(messages: &[CapturedMessage]) -> Vec<u8> {
    // Every map in the model has string keys, so serialisation cannot fail, and writing to a Vec
    // cannot either: an error here is a bug in this crate, not bad input.
    let json = serde_json::to_vec(messages).expect("serialising captures to memory");
    let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 8), Compression::fast());
    encoder.write_all(&json).expect("compressing in memory");
    encoder.finish().expect("finishing a gzip stream in memory")
}

/// The format the bot stored before this crate had one: the captures as plain JSON. Still read
/// by [`decode_stored`], so transcripts saved that way stay readable.
pub const LEGACY_JSON_FORMAT: &str = "messages+json";

/// Reads a stored transcript by the format name stored beside it: [`FORMAT`] or
/// [`LEGACY_JSON_FORMAT`].
pub fn decode_stored(format: &str, bytes: &[u8]) -> Result<Vec<CapturedMessage>, TranscriptError> {
    match format {
        FORMAT => decompress(bytes),
        LEGACY_JSON_FORMAT => serde_json::from_slice(bytes).map_err(TranscriptError::Json),
        other => Err(TranscriptError::UnknownFormat(other.to_owned())),
    }
}

/// Reads back what [`compress`] wrote.
pub fn decompress(bytes: &[u8]) -> Result<Vec<CapturedMessage>, TranscriptError> {
    let mut json = Vec::new();
    GzDecoder::new(bytes)
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut json)
        .map_err(TranscriptError::Gzip)?;
    if json.len() as u64 > MAX_DECOMPRESSED {
        return Err(TranscriptError::TooLarge {
            limit: MAX_DECOMPRESSED,
        });
    }
    serde_json::from_slice(&json).map_err(TranscriptError::Json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CapturedAttachment;
    use chrono::{TimeZone as _, Utc};

    fn sample(id: u64, content: &str) -> CapturedMessage {
        CapturedMessage {
            id,
            author_id: 42,
            author_name: "ana".into(),
            author_display: Some("Ana ✨".into()),
            author_avatar: None,
            author_bot: false,
            content: content.into(),
            timestamp: Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap(),
            edited_timestamp: None,
            embeds: vec![
                serde_json::json!({"title": "t", "fields": [{"name": "a", "value": "b"}]}),
            ],
            attachments: vec![CapturedAttachment {
                filename: "log.txt".into(),
                url: "https://cdn.discordapp.com/attachments/1/2/log.txt".into(),
                size: 1234,
                content_type: Some("text/plain".into()),
            }],
            reply_to: Some(id.saturating_sub(1)),
            mentions: vec![(7, "bob".into())],
            mention_roles: vec![9],
            original_content: None,
            deleted_at: None,
            components: Vec::new(),
        }
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let messages: Vec<_> = (1..=50)
            .map(|i| sample(i, &format!("message {i} <@7> **bold** 日本語")))
            .collect();
        let bytes = compress(&messages);
        assert_eq!(decompress(&bytes).unwrap(), messages);
    }

    #[test]
    fn compresses_repetitive_conversation() {
        let messages: Vec<_> = (1..=200)
            .map(|i| sample(i, "the same words again"))
            .collect();
        let json = serde_json::to_vec(&messages).unwrap();
        let bytes = compress(&messages);
        assert!(
            bytes.len() * 5 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn stored_formats_are_read_by_name() {
        let messages = vec![sample(1, "hello"), sample(2, "again")];
        assert_eq!(
            decode_stored(FORMAT, &compress(&messages)).unwrap(),
            messages
        );
        let legacy = serde_json::to_vec(&messages).unwrap();
        assert_eq!(
            decode_stored(LEGACY_JSON_FORMAT, &legacy).unwrap(),
            messages
        );
        assert!(matches!(
            decode_stored("pdf", &legacy),
            Err(TranscriptError::UnknownFormat(name)) if name == "pdf"
        ));
        // The name decides, not the bytes: gzip under the legacy name is refused.
        assert!(decode_stored(LEGACY_JSON_FORMAT, &compress(&messages)).is_err());
    }

    #[test]
    fn empty_transcript_round_trips() {
        assert!(decompress(&compress(&[])).unwrap().is_empty());
    }

    #[test]
    fn garbage_and_truncation_are_errors() {
        assert!(matches!(
            decompress(b"not gzip"),
            Err(TranscriptError::Gzip(_))
        ));
        let bytes = compress(&[sample(1, "hello")]);
        assert!(decompress(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn gzipped_non_transcript_is_a_json_error() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(b"{\"not\": \"a list\"}").unwrap();
        let bytes = encoder.finish().unwrap();
        assert!(matches!(decompress(&bytes), Err(TranscriptError::Json(_))));
    }
}
