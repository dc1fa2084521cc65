/**
 * Who may request what, written by hand: one entry per page, endpoint and form action of
 * `src/routes` (matrix.test.ts fails when one is missing or names something that no longer exists).
 *
 * To add a route: find its area below, add `'<route id>': page(<who>, path)` (or `endpoint`) and one
 * `'<route id> ?/<action>': act(<who>, path)` per form action; `path` fills the route's parameters
 * from the fixture (fixture.ts; objects of community A owned by the demo resident). `<who>` is an
 * area default (`publicPage`, `signedIn`, `ownedBy`, `only('staff')`…), tweaked with `but({...})`.
 *
 * Outcomes, as a user would see them:
 * - 'ok'     a page or endpoint answers 200; an action answers anything but a refusal or a 5xx
 *            (it ran: 200, 303 elsewhere, or 400 with the field messages for the empty form);
 * - 'login'  303 to /login (and back here afterwards);
 * - 403      "no permission": the role is not held;
 * - 404      "not found": someone else's object, which must look the same as a missing one;
 * - { to }   303 to another page (e.g. /login when already signed in goes home).
 */
import { ROLES, type Fixture, type Who } from './fixture';

export type Outcome = 'ok' | 'login' | 403 | 404 | { to: string };
export type Expectation = Record<Who, Outcome>;
/** `form`: the body an action is posted with (default: empty). */
export type Entry = { path: (f: Fixture) => string; expect: Expectation; form?: (f: Fixture) => Record<string, string> };

const all = (o: Outcome): Expectation => Object.fromEntries(ROLES.map((r) => [r, o])) as Expectation;
const but = (base: Expectation, changes: Partial<Expectation>): Expectation => ({ ...base, ...changes });

/** Open to everyone, signed in or not. */
const publicPage = all('ok');
/** Any signed-in person; visitors are sent to log in. */
const signedIn = but(all('ok'), { anonymous: 'login' });
/** Only the person who owns the object (the demo resident); anyone else finds nothing there. */
const ownedBy = but(all(404), { anonymous: 'login', resident: 'ok' });
/** Only holders of these roles; other signed-in people get 403. */
const only = (...roles: Who[]): Expectation => ({
	...but(all(403), { anonymous: 'login' }),
	...Object.fromEntries(roles.map((r) => [r, 'ok']))
});

const fixed = (path: string) => () => path;
const page = (expect: Expectation, path: Entry['path']): Entry => ({ expect, path });
const act = (expect: Expectation, path: Entry['path'], form?: Entry['form']): Entry => ({ expect, path, form });
const endpoint = page;

// ---- Public pages -------------------------------------------------------------------------------
const PUBLIC: Record<string, Entry> = {
	'GET /': page(publicPage, fixed('/')),
	'GET /privacy': page(publicPage, fixed('/privacy')),
	'GET /fitness': page(publicPage, fixed('/fitness')),
	'GET /fitness/spaces/[id]': page(publicPage, (f) => `/fitness/spaces/${f.space}`),
	'GET /doctors': page(publicPage, fixed('/doctors')),
	'GET /doctors/[id]': page(publicPage, (f) => `/doctors/${f.doctorId}`),
	'GET /training': page(publicPage, fixed('/training')),
	'GET /occurrences/[id]': page(publicPage, (f) => `/occurrences/${f.staffSession}`),
	'/occurrences/[id] ?/reserve': act(signedIn, (f) => `/occurrences/${f.staffSession}?/reserve`),
	'GET /verify': page(publicPage, fixed('/verify')),
	'/verify ?/default': act(publicPage, fixed('/verify')),
	'GET /verify/[code]': page(publicPage, (f) => `/verify/${f.certificateCode}`),
	'GET /preferences': page(publicPage, fixed('/preferences')),
	'/preferences ?/language': act(publicPage, fixed('/preferences?/language')),
	'/preferences ?/textSize': act(publicPage, fixed('/preferences?/textSize')),
	'GET /healthz': endpoint(publicPage, fixed('/healthz')),
	// The secret in the address is the credential: whoever holds the link reads the feed.
	'GET /calendar/[file]': endpoint(publicPage, (f) => `/calendar/${f.calendarSecret}.ics`),
	'GET /account/deleted': page(publicPage, fixed('/account/deleted'))
};

