/** The signed-in doctor's own record: every doctor page and action starts here. */
import type { RequestEvent } from '@sveltejs/kit';
import { requireRole } from '../auth/guard';
import { db } from '../db';
import { doctorOfAccount } from './directory';

export async function requireDoctor(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = requireRole(event, 'doctor');
	return { user, doctor: await doctorOfAccount(db(), user.accountId) };
}
