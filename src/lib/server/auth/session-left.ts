import { now } from '../clock';
import type { Session } from './session';

/**
 * What the page needs to warn before a session ends: the time left (not a date, so that a browser
 * whose clock is off still counts down right) and whether "stay logged in" can push it back (not
 * when the absolute expiry comes first).
 */
export type SessionLeft = { msLeft: number; extendable: boolean };

export function sessionLeft(session: Session): SessionLeft {
	return {
		msLeft: Math.max(0, session.endsAt.getTime() - now().getTime()),
		extendable: session.endsAt.getTime() < session.expiresAt.getTime()
	};
}