// ---- Log-in, registration, password reset, log-out -----------------------------------------------
const signedInGoesHome = but(all({ to: '/' }), { anonymous: 'ok' });
const AUTH: Record<string, Entry> = {
	'GET /login': page(signedInGoesHome, fixed('/login')),
	'/login ?/default': act(publicPage, fixed('/login')),
	'GET /register': page(signedInGoesHome, fixed('/register')),
	'/register ?/default': act(publicPage, fixed('/register')),
	'GET /reset': page(publicPage, fixed('/reset')),
	'/reset ?/default': act(publicPage, fixed('/reset')),
	'GET /reset/[token]': page(publicPage, () => `/reset/${'A'.repeat(32)}`),
	'/reset/[token] ?/default': act(publicPage, () => `/reset/${'A'.repeat(32)}`),
	'GET /logout': page(publicPage, fixed('/logout')),
	'/logout ?/default': act(publicPage, fixed('/logout')),
	'GET /logout/everywhere': page(publicPage, fixed('/logout/everywhere')),
	'/logout/everywhere ?/default': act(publicPage, fixed('/logout/everywhere'))
};

// ---- The signed-in person's own pages (/me, /account, booking) -----------------------------------
const ME: Record<string, Entry> = {
	'GET /me': page(but(all({ to: '/me/reservations' }), { anonymous: 'login' }), fixed('/me')),
	'GET /account': page(signedIn, fixed('/account')),
	'/account ?/profile': act(signedIn, fixed('/account?/profile')),
	'GET /session': page(signedIn, fixed('/session')),
	'/session ?/extend': act(signedIn, fixed('/session?/extend')),
	'/account ?/password': act(signedIn, fixed('/account?/password')),
	'/account ?/createCalendar': act(signedIn, fixed('/account?/createCalendar')),
	'/account ?/revokeCalendar': act(signedIn, fixed('/account?/revokeCalendar')),
	'GET /me/reservations': page(signedIn, fixed('/me/reservations')),
	'/me/reservations ?/cancel': act(signedIn, fixed('/me/reservations?/cancel')),
	'GET /me/reservations/[id]': page(ownedBy, (f) => `/me/reservations/${f.fitnessReservation}`),
	'GET /me/offers/[id]': page(ownedBy, (f) => `/me/offers/${f.offerReservation}`),
	'/me/offers/[id] ?/accept': act(ownedBy, (f) => `/me/offers/${f.offerReservation}?/accept`),
	'/me/offers/[id] ?/decline': act(ownedBy, (f) => `/me/offers/${f.offerReservation}?/decline`),
	'GET /me/appointments': page(signedIn, fixed('/me/appointments')),
	'/me/appointments ?/cancel': act(signedIn, fixed('/me/appointments?/cancel')),
	'GET /me/appointments/[id]': page(ownedBy, (f) => `/me/appointments/${f.appointment}`),
	'GET /me/appointments/[id]/reschedule': page(ownedBy, (f) => `/me/appointments/${f.appointment}/reschedule`),
	'/me/appointments/[id]/reschedule ?/move': act(ownedBy, (f) => `/me/appointments/${f.appointment}/reschedule?/move`),
	'GET /me/training': page(signedIn, fixed('/me/training')),
	'/me/training ?/withdraw': act(signedIn, fixed('/me/training?/withdraw')),
	'GET /me/certificates': page(signedIn, fixed('/me/certificates')),
	'GET /me/certificates/[id]': page(ownedBy, (f) => `/me/certificates/${f.certificate}`),
	'GET /me/certificates/[id]/pdf': endpoint(ownedBy, (f) => `/me/certificates/${f.certificate}/pdf`),
	'GET /me/household': page(signedIn, fixed('/me/household')),
	'/me/household ?/add': act(signedIn, fixed('/me/household?/add')),
	'/me/household ?/link': act(signedIn, fixed('/me/household?/link')),
	'/me/household ?/answer': act(signedIn, fixed('/me/household?/answer')),
	'/me/household ?/end': act(signedIn, fixed('/me/household?/end')),
	'GET /me/household/[id]': page(ownedBy, (f) => `/me/household/${f.member}`),
	'GET /me/notifications': page(signedIn, fixed('/me/notifications')),
	'/me/notifications ?/read': act(signedIn, fixed('/me/notifications?/read')),
	'/me/notifications ?/readAll': act(signedIn, fixed('/me/notifications?/readAll')),
	'GET /me/data': page(signedIn, fixed('/me/data')),
	'/me/data ?/delete': act(signedIn, fixed('/me/data?/delete')),
	'GET /me/data/export.json': endpoint(signedIn, fixed('/me/data/export.json')),
	'GET /me/data/export.zip': endpoint(signedIn, fixed('/me/data/export.zip')),
	'GET /doctors/[id]/book': page(signedIn, (f) => `/doctors/${f.doctorId}/book?start=${encodeURIComponent(f.freeSlot)}`),
	'/doctors/[id]/book ?/book': act(signedIn, (f) => `/doctors/${f.doctorId}/book?/book`),
	'GET /fitness/checkin/[code]': page(signedIn, (f) => `/fitness/checkin/${f.spaceCode}`),
	'/fitness/checkin/[code] ?/default': act(signedIn, (f) => `/fitness/checkin/${f.spaceCode}`)
};

