// The session's page and the warning shown before a session ends.

const zh = {
	'session.title': '登录状态',
	'session.left': '如果没有操作，您的登录大约在 {minutes} 分钟后结束。',
	'session.leftHours': '如果没有操作，您的登录大约在 {hours} 小时后结束。',
	'session.final': '为了安全，这次登录到时一定会结束，届时请重新登录。',
	'session.stay': '保持登录',
	'session.extended': '已为您保持登录。',
	'session.warning': '您的登录将在 {minutes} 分钟内结束。正在填写的内容请尽快提交；需要更多时间，请点“保持登录”。',
	'session.warningFinal': '您的登录将在 {minutes} 分钟内结束，且无法再延长。请尽快提交正在填写的内容，然后重新登录。',
	'session.ended': '您的登录已经结束。请先复制正在填写的内容，再重新登录。',
	'session.loginAgain': '重新登录'
};

const en: Record<keyof typeof zh, string> = {
	'session.title': 'Your log-in',
	'session.left': 'Without activity, your log-in ends in about {minutes} minutes.',
	'session.leftHours': 'Without activity, your log-in ends in about {hours} hours.',
	'session.final': 'For safety this log-in ends at that time in any case; then please log in again.',
	'session.stay': 'Stay logged in',
	'session.extended': 'You are still logged in.',
	'session.warning':
		'Your log-in ends within {minutes} minutes. Please send the form you are filling in soon; if you need more time, choose "Stay logged in".',
	'session.warningFinal':
		'Your log-in ends within {minutes} minutes and cannot be extended. Please send the form you are filling in soon, then log in again.',
	'session.ended': 'Your log-in has ended. Copy what you were typing, then log in again.',
	'session.loginAgain': 'Log in again'
};

export const session = { zh, en };
