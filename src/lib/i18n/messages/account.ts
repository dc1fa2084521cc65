// Password reset, the account page's profile and calendar sections, and the home page's lists.

const zh = {
	'reset.title': '找回密码',
	'reset.heading': '找回密码',
	'reset.intro': '请输入注册时使用的手机号或电子邮箱，我们会把设置新密码的链接发送给您。',
	'reset.submit': '发送链接',
	'reset.sent': '如果这个手机号或邮箱注册过账户，设置新密码的链接已经发出，1 小时内有效。没有收到？也可以到社区服务窗口办理。',
	'reset.throttled.seconds': '操作过于频繁，请在 {n} 秒后再试',
	'reset.throttled.minutes': '操作过于频繁，请在 {n} 分钟后再试',
	'reset.set.heading': '设置新密码',
	'reset.set.for': '账户：{login}',
	'reset.set.submit': '保存新密码',
	'reset.set.invalid': '这个链接已经用过、已经过期或不正确。请重新申请，或到社区服务窗口办理。',
	'reset.set.again': '重新申请链接',
	'reset.done': '新密码已设置，所有设备上的登录都已退出。请用新密码登录。',

	'account.profile.edit': '修改个人信息',
	'account.profile.saved': '个人信息已保存',
	'account.profile.loginTaken': '这个手机号或邮箱已被其他账户使用',
	'account.profile.needLogin': '手机号和电子邮箱至少保留一项，用于登录',
	'account.community.history': '社区变更会从今天起生效，以前的统计仍算在原来的社区。',
	'account.calendar': '日历订阅',
	'account.calendar.text': '把您的预约、场地预订和培训加入手机日历。订阅链接相当于密码，请不要分享给别人。',
	'account.calendar.create': '生成订阅链接',
	'account.calendar.recreate': '重新生成链接（旧链接失效）',
	'account.calendar.revoke': '停用订阅链接',
	'account.calendar.active': '订阅已开启。链接只在生成时显示一次；如果忘记了，可以重新生成。',
	'account.calendar.none': '尚未开启日历订阅。',
	'account.calendar.link': '您的订阅链接（请复制到日历应用中）：',
	'account.calendar.revoked': '订阅链接已停用',

	'home.upcoming': '接下来的安排',
	'home.upcoming.empty': '您还没有预约。可以从下面三项服务开始。',
	'home.cancelled': '已取消',
	'home.notifications': '您有 {n} 条未读通知',
	'home.ways': '服务入口',
	'home.thisWeek': '本周健身场地安排',
	'home.fullTimetable': '查看完整课表'
} as const;

const en: Record<keyof typeof zh, string> = {
	'reset.title': 'Reset password',
	'reset.heading': 'Reset your password',
	'reset.intro': 'Enter the mobile number or e-mail you registered with, and we will send you a link to set a new password.',
	'reset.submit': 'Send the link',
	'reset.sent':
		'If an account uses this mobile number or e-mail, a link to set a new password has been sent; it works for one hour. Nothing arrived? The community service desk can help too.',
	'reset.throttled.seconds': 'Too many attempts; please try again in {n} seconds',
	'reset.throttled.minutes': 'Too many attempts; please try again in {n} minutes',
	'reset.set.heading': 'Set a new password',
	'reset.set.for': 'Account: {login}',
	'reset.set.submit': 'Save the new password',
	'reset.set.invalid': 'This link was used already, has expired or is not correct. Ask for a new one, or visit the community service desk.',
	'reset.set.again': 'Ask for a new link',
	'reset.done': 'Your new password is set and you are logged out everywhere. Please log in with the new password.',

	'account.profile.edit': 'Change personal details',
	'account.profile.saved': 'Personal details saved',
	'account.profile.loginTaken': 'Another account already uses this mobile number or e-mail',
	'account.profile.needLogin': 'Keep a mobile number or an e-mail: you log in with it',
	'account.community.history': 'A change of community applies from today; past statistics stay with the old community.',
	'account.calendar': 'Calendar subscription',
	'account.calendar.text':
		'Add your appointments, reservations and trainings to your phone calendar. The link works like a password: do not share it.',
	'account.calendar.create': 'Create a subscription link',
	'account.calendar.recreate': 'Make a new link (the old one stops working)',
	'account.calendar.revoke': 'Turn the subscription link off',
	'account.calendar.active': 'Your subscription is on. The link is shown only once when made; if you lost it, make a new one.',
	'account.calendar.none': 'No calendar subscription yet.',
	'account.calendar.link': 'Your subscription link (copy it into your calendar app):',
	'account.calendar.revoked': 'The subscription link is turned off',

	'home.upcoming': 'Coming up',
	'home.upcoming.empty': 'Nothing booked yet. Start with one of the three services below.',
	'home.cancelled': 'Cancelled',
	'home.notifications': 'You have {n} unread notifications',
	'home.ways': 'Services',
	'home.thisWeek': 'This week at the fitness spaces',
	'home.fullTimetable': 'See the whole timetable'
};

export const account = { zh, en };
