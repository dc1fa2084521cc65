// The Chinese base catalogue, merged from the areas' message files; en.ts has the same keys.
import { account } from './messages/account';
import { booking } from './messages/booking';
import { fitness } from './messages/fitness';
import { doctors } from './messages/doctors';
import { training } from './messages/training';
import { certificates } from './messages/certificates';
import { admin } from './messages/admin';
import { notify } from './messages/notify';
import { people } from './messages/people';
import { shell } from './messages/shell';
import { participation } from './messages/participation';
import { households } from './messages/households';
import { audit } from './messages/audit';
import { session } from './messages/session';

export const zh = {
	...shell.zh,
	...notify.zh,
	...account.zh,
	...people.zh,
	...booking.zh,
	...fitness.zh,
	...doctors.zh,
	...training.zh,
	...certificates.zh,
	...admin.zh,
	...participation.zh,
	...households.zh,
	...audit.zh,
	...session.zh
};

export type MessageKey = keyof typeof zh;