// ---- Doctors (the demo doctor's own agenda and appointments) -------------------------------------
const doctor = only('doctor');
const DOCTOR: Record<string, Entry> = {
	'GET /doctor': page(doctor, fixed('/doctor')),
	'/doctor ?/mark': act(doctor, fixed('/doctor?/mark')),
	'/doctor ?/cancelDay': act(doctor, fixed('/doctor?/cancelDay')),
	'GET /doctor/hours': page(doctor, fixed('/doctor/hours')),
	'/doctor/hours ?/addRule': act(doctor, fixed('/doctor/hours?/addRule')),
	// An empty id is "not found" here (as anyone else's would be): these post the doctor's own.
	'/doctor/hours ?/removeRule': act(doctor, fixed('/doctor/hours?/removeRule'), (f) => ({ id: String(f.doctorRule) })),
	'/doctor/hours ?/addException': act(doctor, fixed('/doctor/hours?/addException')),
	'/doctor/hours ?/removeException': act(doctor, fixed('/doctor/hours?/removeException'), (f) => ({ id: String(f.doctorException) })),
	'/doctor/hours ?/cancelOne': act(doctor, fixed('/doctor/hours?/cancelOne')),
	'GET /doctor/appointments/[id]/move': page(doctor, (f) => `/doctor/appointments/${f.appointment}/move`),
	'/doctor/appointments/[id]/move ?/move': act(doctor, (f) => `/doctor/appointments/${f.appointment}/move?/move`)
};

// ---- Trainers (the demo trainer's session in community A) ----------------------------------------
const trainer = only('trainer');
const session = (f: Fixture) => `/trainer/sessions/${f.trainingSession}`;
const TRAINER: Record<string, Entry> = {
	'GET /trainer': page(trainer, fixed('/trainer')),
	'GET /trainer/sessions/[id]': page(trainer, session),
	'/trainer/sessions/[id] ?/attendance': act(trainer, (f) => `${session(f)}?/attendance`),
	'GET /trainer/sessions/[id]/sheet': page(trainer, (f) => `${session(f)}/sheet`),
	'GET /trainer/sessions/[id]/certificates': page(trainer, (f) => `${session(f)}/certificates`),
	'/trainer/sessions/[id]/certificates ?/issue': act(trainer, (f) => `${session(f)}/certificates?/issue`),
	'/trainer/sessions/[id]/certificates ?/revoke': act(trainer, (f) => `${session(f)}/certificates?/revoke`),
	'/trainer/sessions/[id]/certificates ?/reissue': act(trainer, (f) => `${session(f)}/certificates?/reissue`),
	'GET /trainer/sessions/[id]/certificates/pdf': endpoint(trainer, (f) => `${session(f)}/certificates/pdf`),
	'GET /trainer/sessions/[id]/trainees/[reservationId]': page(trainer, (f) => `${session(f)}/trainees/${f.trainingReservation}`),
	'/trainer/sessions/[id]/trainees/[reservationId] ?/default': act(trainer, (f) => `${session(f)}/trainees/${f.trainingReservation}`)
};

