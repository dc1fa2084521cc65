/**
 * One entry per form action of the portal: who posts, to which page, and a generator per field
 * (the form's real field names). The fuzz test fails when src/routes has an action with no entry
 * here, or an entry names an action that no longer exists.
 *
 * To add an action: add `'<route id> <action>'` (the route as in src/routes, `default` for an
 * unnamed action) with `as` (a role allowed to use it; see Role in world.ts), `path` (the page,
 * with real ids from the World) and `fields` (each form field with a generator from values.ts:
 * `text(max)`, `integer(min, max)`, `id(pool)`, `date()`, `time()`, `choice(...)`, `checkbox()`…).
 * If a refused post may rightly write a row (a failed log-in counts in `throttle`), list the
 * table in `mayWrite`. Pick route ids and pools so that an accepted post cannot lock the other
 * entries' users out (e.g. never the demo accounts' own roles).
 */
import type { World, Role } from './world';
import { checkbox, choice, date, email, field, hostile, id, instant, integer, password, phone, text, time, type FieldArb } from './values';
import fc from 'fast-check';

export type Entry = {
	as: Role;
	path: (w: World) => string;
	fields: (w: World) => Record<string, FieldArb>;
	/** Tables that a refused post may still write to, with the reason in a comment. */
	mayWrite?: string[];
};

const SERVICES = ['consultation', 'chronic_follow_up', 'health_check', 'three_controls'];
const ROLES = ['resident', 'trainer', 'doctor', 'staff', 'admin'];
const none = () => ({});

const person = (w: World) => ({
	familyName: text(40),
	givenName: text(40),
	displayName: text(40),
	phone: phone(w.accounts.resident.phone),
	email: email(),
	birthYear: integer(1900, 2026),
	communityId: id(w.pools.community)
});

const studio = (w: World) => ({
	communityId: id(w.pools.community),
	nameZh: text(60),
	nameEn: text(80),
	addressZh: text(120),
	addressEn: text(160),
	directionsZh: text(300),
	directionsEn: text(400),
	phone: text(30),
	stepFree: checkbox()
});

const space = (w: World) => ({
	communityId: id(w.pools.community),
	nameZh: text(60),
	nameEn: text(80),
	addressZh: text(120),
	addressEn: text(160),
	directionsZh: text(300),
	directionsEn: text(400),
	contact: text(60),
	stepFree: checkbox(),
	capacity: integer(1, 1000),
	facilitiesZh: text(300),
	facilitiesEn: text(400)
});

const course = () => ({
	code: field('CPR-AED', 'FUZZ-1', 'bad code!', 'x'.repeat(21)),
	titleZh: text(60),
	titleEn: text(80),
	descriptionZh: text(1000),
	descriptionEn: text(1500),
	durationMinutes: integer(15, 720),
	validityMonths: integer(1, 120),
	countsTowardCoverage: checkbox(),
	skills: field(
		'按压 | Compressions',
		'按压 | Compressions\n吹气 | Breaths',
		'no bar here',
		' | ',
		Array.from({ length: 21 }, (_, i) => `技能${i} | Skill ${i}`).join('\n')
	)
});

const trainingSessionChange = (w: World) => ({
	venueZh: text(120),
	venueEn: text(160),
	trainerAccountId: id([w.accounts.trainer.accountId, ...w.pools.account]),
	capacity: integer(1, 500)
});

const weekday = () => Object.assign(choice('1', '2', '3', '4', '5', '6', '7', '0', '8'), { plausible: fc.constantFrom('1', '3', '7') });

