/**
 * Where the portal's modules plug into the shared services: background jobs and periodic tasks,
 * calendar items and the home page. Called once per process at start (and by tests that run the
 * worker). Each feature module adds its registrations here.
 */
import { registerBookingWork } from './booking/sweeps';
import { reservationCalendarItems } from './booking/queries';
import { registerCalendarSource } from './calendar/feed';
import { registerCertificateWork } from './certificates/reminders';
import { householdCalendarItems } from './households/households';
import { registerMaintenance } from './maintenance';
import { registerPeriodic } from './jobs/worker';
import { registerParticipationWork } from './participation/dashboard';

let registered = false;

export function registerModules(): void {
	if (registered) return;
	registered = true;
	registerMaintenance();
	registerBookingWork();
	registerCertificateWork();
	registerParticipationWork(registerPeriodic);
	registerCalendarSource('reservations', reservationCalendarItems);
	registerCalendarSource('household', householdCalendarItems);
}
