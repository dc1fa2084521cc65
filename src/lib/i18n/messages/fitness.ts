// Fitness spaces: the public timetable, spaces, and the closure notice.

const zh = {
	'fitness.title': '社区健身场地',
	'fitness.heading': '社区健身场地课表',
	'fitness.intro': '各社区健身场地本周的团体课程和自由使用时段。名额有限，登录后可以预约或候补。',
	'fitness.week': '{from} 至 {to}',
	'fitness.prevWeek': '上一周',
	'fitness.nextWeek': '下一周',
	'fitness.thisWeek': '本周',
	'fitness.community': '社区',
	'fitness.allCommunities': '全部社区',
	'fitness.space': '场地',
	'fitness.allSpaces': '全部场地',
	'fitness.filter': '筛选',
	'fitness.empty': '这一周没有安排。',
	'fitness.kind.group': '团体课',
	'fitness.kind.open': '自由使用',
	'fitness.instructor': '指导：{name}',
	'fitness.cancelled': '已取消',
	'fitness.over': '已开始或结束',
	'fitness.details': '查看与预约',
	'fitness.spaces': '场地一览',
	'fitness.stepFree': '无障碍通行',
	'fitness.capacity': '可容纳 {n} 人',

	'notify.fitness_closure.title': '场地暂停开放：{space}',
	'notify.fitness_closure.body': '{space} 从 {from} 到 {to} 暂停开放（{reason}），您在这段时间的预约已取消。'
} as const;

const en: Record<keyof typeof zh, string> = {
	'fitness.title': 'Community fitness spaces',
	'fitness.heading': 'Fitness space timetable',
	'fitness.intro':
		"This week's group sessions and open-use times at the community fitness spaces. Places are limited: log in to book or join a waiting list.",
	'fitness.week': '{from} to {to}',
	'fitness.prevWeek': 'Previous week',
	'fitness.nextWeek': 'Next week',
	'fitness.thisWeek': 'This week',
	'fitness.community': 'Community',
	'fitness.allCommunities': 'All communities',
	'fitness.space': 'Space',
	'fitness.allSpaces': 'All spaces',
	'fitness.filter': 'Show',
	'fitness.empty': 'Nothing is planned this week.',
	'fitness.kind.group': 'Group session',
	'fitness.kind.open': 'Open use',
	'fitness.instructor': 'Led by {name}',
	'fitness.cancelled': 'Cancelled',
	'fitness.over': 'Started or over',
	'fitness.details': 'Details and booking',
	'fitness.spaces': 'The spaces',
	'fitness.stepFree': 'Step-free access',
	'fitness.capacity': 'Room for {n}',

	'notify.fitness_closure.title': 'Space closed: {space}',
	'notify.fitness_closure.body': '{space} is closed from {from} to {to} ({reason}); your bookings in that time are cancelled.'
};

export const fitness = { zh, en };
