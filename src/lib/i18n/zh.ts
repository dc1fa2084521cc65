// The Chinese base catalogue, merged from the areas' message files; en.ts has the same keys.
import { shell } from './messages/shell';

export const zh = {
	...shell.zh
};

export type MessageKey = keyof typeof zh;
