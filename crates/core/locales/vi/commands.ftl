# Slash commands: a message's value is the command's or option's name, its .description the
# description. Names follow Discord's rule: lowercase, no spaces, at most 32 characters
# (letters, digits, - and _); descriptions are at most 100 characters.

command-ticket = ticket
    .description = Cài đặt và quản lý hệ thống ticket
command-close = đóng
    .description = Đóng ticket này
command-claim = nhận
    .description = Nhận xử lý ticket này
command-unclaim = bỏ-nhận
    .description = Bỏ nhận ticket này để nhân viên khác xử lý
command-add = thêm
    .description = Thêm một thành viên vào ticket này
command-remove = xóa
    .description = Xóa một thành viên khỏi ticket này
command-stats = thống-kê
    .description = Thống kê ticket của máy chủ này
option-reason = lý-do
    .description = Lý do đóng ticket
option-user = thành-viên
    .description = Thành viên
