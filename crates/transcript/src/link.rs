//! Signed transcript links: a token naming a ticket, with an optional expiry, that only the
//! holder of the server's secret can make. Served pages are found by token, never by ticket id.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::LinkError;

type HmacSha256 = Hmac<Sha256>;

/// The token layout's version byte, so a later layout can be told apart.
const VERSION: u8 = 1;
/// Flag bit: the token carries an expiry.
const HAS_EXPIRY: u8 = 1;
/// version, flags, ticket id, expiry (unix seconds).
const BODY_LEN: usize = 1 + 1 + 8 + 8;
/// The full HMAC-SHA256 output: 256 bits, far beyond guessing.
const TAG_LEN: usize = 32;
const TOKEN_LEN: usize = BODY_LEN + TAG_LEN;
/// Mixed into every tag so a tag made with the same secret for another purpose never verifies.
const DOMAIN: &[u8] = b"ticketbooth/transcript-link";

/// Makes and checks transcript link tokens with one server secret.
#[derive(Clone)]
pub struct LinkSigner {
    mac: HmacSha256,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keyed state is as sensitive as the secret itself.
        f.write_str("LinkSigner { .. }")
    }
}

impl LinkSigner {
    /// A signer for `secret`. Use at least 32 random bytes; a short secret can be brute-forced
    /// from one token.
    pub fn new(secret: &[u8]) -> Self {
        // HMAC takes a key of any length, so this cannot fail.
        let mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
        Self { mac }
    }

    /// A URL-safe token (base64url, no padding, 67 characters) for `ticket_id`, valid until
    /// `expires_at` (to the second) or forever.
    pub fn sign(&self, ticket_id: i64, expires_at: Option<DateTime<Utc>>) -> String {
        let body = encode_body(ticket_id, expires_at.map(|t| t.timestamp()));
        let mut token = Vec::with_capacity(TOKEN_LEN);
        token.extend_from_slice(&body);
        token.extend_from_slice(&self.tag(&body));
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The ticket id a token names, if it was made by this secret and has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<i64, LinkError> {
        // Checked before decoding so an absurdly long token costs nothing.
        if token.len() != URL_SAFE_NO_PAD.encode([0u8; TOKEN_LEN]).len() {
            return Err(LinkError::Malformed);
        }
        let raw = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| LinkError::Malformed)?;
        let (body, tag) = raw.split_at_checked(BODY_LEN).ok_or(LinkError::Malformed)?;
        if tag.len() != TAG_LEN {
            return Err(LinkError::Malformed);
        }
        let mut mac = self.mac.clone();
        mac.update(DOMAIN);
        mac.update(body);
        // `verify_slice` compares in constant time.
        mac.verify_slice(tag).map_err(|_| LinkError::BadSignature)?;
        let (ticket_id, expiry) = decode_body(body)?;
        match expiry {
            Some(expiry) if now.timestamp() >= expiry => Err(LinkError::Expired),
            _ => Ok(ticket_id),
        }
    }

    fn tag(&self, body: &[u8]) -> [u8; TAG_LEN] {
        let mut mac = self.mac.clone();
        mac.update(DOMAIN);
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

fn encode_body(ticket_id: i64, expiry: Option<i64>) -> [u8; BODY_LEN] {
    let mut body = [0u8; BODY_LEN];
    body[0] = VERSION;
    body[1] = if expiry.is_some() { HAS_EXPIRY } else { 0 };
    body[2..10].copy_from_slice(&ticket_id.to_be_bytes());
    body[10..18].copy_from_slice(&expiry.unwrap_or(0).to_be_bytes());
    body
}

fn decode_body(body: &[u8]) -> Result<(i64, Option<i64>), LinkError> {
    let field = |range: std::ops::Range<usize>| -> Result<i64, LinkError> {
        let bytes: [u8; 8] = body
            .get(range)
            .and_then(|b| b.try_into().ok())
            .ok_or(LinkError::Malformed)?;
        Ok(i64::from_be_bytes(bytes))
    };
    if body.first() != Some(&VERSION) {
        return Err(LinkError::Malformed);
    }
    let expiry = match body.get(1) {
        Some(0) => None,
        Some(&HAS_EXPIRY) => Some(field(10..18)?),
        _ => return Err(LinkError::Malformed),
    };
    Ok((field(2..10)?, expiry))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone as _};

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
    }

