# The /ticket hub: setup, the settings summary and the settings log, management.

language-name = Tiếng Việt

hub-title = 🎫 Trung Tâm Ticket
hub-description = Cài đặt hệ thống ticket, hoặc quản lý các ticket.
setup-button = ⚙️ Cài Đặt
manage-button = 🛠️ Quản Lý
back-button = Quay Lại
cancel-button = Hủy
confirm-button = Xác Nhận
hub-closed = Đã đóng menu.
setup-title = ⚙️ Cài Đặt

## The settings summary: one line per setting.

settings-summary-line = **{ $name }:** { $value }
setting-status = Trạng thái
setting-log-channel = Kênh log
setting-limits = Giới hạn
setting-staff-roles = Vai trò hỗ trợ
setting-closing = Khi đóng
setting-confirm-close = 🔒 Đóng hỏi lại trước
setting-who-may-close = Ai được đóng
setting-naming = Tên kênh
setting-welcome = Thời gian phản hồi
setting-language = Ngôn ngữ
setting-value-on = bật
setting-value-off = tắt
setting-value-no-log-channel = chưa đặt
setting-value-limits = { $per-member } mỗi thành viên, { $total } trong máy chủ
setting-value-no-staff-roles = chưa có (chỉ quản trị viên)
setting-value-delete = xóa kênh sau { $secs } giây
setting-value-keep = giữ kênh và khóa lại
setting-value-confirm-close-on = có
setting-value-confirm-close-off = không, đóng ngay
setting-value-random-names = ticket- và 6 ký tự ngẫu nhiên
setting-value-default-response-time = { $value } (mặc định)

## Setup.

setup-panel-button = Tin nhắn panel
setup-log-button = Kênh log
setup-limits-button = Giới hạn
setup-topics-button = Chủ đề
setup-staff-button = Vai trò hỗ trợ
setup-closing-button = Khi đóng
setup-who-may-close-button = Ai được đóng
setup-naming-button = Tên kênh
setup-welcome-button = Lời chào
setup-language-button = Ngôn ngữ
enable-button = Bật
disable-button = Tắt
system-enabled = Hệ thống ticket đã bật.
system-disabled = Hệ thống ticket đã tắt: không ai có thể mở ticket.
setting-saved = Đã lưu.
setting-changed = <@{ $by }> đã đổi { $setting }: { $from } → { $to }
panel-channel-prompt = Chọn kênh để đăng panel.
channel-placeholder = Chọn kênh
panel-modal-title = Tin nhắn panel
title-label = Tiêu đề
description-label = Mô tả
footer-label = Chân trang
panel-posted = Đã đăng panel tại <#{ $channel }>.
log-channel-prompt = Chọn kênh ghi log ticket.
log-channel-set = Log ticket sẽ được gửi tới <#{ $channel }>.
log-channel-gone = Kênh nhật ký (`{ $channel }`) không còn tồn tại nên thay đổi này chưa được ghi lại. Hãy chọn kênh khác trong Cài đặt → Kênh nhật ký.
limits-modal-title = Giới hạn ticket
max-total-label = Số ticket mở trong máy chủ ({ $min }–{ $max })
max-per-member-label = Số ticket mở mỗi thành viên ({ $min }–{ $max })
not-a-number-in-range = Vui lòng nhập một số nguyên từ { $min } đến { $max }.
limits-set = Đã lưu giới hạn: { $per-member } mỗi thành viên, { $total } trong máy chủ.
topic-add-button = Thêm
topic-list-button = Danh sách
topic-remove-button = Xóa
topic-modal-title = Chủ đề mới
topic-name-label = Tên
topic-emoji-label = Emoji (không bắt buộc)
topic-added = Đã thêm chủ đề **{ $name }**.
topic-exists = Chủ đề **{ $name }** đã tồn tại.
topic-list-empty = Chưa có chủ đề nào.
topic-list =
    Các chủ đề:
    { $names }
topic-remove-prompt = Chọn chủ đề cần xóa.
topic-remove-confirm-prompt = Xóa chủ đề **{ $name }** và danh mục của nó?
topic-removed = Đã xóa chủ đề **{ $name }**.
topic-in-use = Chủ đề **{ $name }** vẫn còn ticket đang mở: { $channels }. Hãy đóng chúng trước.
staff-roles-prompt = Chọn các vai trò xử lý ticket.
role-placeholder = Chọn vai trò
staff-roles-set = Vai trò hỗ trợ: { $roles }
staff-roles-none = Chưa có vai trò hỗ trợ: chỉ quản trị viên xử lý ticket.
closing-prompt = Điều gì xảy ra với kênh khi ticket được đóng?
confirm-close-toggle-on = 🔒 Đóng hỏi lại trước: bật (tắt đi)
confirm-close-toggle-off = 🔒 Đóng hỏi lại trước: tắt (bật lên)
closing-delete-option = Xóa kênh sau một khoảng thời gian
closing-keep-option = Giữ kênh và khóa lại, kèm nút Xóa và Mở Lại
delay-modal-title = Xóa sau
delay-secs-label = Số giây trước khi xóa ({ $min }–{ $max })
who-may-close-prompt = Ai được phép đóng ticket?
who-may-close-owner-and-staff = Chủ ticket và nhân viên
who-may-close-staff-only = Chỉ nhân viên
naming-modal-title = Tên kênh
template-label = Mẫu tên với {"{"}number{"}"} và {"{"}user{"}"}
template-empty = Mẫu tên đang trống.
template-too-long = Mẫu tên dài quá { $max } ký tự.
template-unknown-placeholder = Không hiểu { $placeholder }: hãy dùng {"{"}number{"}"} và {"{"}user{"}"}.
template-unclosed = Thiếu dấu `{"}"}` trong mẫu tên.
template-missing-number = Mẫu tên phải chứa {"{"}number{"}"}.
welcome-modal-title = Lời chào
response-time-label = Thời gian phản hồi dự kiến
instructions-label = Hướng dẫn
language-prompt = Ngôn ngữ của tin nhắn trong kênh ticket.

## Management.

manage-title = 🛠️ Quản Lý
manage-close-button = Đóng ticket này
close-all-button = Đóng tất cả ticket
close-all-confirm-prompt = Đóng tất cả { $count } ticket đang mở? Bản ghi sẽ được lưu trước.
close-all-progress = Đang đóng ticket… { $done }/{ $total }
close-all-done = Đã đóng { $count } ticket.
add-user-button = Thêm thành viên
remove-user-button = Xóa thành viên
user-placeholder = Chọn thành viên
stats-button = Thống kê
revoke-links-button = Thu hồi liên kết bản ghi
revoke-links-modal-title = Thu hồi liên kết bản ghi
ticket-number-label = Số ticket
not-a-ticket-number = Vui lòng nhập số của ticket, một số nguyên từ 1.
no-ticket-numbered = Không có ticket nào trong máy chủ mang số { $number }.
links-revoked = Các liên kết bản ghi của ticket #{ $number } đã bị thu hồi: chúng không còn mở được nữa.
