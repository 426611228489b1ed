# The transcript pages (HTML and plain text) around the conversation.

transcript-page-title = Bản ghi #{ $name } · { $guild }
transcript-text-title = Bản ghi #{ $name } (ticket { $number }) trong { $guild }
transcript-footer =
    { $count ->
       *[other] { $shown } tin nhắn
    } · định dạng bản ghi 1 · giờ UTC

## The header's facts.

transcript-server = Máy chủ
transcript-ticket = Ticket
transcript-ticket-number = số { $number }
transcript-owner = Người mở
transcript-topic = Chủ đề
transcript-opened = Mở lúc
transcript-claimed-by = Người nhận
transcript-closed = Đóng lúc
transcript-open-for = Thời gian mở
transcript-closed-by = Người đóng
transcript-how = Cách đóng
transcript-reason = Lý do
transcript-messages = Số tin nhắn
transcript-closed-for = { $at } (mở trong { $open-for })
transcript-fact-line = { $label }: { $value }

## Around messages.

transcript-bot = bot
transcript-edited = (đã sửa { $at })
transcript-edited-title = đã sửa { $at }
transcript-reply-to = (trả lời { $author }: { $preview })
transcript-reply-to-missing = (trả lời tin nhắn { $id }, không có trong bản ghi này)
transcript-reply-missing = một tin nhắn không có trong bản ghi này
transcript-attachment = tệp đính kèm
transcript-embed = nội dung nhúng
transcript-no-text = (không có chữ)

## Durations.

duration-seconds = { $secs } giây
duration-minutes = { $mins } phút
duration-hours-minutes = { $hours } giờ { $mins } phút
duration-days-hours = { $days } ngày { $hours } giờ