export const ACTIONS: Record<string, Entry> = {
	'/account profile': { as: 'own', path: () => '/account', fields: person },
	// The own account's real password is never generated: a changed password would refuse the next runs.
	'/account password': { as: 'own', path: () => '/account', fields: () => ({ currentPassword: password(), newPassword: password() }) },
	'/account createCalendar': { as: 'own', path: () => '/account', fields: none },
	'/session extend': { as: 'own', path: () => '/session', fields: none },
	'/account revokeCalendar': { as: 'own', path: () => '/account', fields: none },
	'/admin/accounts/[id] disable': { as: 'admin', path: (w) => `/admin/accounts/${w.victim.accountId}`, fields: none },
	'/admin/accounts/[id] enable': { as: 'admin', path: (w) => `/admin/accounts/${w.victim.accountId}`, fields: none },
	'/admin/accounts/[id] grant': {
		as: 'admin',
		path: (w) => `/admin/accounts/${w.victim.accountId}`,
		fields: (w) => ({ role: choice(...ROLES), communityId: id(w.pools.community) })
	},
	'/admin/accounts/[id] passwordLink': {
		as: 'admin',
		path: (w) => `/admin/accounts/${w.victim.accountId}`,
		fields: () => ({ reason: text(300) })
	},
	'/admin/accounts/[id] revoke': {
		as: 'admin',
		path: (w) => `/admin/accounts/${w.victim.accountId}`,
		fields: (w) => ({ roleId: id(w.pools.accountRole) })
	},
	'/admin/communities create': {
		as: 'admin',
		path: () => '/admin/communities',
		fields: () => ({ code: field('dongmen', 'fuzz-c', 'Bad Code', 'x'.repeat(33)), nameZh: text(60), nameEn: text(80) })
	},
	'/admin/communities/[id] rename': {
		as: 'admin',
		path: (w) => `/admin/communities/${w.community.lixin}`,
		fields: () => ({ nameZh: text(60), nameEn: text(80) })
	},
	'/admin/communities/[id] population': {
		as: 'admin',
		path: (w) => `/admin/communities/${w.community.lixin}`,
		fields: () => ({ population: integer(0, 10_000_000), effectiveFrom: date() })
	},
	// Posted from the preview of the two records (`?keep=…&drop=…`), as its form is: without a preview the
	// page has no merge form, so no place for the confirmation box's message.
	'/admin/merge merge': {
		as: 'admin',
		path: (w) => `/admin/merge?keep=${w.mergeable[0]}&drop=${w.mergeable[1]}`,
		fields: (w) => ({ keepId: id(w.mergeable), dropId: id(w.mergeable), confirm: checkbox() })
	},
	'/admin/outbox retry': { as: 'admin', path: () => '/admin/outbox', fields: (w) => ({ id: id(w.pools.outbox) }) },
	'/doctor mark': {
		as: 'doctor',
		path: () => '/doctor',
		fields: (w) => ({ id: id(w.pools.reservation), outcome: choice('attended', 'no_show', 'reserved') })
	},
	'/doctor cancelDay': { as: 'doctor', path: () => '/doctor', fields: () => ({ day: date(), message: text(200) }) },
	'/doctor/appointments/[id]/move move': {
		as: 'doctor',
		path: (w) => `/doctor/appointments/${w.doctorAppointment}/move`,
		fields: () => ({ start: instant(), message: text(200) })
	},
	'/doctor/hours addRule': {
		as: 'doctor',
		path: () => '/doctor/hours',
		fields: () => ({
			weekday: weekday(),
			startTime: time(),
			endTime: time('11:00'),
			slotMinutes: integer(5, 240),
			validFrom: date(),
			validTo: date()
		})
	},
	'/doctor/hours removeRule': { as: 'doctor', path: () => '/doctor/hours', fields: (w) => ({ id: id(w.pools.availability) }) },
	'/doctor/hours addException': {
		as: 'doctor',
		path: () => '/doctor/hours',
		fields: () => ({
			day: date(),
			kind: choice('leave', 'extra'),
			startTime: time(),
			endTime: time('11:00'),
			slotMinutes: integer(5, 240),
			note: text(200)
		})
	},
	'/doctor/hours removeException': { as: 'doctor', path: () => '/doctor/hours', fields: (w) => ({ id: id(w.pools.exception) }) },
	'/doctor/hours cancelOne': {
		as: 'doctor',
		path: () => '/doctor/hours',
		fields: (w) => ({ id: id(w.pools.reservation), message: text(200) })
	},
	'/doctors/[id]/book book': {
		as: 'resident',
		path: (w) => `/doctors/${w.doctorId}/book`,
		fields: (w) => ({ start: instant(), service: choice(...SERVICES), reason: text(200), for: id(w.pools.person) })
	},
	'/fitness/checkin/[code] default': {
		as: 'resident',
		path: (w) => `/fitness/checkin/${w.space.code}`,
		fields: (w) => ({ reservationId: id(w.pools.reservation) })
	},
	'/login default': {
		as: 'visitor',
		path: () => '/login',
		// Only a logged-in name the other entries never log in with, and never its password.
		fields: () => ({
			login: field('13712340000', 'nobody@example.cn'),
			password: password(),
			next: field('/', '//evil.example', 'https://evil.example/', '/me')
		}),
		// A failed log-in is counted (throttling) and audited.
		mayWrite: ['throttle', 'audit_log']
	},
	'/logout default': { as: 'leaver', path: () => '/logout', fields: none },
	'/logout/everywhere default': { as: 'leaver', path: () => '/logout/everywhere', fields: none },
	'/me/appointments cancel': { as: 'resident', path: () => '/me/appointments', fields: (w) => ({ id: id(w.pools.reservation) }) },
	'/me/appointments/[id]/reschedule move': {
		as: 'resident',
		path: (w) => `/me/appointments/${w.residentAppointment}/reschedule`,
		fields: () => ({ start: instant() })
	},
	// The own account's password is never generated: the account stays.
	'/me/data delete': { as: 'own', path: () => '/me/data', fields: () => ({ password: password(), confirm: checkbox() }) },
	'/me/household add': {
		as: 'resident',
		path: () => '/me/household',
		fields: (w) => ({
			familyName: text(40),
			givenName: text(40),
			displayName: text(40),
			birthYear: integer(1900, 2026),
			phone: phone(w.accounts.trainer.phone),
			consent: checkbox()
		})
	},
	'/me/household link': {
		as: 'resident',
		path: () => '/me/household',
		fields: (w) => ({ login: field(w.accounts.trainer.phone, w.own.login, w.accounts.resident.phone, 'nobody@example.cn') })
	},
	'/me/household answer': {
		as: 'resident',
		path: () => '/me/household',
		fields: (w) => ({ id: id(w.pools.householdLink), answer: choice('accept', 'decline') })
	},
	'/me/household end': { as: 'resident', path: () => '/me/household', fields: (w) => ({ id: id(w.pools.householdLink) }) },
	'/me/notifications read': { as: 'resident', path: () => '/me/notifications', fields: (w) => ({ id: id(w.pools.notification) }) },
	'/me/notifications readAll': { as: 'resident', path: () => '/me/notifications', fields: none },
	// Someone else's reservation: never an offer of the resident's.
	'/me/offers/[id] accept': { as: 'resident', path: (w) => `/me/offers/${w.trainerSession.reservationId}`, fields: none },
	'/me/offers/[id] decline': { as: 'resident', path: (w) => `/me/offers/${w.trainerSession.reservationId}`, fields: none },
	'/me/reservations cancel': { as: 'resident', path: () => '/me/reservations', fields: (w) => ({ id: id(w.pools.reservation) }) },
	'/me/training withdraw': { as: 'resident', path: () => '/me/training', fields: (w) => ({ id: id(w.pools.reservation) }) },
	'/occurrences/[id] reserve': {
		as: 'resident',
		path: (w) => `/occurrences/${w.space.sessionId}`,
		fields: (w) => ({ for: id(w.pools.person) })
	},
	'/preferences language': {
		as: 'visitor',
		path: () => '/preferences',
		fields: () => ({ locale: choice('zh-CN', 'en', 'fr'), next: field('/', '/verify', '//evil.example', 'https://evil.example/') })
	},
	'/preferences textSize': {
		as: 'visitor',
		path: () => '/preferences',
		fields: () => ({ large: choice('0', '1', '2'), next: field('/', '/verify', '//evil.example') })
	},
	'/register default': {
		as: 'visitor',
		path: () => '/register',
		fields: (w) => ({ ...person(w), password: password(), acceptPrivacy: checkbox() }),
		// Registrations are counted per address (rate limit).
		mayWrite: ['throttle']
	},
	'/reset default': {
		as: 'visitor',
		path: () => '/reset',
		fields: () => ({ login: field('13712340000', 'nobody@example.cn') }),
		mayWrite: ['throttle']
	},
	'/reset/[token] default': {
		as: 'visitor',
		path: () => `/reset/${'A'.repeat(32)}`,
		fields: () => ({ newPassword: password() })
	},
	'/staff/certificates/[id] revoke': {
		as: 'staff',
		path: (w) => `/staff/certificates/${w.certificateId}`,
		fields: () => ({ reason: text(300) })
	},
	'/staff/certificates/[id] reissue': { as: 'staff', path: (w) => `/staff/certificates/${w.certificateId}`, fields: none },
	'/staff/coverage target': {
		as: 'staff',
		path: () => '/staff/coverage',
		fields: () => ({ target: field('50', '99.5', '100', '100.01', '-1', '1e2', '12.345') })
	},
	'/staff/coverage notify': { as: 'staff', path: () => '/staff/coverage', fields: none },
	'/staff/doctors createStudio': { as: 'staff', path: () => '/staff/doctors', fields: studio },
	'/staff/doctors/[id] update': { as: 'staff', path: (w) => `/staff/doctors/${w.studioId}`, fields: studio },
	'/staff/doctors/[id] link': {
		as: 'staff',
		path: (w) => `/staff/doctors/${w.studioId}`,
		fields: (w) => ({ phone: phone(w.accounts.trainer.phone), titleZh: text(40), titleEn: text(60), services: choice(...SERVICES) })
	},
	// Never the demo doctor: the doctor's own entries need the link.
	'/staff/doctors/[id] unlink': {
		as: 'staff',
		path: (w) => `/staff/doctors/${w.studioId}`,
		fields: (w) => ({ doctorId: id(w.pools.doctor.filter((d) => d !== w.doctorId)) })
	},
	'/staff/fitness createSpace': { as: 'staff', path: () => '/staff/fitness', fields: space },
	'/staff/fitness/series/[id] default': {
		as: 'staff',
		path: (w) => `/staff/fitness/series/${w.space.seriesId}`,
		fields: () => ({
			titleZh: text(60),
			titleEn: text(80),
			instructor: text(40),
			capacity: integer(1, 1000),
			startTime: time(),
			endTime: time('11:00')
		})
	},
	'/staff/fitness/sessions/[id] edit': {
		as: 'staff',
		path: (w) => `/staff/fitness/sessions/${w.space.sessionId}`,
		fields: () => ({ date: date(), startTime: time(), endTime: time('11:00'), capacity: integer(1, 1000) })
	},
	'/staff/fitness/sessions/[id] cancel': { as: 'staff', path: (w) => `/staff/fitness/sessions/${w.space.cancelSessionId}`, fields: none },
	'/staff/fitness/spaces/[id] update': { as: 'staff', path: (w) => `/staff/fitness/spaces/${w.space.id}`, fields: space },
	'/staff/fitness/spaces/[id] hours': {
		as: 'staff',
		path: (w) => `/staff/fitness/spaces/${w.space.id}`,
		fields: () =>
			Object.fromEntries(
				[1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
					[`opens${d}`, time()],
					[`closes${d}`, time()]
				])
			)
	},
	'/staff/fitness/spaces/[id] createSeries': {
		as: 'staff',
		path: (w) => `/staff/fitness/spaces/${w.space.id}`,
		fields: () => ({
			kind: choice('group', 'open'),
			titleZh: text(60),
			titleEn: text(80),
			instructor: text(40),
			capacity: integer(1, 1000),
			weekday: weekday(),
			startTime: time(),
			endTime: time('11:00'),
			validFrom: date(),
			validTo: date()
		})
	},
	'/staff/fitness/spaces/[id] cancelSeries': {
		as: 'staff',
		path: (w) => `/staff/fitness/spaces/${w.space.id}`,
		fields: (w) => ({ seriesId: id(w.pools.series) })
	},
	'/staff/fitness/spaces/[id] cancelSession': {
		as: 'staff',
		path: (w) => `/staff/fitness/spaces/${w.space.id}`,
		fields: (w) => ({ occurrenceId: id(w.pools.occurrence) })
	},
	'/staff/fitness/spaces/[id] close': {
		as: 'staff',
		path: (w) => `/staff/fitness/spaces/${w.space.id}`,
		fields: () => ({ fromDate: date(), fromTime: time(), toDate: date(), toTime: time('18:00'), reasonZh: text(100), reasonEn: text(140) })
	},
	'/staff/occurrences/[id] admit': {
		as: 'staff',
		path: (w) => `/staff/occurrences/${w.space.sessionId}`,
		fields: (w) => ({ phone: phone(w.accounts.resident.phone, w.accounts.trainer.phone) })
	},
	'/staff/occurrences/[id] checkIn': {
		as: 'staff',
		path: (w) => `/staff/occurrences/${w.space.sessionId}`,
		fields: (w) => ({ reservationId: id(w.pools.reservation) })
	},
	'/staff/occurrences/[id] cancel': {
		as: 'staff',
		path: (w) => `/staff/occurrences/${w.space.sessionId}`,
		fields: (w) => ({ reservationId: id(w.pools.reservation) })
	},
	'/staff/occurrences/[id] undo': {
		as: 'staff',
		path: (w) => `/staff/occurrences/${w.space.sessionId}`,
		fields: (w) => ({ reservationId: id(w.pools.reservation) })
	},
	'/staff/people/[id] book': {
		as: 'staff',
		path: (w) => `/staff/people/${w.walkIn}`,
		fields: (w) => ({ occurrenceId: id(w.pools.occurrence) })
	},
	// Posted from the page with a doctor picked (`?doctor=…`), as its form is: without one the page has
	// no booking form, so no place for the refused fields' messages.
	'/staff/people/[id] bookDoctor': {
		as: 'staff',
		path: (w) => `/staff/people/${w.walkIn}?doctor=${w.doctorId}`,
		fields: (w) => ({ doctorId: id(w.pools.doctor), start: instant(), service: choice(...SERVICES), reason: text(200) })
	},
	'/staff/people/[id] update': { as: 'staff', path: (w) => `/staff/people/${w.walkIn}`, fields: person },
	'/staff/people/[id] openAccount': { as: 'staff', path: (w) => `/staff/people/${w.walkIn}`, fields: none },
	'/staff/people/[id] passwordLink': { as: 'staff', path: (w) => `/staff/people/${w.walkIn}`, fields: none },
	'/staff/people/new default': {
		as: 'staff',
		path: () => '/staff/people/new',
		fields: (w) => ({ ...person(w), openAccount: checkbox() })
	},
	'/staff/training createSession': {
		as: 'staff',
		path: () => '/staff/training',
		fields: (w) => ({
			courseId: id(w.pools.course),
			communityId: id(w.pools.community),
			date: date(),
			startTime: time(),
			...trainingSessionChange(w)
		})
	},
	// Staff of every community: the demo staff (东门 only) are refused before the form is read.
	'/staff/training/courses/[id] default': {
		as: 'district',
		path: (w) => `/staff/training/courses/${w.courseId}`,
		fields: course
	},
	'/staff/training/courses/new default': {
		as: 'district',
		path: () => '/staff/training/courses/new',
		fields: course
	},
	'/staff/training/sessions/[id] import': {
		as: 'staff',
		path: (w) => `/staff/training/sessions/${w.staffTrainingSession}`,
		fields: () => ({
			roster: fc.oneof(
				field(),
				fc
					.constantFrom(
						'',
						'\ufeff姓名,手机\n',
						'family_name,given_name,phone\n王,秀英,13800000001\n',
						'姓,名,手机,出生年份\n李,小明,1380013800,2015\n=cmd,x,,\n',
						'\u0000\u0001binary',
						'a,b,c\n'.repeat(2000)
					)
					.map((file) => ({ file }))
			),
			consent: checkbox()
		})
	},
	'/staff/training/sessions/[id] change': {
		as: 'staff',
		path: (w) => `/staff/training/sessions/${w.staffTrainingSession}`,
		fields: trainingSessionChange
	},
	'/staff/training/sessions/[id] cancel': { as: 'staff', path: (w) => `/staff/training/sessions/${w.staffTrainingSession}`, fields: none },
	'/trainer/sessions/[id] attendance': {
		as: 'trainer',
		path: (w) => `/trainer/sessions/${w.trainerSession.id}`,
		fields: (w) => ({
			present: fc.oneof(id(w.trainerSession.trainees), fc.array(fc.constantFrom(...w.trainerSession.trainees.map(String))))
		})
	},
	'/trainer/sessions/[id]/certificates issue': {
		as: 'trainer',
		path: (w) => `/trainer/sessions/${w.trainerSession.id}/certificates`,
		fields: (w) => ({
			confirm: checkbox(),
			...Object.fromEntries(
				w.trainerSession.trainees.slice(0, 3).flatMap((r) => [
					[`family${r}`, text(20)],
					[`given${r}`, text(20)]
				])
			)
		})
	},
	'/trainer/sessions/[id]/certificates revoke': {
		as: 'trainer',
		path: (w) => `/trainer/sessions/${w.trainerSession.id}/certificates`,
		fields: (w) => ({ certificateId: id(w.pools.certificate), reason: text(300) })
	},
	'/trainer/sessions/[id]/certificates reissue': {
		as: 'trainer',
		path: (w) => `/trainer/sessions/${w.trainerSession.id}/certificates`,
		fields: (w) => ({ certificateId: id(w.pools.certificate) })
	},
	'/trainer/sessions/[id]/trainees/[reservationId] default': {
		as: 'trainer',
		path: (w) => `/trainer/sessions/${w.trainerSession.id}/trainees/${w.trainerSession.reservationId}`,
		fields: (w) =>
			Object.fromEntries(
				w.trainerSession.skills.flatMap((s) => [
					[`result-${s}`, choice('pass', 'fail', 'maybe')],
					[`note-${s}`, text(300)]
				])
			)
	},
	'/verify default': {
		as: 'visitor',
		path: () => '/verify',
		fields: () => ({ number: field('DM-FA-2026-000001-K', 'DM-FA-2026-000001-X', 'DM-123', 'dm-fa-2026-000001-k'), familyName: text(20) }),
		// Look-ups are counted per address (rate limit).
		mayWrite: ['throttle', 'certificate_lookup']
	}
};

/** A few fields no form has, posted along with the real ones: they must be ignored. */
export const strayFields = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'id', 'x', 'toString', 'undefined'), hostile()), {
	maxLength: 2
});
