/** The form for a person's details, shared by registration, /account and staff's walk-in screens. */
import { fields } from '../forms';

export const personFields = {
	familyName: fields.text({ max: 40 }),
	givenName: fields.text({ max: 40 }),
	displayName: fields.optionalText({ max: 40 }),
	phone: fields.optionalPhone(),
	email: fields.optionalEmail(),
	birthYear: fields.optionalBirthYear(),
	communityId: fields.id('error.community')
};
