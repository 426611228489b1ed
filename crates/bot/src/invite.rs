//! The OAuth2 URL that adds the bot to a server with exactly the permissions it uses.

use twilight_model::guild::Permissions;

/// Every permission the bot needs, each for a reason:
/// - VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY: post panels, welcome and
///   closing embeds, and read a ticket's history for its transcript;
/// - ATTACH_FILES: attach transcripts in the log channel;
/// - MANAGE_CHANNELS: create ticket channels and categories, delete closed tickets;
/// - MANAGE_ROLES: set a ticket's permission overwrites (grant the member, add or remove people);
/// - MENTION_EVERYONE: ping the staff roles on Need Help even when they are not mentionable.
///   Every message names exactly whom it may ping (`allowed_mentions`), so the bot never pings
///   @everyone or @here.
pub const REQUIRED_PERMISSIONS: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::MANAGE_CHANNELS)
    .union(Permissions::MANAGE_ROLES)
    .union(Permissions::MENTION_EVERYONE);

/// The URL a server admin opens to add the bot (scopes `bot` and `applications.commands`).
pub fn invite_url(client_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={client_id}&scope=bot%20applications.commands&permissions={}",
        REQUIRED_PERMISSIONS.bits()
    )
}

/// The application id encoded in a bot token's first segment (base64 of the bot's user id,
/// which is the application id), so `invite-url` works offline.
pub fn client_id_from_token(token: &str) -> Option<u64> {
    use base64::Engine as _;
    let first = token.split('.').next()?;
    let engine = base64::engine::general_purpose::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::general_purpose::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let decoded = engine.decode(first).ok()?;
    std::str::from_utf8(&decoded).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_are_exactly_the_needed_bits() {
        // 1024 + 2048 + 16384 + 32768 + 65536 + 16 + 268435456 + 131072
        assert_eq!(REQUIRED_PERMISSIONS.bits(), 268_684_304);
        assert!(!REQUIRED_PERMISSIONS.contains(Permissions::ADMINISTRATOR));
        assert!(!REQUIRED_PERMISSIONS.contains(Permissions::MANAGE_MESSAGES));
    }

    #[test]
    fn url_names_client_scopes_and_permissions() {
        let url = invite_url(42);
        assert!(url.contains("client_id=42"));
        assert!(url.contains("scope=bot%20applications.commands"));
        assert!(url.ends_with("permissions=268684304"));
    }

    #[test]
    fn client_id_from_a_token() {
        // base64("123456789012345678") without padding.
        assert_eq!(
            client_id_from_token("MTIzNDU2Nzg5MDEyMzQ1Njc4.Gxxxxx.yyyy"),
            Some(123_456_789_012_345_678)
        );
        assert_eq!(client_id_from_token("not-a-token"), None);
    }
}
