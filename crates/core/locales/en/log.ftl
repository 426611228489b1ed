# The log channel's lines and closure summary, and the transcript DM to a ticket's owner.
# $ticket is the ticket's channel name.

log-opened = 🎫 { $ticket } opened by <@{ $owner }> in <#{ $channel }>
log-help-requested = 🆘 <@{ $owner }> asked for help in { $ticket } (<#{ $channel }>)
log-claimed = 🙋 <@{ $by }> claimed { $ticket } (<#{ $channel }>)

## The closure summary: its title and field names.

log-summary-title = Ticket closed: { $ticket } (#{ $number })
log-owner = Owner
log-topic = Topic
log-opened-at = Opened
log-claimed-by = Claimed by
log-closed-at = Closed at
log-closed-by = Closed by
log-duration = Duration
log-first-response = First staff response
log-messages = Messages
log-transcript = Transcript
# A field with nothing to show.
log-nothing = —
log-attached = attached below

## Notes for admins.

log-dm-refused = 📭 <@{ $owner }> does not accept DMs, so the transcript was not sent to them.
# $permission is Discord's name of the permission, in English.
log-work-blocked-delete = ⚠️ Ticketbooth cannot delete the channel of { $ticket } (<#{ $channel }>): it needs the { $permission } permission there. It keeps trying and finishes once that permission is given.
log-work-blocked-save = ⚠️ Ticketbooth cannot save the transcript of { $ticket } (<#{ $channel }>): it needs the { $permission } permission there. It keeps trying and finishes once that permission is given.
# A job out of attempts (about a day of retrying); $job is its id for `ticketbooth jobs retry`.
log-job-failed-delete = ⚠️ Ticketbooth gave up trying to delete the channel of { $ticket } after { $attempts } attempts. Nothing was lost: the bot's operator can run `ticketbooth jobs retry { $job }` once the cause is fixed.
log-job-failed-save = ⚠️ Ticketbooth gave up trying to save the transcript of { $ticket } after { $attempts } attempts. Nothing was lost: the bot's operator can run `ticketbooth jobs retry { $job }` once the cause is fixed.
log-job-failed-staff-access = ⚠️ Ticketbooth gave up trying to apply the staff roles to the ticket channels after { $attempts } attempts. Nothing was lost: the bot's operator can run `ticketbooth jobs retry { $job }` once the cause is fixed.
log-job-failed-close-all = ⚠️ Ticketbooth gave up trying to finish a Close all after { $attempts } attempts. Nothing was lost: the bot's operator can run `ticketbooth jobs retry { $job }` once the cause is fixed.
log-job-failed-other = ⚠️ Ticketbooth gave up trying to finish delayed work on { $ticket } after { $attempts } attempts. Nothing was lost: the bot's operator can run `ticketbooth jobs retry { $job }` once the cause is fixed.
log-links-revoked = 🔗 <@{ $by }> revoked the transcript links of ticket #{ $number }.
log-closed-all = 🔒 <@{ $by }> closed { $count } tickets with Close all.
# Sent to admins by DM; $guild is the server's name.
log-log-channel-gone = Ticketbooth's log channel in { $guild } (<#{ $channel }>) no longer exists, so closure summaries and transcripts are not posted. Choose a new one with /ticket → Setup → Log channel.

## The transcript DM.

transcript-dm-link = Your ticket { $ticket } in { $guild } was closed. Its transcript: { $link }
transcript-dm-attached = Your ticket { $ticket } in { $guild } was closed. Its transcript is attached.
