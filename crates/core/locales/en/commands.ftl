# Slash commands: a message's value is the command's or option's name, its .description the
# description. Names follow Discord's rule: lowercase, no spaces, at most 32 characters
# (letters, digits, - and _); descriptions are at most 100 characters.
# The English names are the names Discord sends back: changing one breaks the command.

command-ticket = ticket
    .description = Set up and manage the ticket system
command-close = close
    .description = Close this ticket
command-claim = claim
    .description = Claim this ticket: you will handle it
command-unclaim = unclaim
    .description = Release this ticket so another staff member can take it
command-add = add
    .description = Add a member to this ticket
command-remove = remove
    .description = Remove a member from this ticket
command-stats = stats
    .description = Ticket statistics for this server
option-reason = reason
    .description = Why the ticket is closed
option-user = user
    .description = The member