// ---- Community staff (the demo staff member is limited to community A) ----------------------------
const staff = only('staff');
/** Courses are the district's: staff limited to one community may not edit them. */
const districtStaff = only();
const STAFF: Record<string, Entry> = {
	'GET /staff': page(staff, fixed('/staff')),
	'GET /staff/coverage': page(staff, fixed('/staff/coverage')),
	'/staff/coverage ?/target': act(staff, fixed('/staff/coverage?/target')),
	'/staff/coverage ?/notify': act(staff, fixed('/staff/coverage?/notify')),
	'GET /staff/export/[table]': endpoint(staff, fixed('/staff/export/dashboard')),
	'GET /staff/people': page(staff, fixed('/staff/people')),
	'GET /staff/people/new': page(staff, fixed('/staff/people/new')),
	'/staff/people/new ?/default': act(staff, fixed('/staff/people/new')),
	'GET /staff/people/[id]': page(staff, (f) => `/staff/people/${f.residentPerson}`),
	'/staff/people/[id] ?/book': act(staff, (f) => `/staff/people/${f.residentPerson}?/book`),
	'/staff/people/[id] ?/bookDoctor': act(staff, (f) => `/staff/people/${f.residentPerson}?/bookDoctor`),
	'/staff/people/[id] ?/update': act(staff, (f) => `/staff/people/${f.residentPerson}?/update`),
	'/staff/people/[id] ?/openAccount': act(staff, (f) => `/staff/people/${f.residentPerson}?/openAccount`),
	'/staff/people/[id] ?/passwordLink': act(staff, (f) => `/staff/people/${f.residentPerson}?/passwordLink`),
	'GET /staff/certificates': page(staff, fixed('/staff/certificates')),
	'GET /staff/certificates/[id]': page(staff, (f) => `/staff/certificates/${f.certificate}`),
	'/staff/certificates/[id] ?/revoke': act(staff, (f) => `/staff/certificates/${f.certificate}?/revoke`),
	'/staff/certificates/[id] ?/reissue': act(staff, (f) => `/staff/certificates/${f.certificate}?/reissue`),
	'GET /staff/doctors': page(staff, fixed('/staff/doctors')),
	'/staff/doctors ?/createStudio': act(staff, fixed('/staff/doctors?/createStudio')),
	'GET /staff/doctors/[id]': page(staff, (f) => `/staff/doctors/${f.studio}`),
	'/staff/doctors/[id] ?/update': act(staff, (f) => `/staff/doctors/${f.studio}?/update`),
	'/staff/doctors/[id] ?/link': act(staff, (f) => `/staff/doctors/${f.studio}?/link`),
	'/staff/doctors/[id] ?/unlink': act(staff, (f) => `/staff/doctors/${f.studio}?/unlink`),
	'GET /staff/fitness': page(staff, fixed('/staff/fitness')),
	'/staff/fitness ?/createSpace': act(staff, fixed('/staff/fitness?/createSpace')),
	'GET /staff/fitness/spaces/[id]': page(staff, (f) => `/staff/fitness/spaces/${f.space}`),
	'GET /staff/fitness/spaces/[id]/poster': page(staff, (f) => `/staff/fitness/spaces/${f.space}/poster`),
	'/staff/fitness/spaces/[id] ?/update': act(staff, (f) => `/staff/fitness/spaces/${f.space}?/update`),
	'/staff/fitness/spaces/[id] ?/hours': act(staff, (f) => `/staff/fitness/spaces/${f.space}?/hours`),
	'/staff/fitness/spaces/[id] ?/createSeries': act(staff, (f) => `/staff/fitness/spaces/${f.space}?/createSeries`),
	'/staff/fitness/spaces/[id] ?/cancelSeries': act(staff, (f) => `/staff/fitness/spaces/${f.space}?/cancelSeries`),
	'/staff/fitness/spaces/[id] ?/cancelSession': act(staff, (f) => `/staff/fitness/spaces/${f.space}?/cancelSession`),
	'/staff/fitness/spaces/[id] ?/close': act(staff, (f) => `/staff/fitness/spaces/${f.space}?/close`),
	'GET /staff/fitness/series/[id]': page(staff, (f) => `/staff/fitness/series/${f.series}`),
	'/staff/fitness/series/[id] ?/default': act(staff, (f) => `/staff/fitness/series/${f.series}`),
	'GET /staff/fitness/sessions/[id]': page(staff, (f) => `/staff/fitness/sessions/${f.staffSession}`),
	'/staff/fitness/sessions/[id] ?/edit': act(staff, (f) => `/staff/fitness/sessions/${f.staffSession}?/edit`),
	'/staff/fitness/sessions/[id] ?/cancel': act(staff, (f) => `/staff/fitness/sessions/${f.staffSession}?/cancel`),
	'GET /staff/occurrences/[id]': page(staff, (f) => `/staff/occurrences/${f.fitnessOccurrence}`),
	'/staff/occurrences/[id] ?/admit': act(staff, (f) => `/staff/occurrences/${f.fitnessOccurrence}?/admit`),
	'/staff/occurrences/[id] ?/checkIn': act(staff, (f) => `/staff/occurrences/${f.fitnessOccurrence}?/checkIn`),
	'/staff/occurrences/[id] ?/cancel': act(staff, (f) => `/staff/occurrences/${f.fitnessOccurrence}?/cancel`),
	'/staff/occurrences/[id] ?/undo': act(staff, (f) => `/staff/occurrences/${f.fitnessOccurrence}?/undo`),
	'GET /staff/training': page(staff, fixed('/staff/training')),
	'/staff/training ?/createSession': act(staff, fixed('/staff/training?/createSession')),
	'GET /staff/training/sessions/[id]': page(staff, (f) => `/staff/training/sessions/${f.trainingSession}`),
	'/staff/training/sessions/[id] ?/import': act(staff, (f) => `/staff/training/sessions/${f.trainingSession}?/import`),
	'/staff/training/sessions/[id] ?/change': act(staff, (f) => `/staff/training/sessions/${f.trainingSession}?/change`),
	'/staff/training/sessions/[id] ?/cancel': act(staff, (f) => `/staff/training/sessions/${f.trainingSession}?/cancel`),
	'GET /staff/training/courses/new': page(districtStaff, fixed('/staff/training/courses/new')),
	'/staff/training/courses/new ?/default': act(districtStaff, fixed('/staff/training/courses/new')),
	'GET /staff/training/courses/[id]': page(districtStaff, (f) => `/staff/training/courses/${f.courseId}`),
	'/staff/training/courses/[id] ?/default': act(districtStaff, (f) => `/staff/training/courses/${f.courseId}`)
};

