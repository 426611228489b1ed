//! Adapters from core's views (plain data) to what the responder and REST calls take.

use twilight_model::{
    application::interaction::{Interaction, InteractionData},
    http::interaction::InteractionResponseData,
};

use ticketbooth_core::{Language, Ticket, custom_id::InputId, i18n::Msg, views};

/// An ephemeral reply with one catalog message.
pub fn ephemeral(lang: Language, msg: &Msg) -> InteractionResponseData {
    views::ephemeral(lang, msg).into()
}

/// The value of a text input in a submitted modal.
pub fn modal_value(interaction: &Interaction, input: InputId) -> Option<String> {
    match &interaction.data {
        Some(InteractionData::ModalSubmit(data)) => views::modal_value(data, input),
        _ => None,
    }
}

/// A ticket channel's topic: its number, and the marker start-up repair reads.
pub fn channel_topic(ticket: &Ticket, marker: &str) -> String {
    format!("Ticket #{:04} · {marker}", ticket.number)
}
