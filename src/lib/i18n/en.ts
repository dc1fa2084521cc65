// The English catalogue: the same keys as zh.ts. No Chinese text: English pages stay English.
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
import type { MessageKey } from './zh';

export const en: Record<MessageKey, string> = {
	...shell.en,
	...notify.en,
	...account.en,
	...people.en,
	...booking.en,
	...fitness.en,
	...doctors.en,
	...training.en,
	...certificates.en,
	...admin.en,
	...participation.en,
	...households.en,
	...audit.en,
	...session.en
};
