/**
 * Delivery of SMS and e-mail is pluggable. The default sender only logs that a message went out
 * (never the address or the text: both are personal data); a real SMS gateway or mail server
 * implements the same interface.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { config } from '../config';
import { log } from '../log';

export type OutgoingMessage = { outboxId: number; channel: 'sms' | 'email'; address: string; kind: string; subject: string; text: string };

export interface Sender {
	send(message: OutgoingMessage): Promise<void>;
}

export const loggingSender: Sender = {
	async send(message) {
		const dir = config().messageDir;
		// MESSAGE_DIR (development and tests): what the person would receive, readable as a file.
		if (dir) {
			await fs.mkdir(dir, { recursive: true });
			await fs.writeFile(path.join(dir, `${Date.now()}-${message.outboxId}.json`), JSON.stringify(message), { mode: 0o600 });
		}
		log.info('message_sent', { sender: 'log', outboxId: message.outboxId, channel: message.channel, kind: message.kind });
	}
};

let current: Sender = loggingSender;

export function sender(): Sender {
	return current;
}

/** For tests and deployments that bring their own gateway. */
export function setSender(next: Sender): void {
	current = next;
}
