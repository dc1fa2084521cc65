/**
 * Where a person's own reservation is shown. A doctor's appointment has its own page (details,
 * reschedule, printable slip, the doctor's cut-off); every other programme uses the core's page.
 */
export function reservationPage(programme: string, id: number): string {
	return programme === 'doctor' ? `/me/appointments/${id}` : `/me/reservations/${id}`;
}
