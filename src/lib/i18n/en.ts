// The English catalogue: the same keys as zh.ts. No Chinese text: English pages stay English.
import { shell } from './messages/shell';
import type { MessageKey } from './zh';

export const en: Record<MessageKey, string> = {
	...shell.en
};
