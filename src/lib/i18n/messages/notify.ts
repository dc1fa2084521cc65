// Notifications: the inbox, and the SMS / e-mail texts (`notify.<kind>.title` / `.body`). A message's
// link is shown beside the body in the inbox and appended to the body in an SMS or e-mail.

const zh = {
	'notify.password_reset.title': '健康东门：重置密码',
	'notify.password_reset.body': '【健康东门】您申请了重置密码，请在 1 小时内打开下面的链接设置新密码。如非本人操作，请忽略本消息。',
	'notify.set_password.title': '健康东门：设置密码',
	'notify.set_password.body': '【健康东门】社区工作人员为您开通了账户，请在 7 天内打开下面的链接设置密码。',
	'notify.password_link_created.title': '健康东门：为您的账户生成了设置密码的链接',
	'notify.password_link_created.body':
		'【健康东门】工作人员刚为您的账户生成了一个设置密码的链接。如果不是您本人在社区服务台办理，请立即拨打社区服务电话。',
	'notify.password_set_by_link.title': '健康东门：您的密码已更改',
	'notify.password_set_by_link.body': '【健康东门】您的账户密码刚通过一个链接设置或重置。如果不是您本人操作，请立即拨打社区服务电话。',
	'notify.test.title': '测试通知',
	'notify.test.body': '这是一条测试通知。',

	'inbox.title': '我的通知',
	'inbox.heading': '我的通知',
	'inbox.empty': '暂时没有通知。预约、报名和证书有变化时，会在这里告诉您。',
	'inbox.unread': '未读',
	'inbox.unreadCount': '{n} 条未读通知',
	'inbox.markRead': '标为已读',
	'inbox.markAllRead': '全部标为已读',
	'inbox.open': '查看',
	'inbox.navLabel': '通知',
	'inbox.navUnread': '通知（{n} 条未读）'
} as const;

const en: Record<keyof typeof zh, string> = {
	'notify.password_reset.title': 'Healthy Dongmen: reset your password',
	'notify.password_reset.body':
		'Healthy Dongmen: you asked to reset your password. Open the link below within one hour to set a new one. If it was not you, ignore this message.',
	'notify.set_password.title': 'Healthy Dongmen: set your password',
	'notify.set_password.body':
		'Healthy Dongmen: community staff opened an account for you. Open the link below within 7 days to set your password.',
	'notify.password_link_created.title': 'Healthy Dongmen: a password link was made for your account',
	'notify.password_link_created.body':
		'Healthy Dongmen: staff just made a link to set the password of your account. If you did not ask for it at a community desk, call the community service line at once.',
	'notify.password_set_by_link.title': 'Healthy Dongmen: your password was changed',
	'notify.password_set_by_link.body':
		'Healthy Dongmen: the password of your account was just set or reset through a link. If it was not you, call the community service line at once.',
	'notify.test.title': 'Test notification',
	'notify.test.body': 'This is a test notification.',

	'inbox.title': 'My notifications',
	'inbox.heading': 'My notifications',
	'inbox.empty': 'No notifications yet. When a booking, enrolment or certificate changes, you will be told here.',
	'inbox.unread': 'Unread',
	'inbox.unreadCount': '{n} unread notifications',
	'inbox.markRead': 'Mark as read',
	'inbox.markAllRead': 'Mark all as read',
	'inbox.open': 'Open',
	'inbox.navLabel': 'Notifications',
	'inbox.navUnread': 'Notifications ({n} unread)'
};

export const notify = { zh, en };
