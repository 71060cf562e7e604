import { ALL_CHECKS } from '../../lambdas/checks';
import { FUNCTION_GROUPS, GROUP_NAMES } from '../../lambdas/handlers/groups';

describe('FUNCTION_GROUPS', () => {
  it('puts every check in exactly one function, so no check can alert twice', () => {
    for (const check of ALL_CHECKS) {
      const owners = GROUP_NAMES.filter((g) => (FUNCTION_GROUPS[g] as readonly string[]).includes(check.belt));
      expect([check.id, owners.length]).toEqual([check.id, 1]);
    }
  });

  it('covers all four belts', () => {
    expect(GROUP_NAMES.flatMap((g) => FUNCTION_GROUPS[g]).sort()).toEqual(['backups', 'bucket', 'database', 'instance']);
  });
});
