# The /stats embed.

stats-title = Thống kê ticket
stats-all-time = Toàn bộ thời gian
stats-last-30-days = 30 ngày qua
stats-last-7-days = 7 ngày qua
stats-created = Đã tạo
stats-closed = Đã đóng
stats-still-open = Đang mở
stats-resolution-mean = Thời gian giải quyết trung bình
stats-resolution-median = Thời gian giải quyết trung vị
stats-first-response-mean = Phản hồi đầu tiên trung bình
stats-per-member = Ticket mỗi thành viên
stats-top-topic = Chủ đề phổ biến nhất
stats-resolution-rate = Tỷ lệ giải quyết
stats-staff-activity = Hoạt động nhân viên (toàn bộ)
stats-staff-line = <@{ $user }>: nhận { $claims }, đóng { $closes }, phản hồi đầu tiên { $responses }
stats-no-staff-activity = Chưa có hoạt động của nhân viên.
stats-bot = Về bot
stats-uptime = Thời gian hoạt động
stats-commands = Lệnh đã xử lý
stats-database-size = Dung lượng cơ sở dữ liệu
stats-error-rate = Tỷ lệ lỗi
stats-no-data = chưa có dữ liệu
