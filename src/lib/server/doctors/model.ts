/** The words of the doctor module: services, and the reasons a step is refused. */
import type { Refusal } from '../booking/model';

export const SERVICES = ['consultation', 'chronic_follow_up', 'health_check', 'three_controls'] as const;
export type Service = (typeof SERVICES)[number];

export function isService(value: unknown): value is Service {
	return typeof value === 'string' && (SERVICES as readonly string[]).includes(value);
}

/**
 * The core's refusals plus the doctor module's own: `taken` (someone else just booked the slot),
 * `no-slot` (the doctor does not work then: leave, holiday, outside the hours), `service` (this
 * doctor does not offer it). Core reasons have messages `booking.refused.<reason>` (among them
 * `past-cutoff`, which the core decides for every path), these `doctors.refused.<reason>`.
 */
export type DoctorRefusal = Refusal | 'taken' | 'no-slot' | 'service';

export const OWN_REFUSALS = ['taken', 'no-slot', 'service'] as const;

export function refusalKey(reason: DoctorRefusal): `booking.refused.${Refusal}` | `doctors.refused.${(typeof OWN_REFUSALS)[number]}` {
	return (OWN_REFUSALS as readonly string[]).includes(reason)
		? `doctors.refused.${reason as (typeof OWN_REFUSALS)[number]}`
		: `booking.refused.${reason as Refusal}`;
}
