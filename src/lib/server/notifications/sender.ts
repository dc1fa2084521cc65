/**
 * Delivery of SMS and e-mail is pluggable. The default sender only logs that a message went out
 * (never the address or the text: both are personal data); a real SMS gateway or mail server
 * implements the same interface.
 */
import { log } from '../log';

export type OutgoingMessage = { outboxId: number; channel: 'sms' | 'email'; address: string; kind: string; subject: string; text: string };

export interface Sender {
	send(message: OutgoingMessage): Promise<void>;
}

export const loggingSender: Sender = {
	async send(message) {
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
