# The /stats embed.

stats-title = Ticket statistics
stats-all-time = All time
stats-last-30-days = Last 30 days
stats-last-7-days = Last 7 days
stats-created = Created
stats-closed = Closed
stats-still-open = Still open
stats-resolution-mean = Average resolution
stats-resolution-median = Median resolution
stats-first-response-mean = Average first staff response
stats-per-member = Tickets per member
stats-top-topic = Most common topic
stats-resolution-rate = Resolution rate
stats-staff-activity = Staff activity (all time)
# One staff member's line.
stats-staff-line = <@{ $user }>: { $claims } claims, { $closes } closes, { $responses } first responses
stats-no-staff-activity = No staff activity yet.
stats-bot = Bot
stats-uptime = Uptime
stats-commands = Commands processed
stats-database-size = Database size
stats-error-rate = Error rate
# A figure with no data yet.
stats-no-data = no data yet