// ---- Administrators ------------------------------------------------------------------------------
const admin = only('admin');
const ADMIN: Record<string, Entry> = {
	'GET /admin': page(admin, fixed('/admin')),
	'GET /admin/accounts': page(admin, fixed('/admin/accounts')),
	// Another resident's account, so that a successful empty post cannot lock the prober out.
	'GET /admin/accounts/[id]': page(admin, (f) => `/admin/accounts/${f.targetAccount}`),
	'/admin/accounts/[id] ?/disable': act(admin, (f) => `/admin/accounts/${f.targetAccount}?/disable`),
	'/admin/accounts/[id] ?/enable': act(admin, (f) => `/admin/accounts/${f.targetAccount}?/enable`),
	'/admin/accounts/[id] ?/grant': act(admin, (f) => `/admin/accounts/${f.targetAccount}?/grant`),
	'/admin/accounts/[id] ?/revoke': act(admin, (f) => `/admin/accounts/${f.targetAccount}?/revoke`),
	'/admin/accounts/[id] ?/passwordLink': act(
		admin,
		(f) => `/admin/accounts/${f.targetAccount}?/passwordLink`,
		() => ({ reason: 'At the desk with ID' })
	),
	'GET /admin/audit': page(admin, fixed('/admin/audit')),
	'GET /admin/communities': page(admin, fixed('/admin/communities')),
	'/admin/communities ?/create': act(admin, fixed('/admin/communities?/create')),
	'GET /admin/communities/[id]': page(admin, (f) => `/admin/communities/${f.communityA}`),
	'/admin/communities/[id] ?/rename': act(admin, (f) => `/admin/communities/${f.communityA}?/rename`),
	'/admin/communities/[id] ?/population': act(admin, (f) => `/admin/communities/${f.communityA}?/population`),
	'GET /admin/merge': page(admin, fixed('/admin/merge')),
	'/admin/merge ?/merge': act(admin, fixed('/admin/merge?/merge')),
	'GET /admin/outbox': page(admin, fixed('/admin/outbox')),
	'/admin/outbox ?/retry': act(admin, fixed('/admin/outbox?/retry'))
};

export const MATRIX: Record<string, Entry> = { ...PUBLIC, ...AUTH, ...ME, ...DOCTOR, ...TRAINER, ...STAFF, ...ADMIN };

/** Actions that end the prober's sessions: posted last, after everything else. */
export const ENDS_SESSIONS = new Set(['/logout ?/default', '/logout/everywhere ?/default']);
