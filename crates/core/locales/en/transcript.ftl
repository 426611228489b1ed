# The transcript pages (HTML and plain text) around the conversation.
# $name is the ticket's channel name, $guild the server's name.

transcript-page-title = Transcript of #{ $name } · { $guild }
transcript-text-title = Transcript of #{ $name } (ticket { $number }) in { $guild }
# $count chooses the form; $shown is the figure to show.
transcript-footer =
    { $count ->
        [one] { $shown } message
       *[other] { $shown } messages
    } · transcript format 1 · times in UTC

## The header's facts.

transcript-server = Server
transcript-ticket = Ticket
transcript-ticket-number = number { $number }
transcript-owner = Owner
transcript-topic = Topic
transcript-opened = Opened
transcript-claimed-by = Claimed by
transcript-closed = Closed
transcript-open-for = Open for
transcript-closed-by = Closed by
transcript-how = How
transcript-reason = Reason
transcript-messages = Messages
transcript-closed-for = { $at } (open for { $open-for })
# One fact of the plain text's header.
transcript-fact-line = { $label }: { $value }

## Around messages.

transcript-bot = bot
transcript-edited = (edited { $at })
transcript-edited-title = edited { $at }
transcript-reply-to = (in reply to { $author }: { $preview })
transcript-reply-to-missing = (in reply to message { $id }, not in this transcript)
transcript-reply-missing = a message that is not in this transcript
transcript-attachment = attachment
transcript-embed = embed
transcript-no-text = (no text)

## Durations.

duration-seconds = { $secs } s
duration-minutes = { $mins } min
duration-hours-minutes = { $hours } h { $mins } min
duration-days-hours = { $days } d { $hours } h
