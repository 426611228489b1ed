# The /ticket hub: setup, the settings summary and the settings log, management.

# This language's own name, shown as is in every language's language menu.
language-name = English

hub-title = 🎫 Ticket hub
hub-description = Set up the ticket system, or manage the tickets.
setup-button = ⚙️ Setup
manage-button = 🛠️ Manage
back-button = Back
cancel-button = Cancel
confirm-button = Confirm
hub-closed = Menu closed.
setup-title = ⚙️ Setup

## The settings summary: one line per setting.

settings-summary-line = **{ $name }:** { $value }
setting-status = Status
setting-log-channel = Log channel
setting-limits = Limits
setting-staff-roles = Staff roles
setting-closing = Closing
setting-confirm-close = 🔒 Close asks first
setting-who-may-close = Who may close
setting-naming = Channel names
setting-welcome = Response time
setting-language = Language
setting-value-on = on
setting-value-off = off
setting-value-no-log-channel = not set
setting-value-limits = { $per-member } per member, { $total } in the server
setting-value-no-staff-roles = none (admins only)
setting-value-delete = delete the channel after { $secs } s
setting-value-keep = keep the channel, locked
setting-value-confirm-close-on = yes
setting-value-confirm-close-off = no, it closes at once
setting-value-random-names = ticket- and 6 random characters
# $value is default-response-time.
setting-value-default-response-time = { $value } (default)

## Setup.

setup-panel-button = Panel message
setup-log-button = Log channel
setup-limits-button = Limits
setup-topics-button = Topics
setup-staff-button = Staff roles
setup-closing-button = Closing
setup-who-may-close-button = Who may close
setup-naming-button = Channel names
setup-welcome-button = Welcome message
setup-language-button = Language
enable-button = Enable
disable-button = Disable
system-enabled = The ticket system is on.
system-disabled = The ticket system is off: nobody can open tickets.
setting-saved = Saved.
# A line in the log channel; $setting is a setting-… name, $from and $to its values.
setting-changed = <@{ $by }> changed { $setting }: { $from } → { $to }
panel-channel-prompt = Pick the channel where the panel goes.
channel-placeholder = Pick a channel
panel-modal-title = Panel message
title-label = Title
description-label = Description
footer-label = Footer
panel-posted = Panel posted in <#{ $channel }>.
log-channel-prompt = Pick the channel for ticket logs.
log-channel-set = Ticket logs go to <#{ $channel }>.
# $channel is shown as a bare id: the channel no longer exists.
log-channel-gone = The log channel (`{ $channel }`) no longer exists, so this change was not logged. Pick another in Setup → Log channel.
limits-modal-title = Ticket limits
max-total-label = Open tickets in the server ({ $min }–{ $max })
max-per-member-label = Open tickets per member ({ $min }–{ $max })
not-a-number-in-range = Please enter a whole number from { $min } to { $max }.
limits-set = Limits saved: { $per-member } per member, { $total } in the server.
topic-add-button = Add
topic-list-button = List
topic-remove-button = Remove
topic-modal-title = New topic
topic-name-label = Name
topic-emoji-label = Emoji (optional)
topic-added = Topic **{ $name }** added.
topic-exists = A topic named **{ $name }** already exists.
topic-list-empty = No topics yet.
# $names is a bulleted list, one topic per line.
topic-list =
    Topics:
    { $names }
topic-remove-prompt = Pick the topic to remove.
topic-remove-confirm-prompt = Remove the topic **{ $name }** and its category?
topic-removed = Topic **{ $name }** removed.
# $channels is a list of channel mentions.
topic-in-use = The topic **{ $name }** still has open tickets: { $channels }. Close them first.
staff-roles-prompt = Pick the roles that handle tickets.
role-placeholder = Pick roles
# $roles is a list of role mentions.
staff-roles-set = Staff roles: { $roles }
staff-roles-none = No staff roles: only admins handle tickets.
closing-prompt = What happens to a ticket's channel when it is closed?
confirm-close-toggle-on = 🔒 Close asks first: on (turn off)
confirm-close-toggle-off = 🔒 Close asks first: off (turn on)
closing-delete-option = Delete the channel after a delay
closing-keep-option = Keep it locked, with Delete and Reopen
delay-modal-title = Delete after
delay-secs-label = Seconds before deletion ({ $min }–{ $max })
who-may-close-prompt = Who may close tickets?
who-may-close-owner-and-staff = The ticket's owner and staff
who-may-close-staff-only = Staff only
naming-modal-title = Channel names
# {"{"}number{"}"} writes the placeholder {number} literally: keep the placeholders' names.
template-label = Template with {"{"}number{"}"} and {"{"}user{"}"}
template-empty = The template is empty.
template-too-long = The template is longer than { $max } characters.
# $placeholder is the unknown placeholder, in inline code.
template-unknown-placeholder = Unknown placeholder { $placeholder }: use {"{"}number{"}"} and {"{"}user{"}"}.
template-unclosed = A `{"{"}` in the template is not closed.
template-missing-number = The template must contain {"{"}number{"}"}.
welcome-modal-title = Welcome message
response-time-label = Expected response time
instructions-label = Instructions
language-prompt = The language of messages in ticket channels.

## Management.

manage-title = 🛠️ Manage
manage-close-button = Close this ticket
close-all-button = Close all tickets
close-all-confirm-prompt = Close all { $count } open tickets? Their transcripts are saved first.
close-all-progress = Closing tickets… { $done }/{ $total }
close-all-done = Closed { $count } tickets.
add-user-button = Add a member
remove-user-button = Remove a member
user-placeholder = Pick a member
stats-button = Statistics
revoke-links-button = Revoke transcript links
revoke-links-modal-title = Revoke transcript links
ticket-number-label = Ticket number
not-a-ticket-number = Please enter a ticket's number, a whole number from 1.
no-ticket-numbered = No ticket in this server has the number { $number }.
links-revoked = The transcript links of ticket #{ $number } are revoked: they no longer open it.