    #[test]
    fn round_trips_with_and_without_expiry() {
        let signer = LinkSigner::new(SECRET);
        for id in [1, 42, i64::MAX, -5] {
            let forever = signer.sign(id, None);
            assert_eq!(signer.verify(&forever, now()), Ok(id));
            let later = signer.sign(id, Some(now() + Duration::days(7)));
            assert_eq!(signer.verify(&later, now()), Ok(id));
        }
    }

    #[test]
    fn token_is_url_safe_and_distinct_per_ticket() {
        let signer = LinkSigner::new(SECRET);
        let a = signer.sign(1, None);
        let b = signer.sign(2, None);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{a}"
        );
    }

    #[test]
    fn expired_tokens_are_refused() {
        let signer = LinkSigner::new(SECRET);
        let expires = now() + Duration::hours(1);
        let token = signer.sign(7, Some(expires));
        assert_eq!(signer.verify(&token, expires - Duration::seconds(1)), Ok(7));
        assert_eq!(signer.verify(&token, expires), Err(LinkError::Expired));
        assert_eq!(
            signer.verify(&token, expires + Duration::days(1)),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn wrong_secret_is_refused() {
        let token = LinkSigner::new(SECRET).sign(7, None);
        let other = LinkSigner::new(b"another secret entirely, 32 bytes");
        assert_eq!(other.verify(&token, now()), Err(LinkError::BadSignature));
    }

    #[test]
    fn every_flipped_bit_is_refused() {
        let signer = LinkSigner::new(SECRET);
        let token = signer.sign(7, Some(now() + Duration::days(1)));
        let raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
        for byte in 0..raw.len() {
            for bit in 0..8 {
                let mut tampered = raw.clone();
                tampered[byte] ^= 1 << bit;
                let tampered = URL_SAFE_NO_PAD.encode(tampered);
                assert!(
                    signer.verify(&tampered, now()).is_err(),
                    "byte {byte} bit {bit} accepted"
                );
            }
        }
    }

    #[test]
    fn extending_the_expiry_or_changing_the_ticket_is_refused() {
        let signer = LinkSigner::new(SECRET);
        let token = signer.sign(7, Some(now() - Duration::hours(1)));
        let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
        // Drop the expiry flag, keeping the old tag: an attacker's attempt at "forever".
        raw[1] = 0;
        let forged = URL_SAFE_NO_PAD.encode(&raw);
        assert_eq!(signer.verify(&forged, now()), Err(LinkError::BadSignature));
        let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
        raw[9] = 8;
        let forged = URL_SAFE_NO_PAD.encode(&raw);
        assert_eq!(signer.verify(&forged, now()), Err(LinkError::BadSignature));
    }

    #[test]
    fn truncated_extended_and_garbage_tokens_are_malformed() {
        let signer = LinkSigner::new(SECRET);
        let token = signer.sign(7, None);
        for bad in [
            &token[..token.len() - 1],
            &token[..10],
            "",
            "!!!!",
            &format!("{token}A"),
        ] {
            assert_eq!(
                signer.verify(bad, now()),
                Err(LinkError::Malformed),
                "{bad}"
            );
        }
        let mut wrong_char = token.clone();
        wrong_char.replace_range(0..1, "=");
        assert_eq!(signer.verify(&wrong_char, now()), Err(LinkError::Malformed));
    }

    #[test]
    fn tag_is_at_least_128_bits() {
        let signer = LinkSigner::new(SECRET);
        let raw = URL_SAFE_NO_PAD.decode(signer.sign(1, None)).unwrap();
        assert!((raw.len() - BODY_LEN) * 8 >= 128);
    }

    #[test]
    fn debug_does_not_show_the_secret() {
        let shown = format!("{:?}", LinkSigner::new(SECRET));
        assert!(!shown.contains("0123"), "{shown}");
    }
}
