export const ROLES = ['resident', 'trainer', 'doctor', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role held everywhere (communityId null) or in one community only. */
export type RoleGrant = { role: Role; communityId: number | null };

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether the grants allow `role`, in `communityId` if one is named (a community-wide grant counts). */
export function holds(grants: readonly RoleGrant[], role: Role, communityId?: number | null): boolean {
	return grants.some((g) => g.role === role && (g.communityId === null || communityId == null || g.communityId === communityId));
}

/** The communities a role is limited to, or 'all' when one grant holds everywhere. */
export function scopeOf(grants: readonly RoleGrant[], role: Role): 'all' | number[] {
	const mine = grants.filter((g) => g.role === role);
	if (mine.some((g) => g.communityId === null)) return 'all';
	return mine.map((g) => g.communityId!);
}
