# Tickets: the panel, opening, the welcome message, a ticket's life and the replies to members.
# Mentions are written <@{ $user }> and <#{ $channel }>; Ticketbooth passes ids as text.

## The panel and opening.

panel-title = 🎫 Support tickets
panel-description = Need help? Press the button below to open a private ticket with our staff.
open-ticket-button = Open a ticket
topic-prompt = What do you need help with? Pick a topic.
topic-placeholder = Pick a topic
ticket-opened = Your ticket is open: <#{ $channel }>
go-to-ticket-button = Go to your ticket
# $guild is the server's name.
dm-ticket-opened = Your ticket in **{ $guild }** is open: <#{ $channel }>
open-refused-already-open = You already have an open ticket: <#{ $channel }>
open-refused-being-created = Your ticket is being created; it will appear in a moment.
open-refused-server-limit = This server has reached its limit of { $max } open tickets. Please try again later.
open-refused-blacklisted = You cannot open tickets on this server.
open-refused-bot-lacks-manage-channels = I cannot create your ticket: I lack the **Manage Channels** permission. Please tell an admin.
open-refused-category-full = The ticket categories are full (50 channels). Please tell an admin.

## The welcome message.

welcome-title = Welcome to your ticket
welcome-description = <@{ $owner }>, thanks for reaching out. Tell us what is going on; staff will answer here.
field-category = 📋 Category
field-response-time = ⏱️ Response Time
field-instructions = 📝 Instructions
default-category = General Support
default-response-time = Minutes to hours
default-instructions =
    1. Describe your problem.
    2. Add screenshots if they help.
    3. Press ✅ It Works! when it is solved, or 🆘 Need Help to call staff.
it-works-button = ✅ It Works!
need-help-button = 🆘 Need Help
close-button = 🔒 Close

## While open.

resolved-title = ✅ Issue resolved
resolved-description = <@{ $owner }> confirmed the solution.
closing-in = This ticket will close in { $secs } seconds.
help-title = 🆘 Help requested
help-description = <@{ $owner }> needs more help. A staff member will join shortly.
help-no-staff-configured = No staff roles are set up yet, so nobody was pinged; an admin will look at this.
claim-button = 🙋 Claim
unclaim-button = Unclaim
claimed = 🙋 <@{ $by }> has claimed this ticket and will help you.
unclaimed = <@{ $by }> released this ticket.
member-added = <@{ $by }> added <@{ $user }> to this ticket.
member-removed = <@{ $by }> removed <@{ $user }> from this ticket.

## Closing.

close-confirm-prompt = Close this ticket?
close-confirm-button = Yes, close it
close-with-reason-button = Close with a reason
close-reason-modal-title = Close the ticket
reason-label = Reason (optional)
closed-title = 🔒 Ticket closed
# $how is one of the close-how-… texts below.
closed-by = Closed by <@{ $by }>: { $how }.
close-how-it-works = resolved, confirmed by the owner
close-how-need-help-then-staff = by staff after a help request
close-how-staff = by staff
close-how-owner = by the owner
close-how-close-all = all tickets were closed
close-how-channel-deleted = the channel was deleted
field-reason = Reason
no-reason = No reason given
channel-locked = This channel is locked. Staff can delete it or reopen the ticket.
channel-deleting = This channel will be deleted in { $secs } seconds.
delete-channel-button = 🗑 Delete Channel
reopen-button = ↩ Reopen
reopened = ↩ <@{ $by }> reopened this ticket.

## Replies.

refused-not-owner = Only the ticket's owner can do that.
refused-not-staff = Only staff can do that.
refused-not-admin = Only server admins can do that.
refused-owner-may-not-close = On this server only staff close tickets. Press ✅ It Works! if your problem is solved.
refused-not-a-ticket = This is not a ticket channel.
refused-not-ready = This ticket is still being set up. Try again in a moment.
refused-already-closed = This ticket is already closed.
refused-already-deleted = This ticket's channel is already deleted.
refused-not-closed = This ticket is still open.
refused-already-asked-for-help = Help is already on its way.
refused-already-claimed = <@{ $by }> has already claimed this ticket.
refused-not-claimed = Nobody has claimed this ticket.
refused-cannot-remove-owner = The ticket's owner cannot be removed.
refused-already-member = That member is already in this ticket.
refused-not-a-member = That member was not added to this ticket.
refused-disabled = The ticket system is turned off on this server.
something-went-wrong = Something went wrong on our side. Please try again in a moment.
discord-unavailable = Discord is having trouble right now and did not answer in time, so this could not be done. Please try again in a minute.
open-unavailable = Discord is having trouble right now, so your ticket could not be created. Nothing was kept: please try again in a minute.
ticket-opened-welcome-later = Your ticket is open: <#{ $channel }>. Discord is having trouble, so its welcome message (with the ✅ It Works!, 🆘 Need Help and 🔒 Close buttons) will appear there shortly.
access-follows-later = Discord is having trouble: the channel's permissions will be updated as soon as it answers again.
menu-expired = This menu has expired. Please run the command again.
unknown-command = This command is not available any more. Discord may still be updating the command list; try again in a minute.
unknown-component = I do not recognise this button or menu. It may belong to an older message; please use a newer one.
open-ticket-count = Open tickets in this server: { $open }.
guild-only = This command works only in a server.
done = Done.
# $permission is Discord's name of the permission, in English.
bot-lacks-permission = I need the **{ $permission }** permission in <#{ $channel }>.
