# Ticket: panel, mở ticket, lời chào, vòng đời của ticket và các câu trả lời cho thành viên.

## The panel and opening.

panel-title = 🎫 Hỗ Trợ
panel-description = Cần hỗ trợ? Bấm nút bên dưới để mở một ticket riêng với đội ngũ hỗ trợ.
open-ticket-button = Mở Ticket
topic-prompt = Bạn cần hỗ trợ về vấn đề gì? Hãy chọn một chủ đề.
topic-placeholder = Chọn chủ đề
ticket-opened = Ticket của bạn đã được mở: <#{ $channel }>
go-to-ticket-button = Đến ticket của bạn
dm-ticket-opened = Ticket của bạn tại **{ $guild }** đã được mở: <#{ $channel }>
open-refused-already-open = Bạn đã có một ticket đang mở: <#{ $channel }>
open-refused-being-created = Ticket của bạn đang được tạo và sẽ xuất hiện trong giây lát.
open-refused-server-limit = Máy chủ đã đạt giới hạn { $max } ticket đang mở. Vui lòng thử lại sau.
open-refused-blacklisted = Bạn không thể mở ticket trên máy chủ này.
open-refused-bot-lacks-manage-channels = Tôi không thể tạo ticket: tôi thiếu quyền **Manage Channels**. Vui lòng báo quản trị viên.
open-refused-category-full = Các danh mục ticket đã đầy (50 kênh). Vui lòng báo quản trị viên.

## The welcome message.

welcome-title = Chào mừng đến với ticket của bạn
welcome-description = <@{ $owner }>, cảm ơn bạn đã liên hệ. Hãy mô tả vấn đề của bạn; đội ngũ hỗ trợ sẽ trả lời tại đây.
field-category = 📋 Danh Mục
field-response-time = ⏱️ Thời Gian Phản Hồi
field-instructions = 📝 Hướng Dẫn
default-category = Hỗ Trợ Chung
default-response-time = Vài phút đến vài giờ
default-instructions =
    1. Mô tả vấn đề của bạn.
    2. Đính kèm ảnh chụp màn hình nếu cần.
    3. Bấm ✅ Đã Giải Quyết khi xong, hoặc 🆘 Cần Trợ Giúp để gọi nhân viên hỗ trợ.
it-works-button = ✅ Đã Giải Quyết
need-help-button = 🆘 Cần Trợ Giúp
close-button = 🔒 Đóng

## While open.

resolved-title = ✅ Vấn Đề Đã Giải Quyết
resolved-description = <@{ $owner }> đã xác nhận vấn đề được giải quyết.
closing-in = Ticket sẽ đóng sau { $secs } giây.
help-title = 🆘 Yêu Cầu Trợ Giúp
help-description = <@{ $owner }> cần thêm trợ giúp. Nhân viên hỗ trợ sẽ tham gia ngay.
help-no-staff-configured = Chưa cài đặt vai trò hỗ trợ nên chưa ai được gọi; quản trị viên sẽ xem xét.
claim-button = 🙋 Nhận Xử Lý
unclaim-button = Bỏ Nhận
claimed = 🙋 <@{ $by }> đã nhận ticket này và sẽ hỗ trợ bạn.
unclaimed = <@{ $by }> đã bỏ nhận ticket này.
member-added = <@{ $by }> đã thêm <@{ $user }> vào ticket này.
member-removed = <@{ $by }> đã xóa <@{ $user }> khỏi ticket này.

## Closing.

close-confirm-prompt = Đóng ticket này?
close-confirm-button = Có, đóng lại
close-with-reason-button = Đóng kèm lý do
close-reason-modal-title = Đóng ticket
reason-label = Lý do (không bắt buộc)
closed-title = 🔒 Ticket Đã Đóng
closed-by = Đóng bởi <@{ $by }>: { $how }.
close-how-it-works = chủ ticket xác nhận đã giải quyết
close-how-need-help-then-staff = nhân viên đóng sau yêu cầu trợ giúp
close-how-staff = nhân viên đóng
close-how-owner = chủ ticket đóng
close-how-close-all = đóng tất cả ticket
close-how-channel-deleted = kênh đã bị xóa
field-reason = Lý Do
no-reason = Không có lý do
channel-locked = Kênh này đã bị khóa. Nhân viên có thể xóa kênh hoặc mở lại ticket.
channel-deleting = Kênh này sẽ bị xóa sau { $secs } giây.
delete-channel-button = 🗑 Xóa Kênh
reopen-button = ↩ Mở Lại
reopened = ↩ <@{ $by }> đã mở lại ticket này.

## Replies.

refused-not-owner = Chỉ chủ ticket mới có thể làm điều này.
refused-not-staff = Chỉ nhân viên hỗ trợ mới có thể làm điều này.
refused-not-admin = Chỉ quản trị viên máy chủ mới có thể làm điều này.
refused-owner-may-not-close = Trên máy chủ này chỉ nhân viên được đóng ticket. Bấm ✅ Đã Giải Quyết nếu vấn đề của bạn đã xong.
refused-not-a-ticket = Đây không phải kênh ticket.
refused-not-ready = Ticket này vẫn đang được tạo. Vui lòng thử lại sau giây lát.
refused-already-closed = Ticket này đã được đóng.
refused-already-deleted = Kênh của ticket này đã bị xóa.
refused-not-closed = Ticket này vẫn đang mở.
refused-already-asked-for-help = Yêu cầu trợ giúp đã được gửi.
refused-already-claimed = <@{ $by }> đã nhận ticket này rồi.
refused-not-claimed = Chưa ai nhận ticket này.
refused-cannot-remove-owner = Không thể xóa chủ ticket.
refused-already-member = Thành viên này đã ở trong ticket.
refused-not-a-member = Thành viên này chưa được thêm vào ticket.
refused-disabled = Hệ thống ticket đang tắt trên máy chủ này.
something-went-wrong = Đã có lỗi xảy ra. Vui lòng thử lại sau giây lát.
discord-unavailable = Discord đang gặp sự cố và không phản hồi kịp, nên không thể thực hiện việc này. Vui lòng thử lại sau một phút.
open-unavailable = Discord đang gặp sự cố nên không thể tạo ticket của bạn. Không có gì được giữ lại: vui lòng thử lại sau một phút.
ticket-opened-welcome-later = Ticket của bạn đã được mở: <#{ $channel }>. Discord đang gặp sự cố nên tin nhắn chào mừng (với các nút ✅ It Works!, 🆘 Need Help và 🔒 Close) sẽ xuất hiện ở đó trong giây lát.
access-follows-later = Discord đang gặp sự cố: quyền của kênh sẽ được cập nhật ngay khi Discord phản hồi trở lại.
menu-expired = Menu này đã hết hạn. Vui lòng chạy lại lệnh.
unknown-command = Lệnh này không còn khả dụng. Discord có thể đang cập nhật danh sách lệnh; hãy thử lại sau một phút.
unknown-component = Tôi không nhận ra nút hoặc menu này. Có thể nó thuộc một tin nhắn cũ; hãy dùng tin nhắn mới hơn.
open-ticket-count = Số ticket đang mở trong máy chủ: { $open }.
guild-only = Lệnh này chỉ dùng được trong máy chủ.
done = Xong.
bot-lacks-permission = Tôi cần quyền **{ $permission }** trong <#{ $channel }>.
