# The log channel's lines and closure summary, and the transcript DM to a ticket's owner.

log-opened = 🎫 <@{ $owner }> đã mở { $ticket } tại <#{ $channel }>
log-help-requested = 🆘 <@{ $owner }> đã yêu cầu trợ giúp trong { $ticket } (<#{ $channel }>)
log-claimed = 🙋 <@{ $by }> đã nhận { $ticket } (<#{ $channel }>)

## The closure summary: its title and field names.

log-summary-title = Ticket đã đóng: { $ticket } (#{ $number })
log-owner = Người mở
log-topic = Chủ đề
log-opened-at = Mở lúc
log-claimed-by = Người nhận
log-closed-at = Đóng lúc
log-closed-by = Người đóng
log-duration = Thời lượng
log-first-response = Phản hồi đầu tiên của nhân viên
log-messages = Số tin nhắn
log-transcript = Bản ghi
log-nothing = không có
log-attached = đính kèm bên dưới

## Notes for admins.

log-dm-refused = 📭 <@{ $owner }> không nhận tin nhắn riêng nên chưa nhận được bản ghi.
log-work-blocked-delete = ⚠️ Ticketbooth không thể xoá kênh của { $ticket } (<#{ $channel }>): bot cần quyền { $permission } tại đó. Bot vẫn tiếp tục thử lại và sẽ hoàn tất khi được cấp quyền này.
log-work-blocked-save = ⚠️ Ticketbooth không thể lưu bản ghi của { $ticket } (<#{ $channel }>): bot cần quyền { $permission } tại đó. Bot vẫn tiếp tục thử lại và sẽ hoàn tất khi được cấp quyền này.
log-job-failed-delete = ⚠️ Ticketbooth đã ngừng thử xoá kênh của { $ticket } sau { $attempts } lần. Không có gì bị mất: người vận hành bot có thể chạy `ticketbooth jobs retry { $job }` khi đã khắc phục nguyên nhân.
log-job-failed-save = ⚠️ Ticketbooth đã ngừng thử lưu bản ghi của { $ticket } sau { $attempts } lần. Không có gì bị mất: người vận hành bot có thể chạy `ticketbooth jobs retry { $job }` khi đã khắc phục nguyên nhân.
log-job-failed-staff-access = ⚠️ Ticketbooth đã ngừng thử áp dụng vai trò nhân viên cho các kênh ticket sau { $attempts } lần. Không có gì bị mất: người vận hành bot có thể chạy `ticketbooth jobs retry { $job }` khi đã khắc phục nguyên nhân.
log-job-failed-close-all = ⚠️ Ticketbooth đã ngừng thử hoàn tất Close all sau { $attempts } lần. Không có gì bị mất: người vận hành bot có thể chạy `ticketbooth jobs retry { $job }` khi đã khắc phục nguyên nhân.
log-job-failed-other = ⚠️ Ticketbooth đã ngừng thử hoàn tất công việc chờ của { $ticket } sau { $attempts } lần. Không có gì bị mất: người vận hành bot có thể chạy `ticketbooth jobs retry { $job }` khi đã khắc phục nguyên nhân.
log-links-revoked = 🔗 <@{ $by }> đã thu hồi các liên kết bản ghi của ticket #{ $number }.
log-closed-all = 🔒 <@{ $by }> đã đóng { $count } ticket bằng Close all.
log-log-channel-gone = Kênh nhật ký của Ticketbooth trong { $guild } (<#{ $channel }>) không còn tồn tại nên tóm tắt và bản ghi không được đăng. Hãy chọn kênh mới bằng /ticket → Setup → Log channel.

## The transcript DM.

transcript-dm-link = Ticket { $ticket } của bạn trong { $guild } đã đóng. Bản ghi: { $link }
transcript-dm-attached = Ticket { $ticket } của bạn trong { $guild } đã đóng. Bản ghi được đính kèm.
