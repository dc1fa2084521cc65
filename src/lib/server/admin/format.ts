import { shanghaiDate, shanghaiTime } from '../clock';

/** How admin pages show an instant: the Shanghai wall clock, 'YYYY-MM-DD HH:mm'. */
export function shanghaiDateTime(at: Date): string {
	return `${shanghaiDate(at)} ${shanghaiTime(at)}`;
}
