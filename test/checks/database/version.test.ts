import { compareVersions, parseVersion } from '../../../lambdas/checks/database/version';

describe('compareVersions', () => {
  it.each([
    ['2.17.2', '2.9.0', 1],
    ['0.10.0', '0.5.1', 1],
    ['3.4.3', '3.4.3', 0],
    ['1.6', '1.6.0', 0],
    ['1.6.1', '1.6', 1],
    ['3.4.3dev', '3.4.3', -1],
    ['1.6.0-rc0', '1.6.0', -1],
    ['1.6.0-rc2', '1.6.0-rc10', -1],
    ['3.4.3dev', '3.4.2', 1],
  ] as const)('compares %s with %s as %d', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
    expect(compareVersions(b, a)).toBe(want === 0 ? 0 : -want);
  });
  it('gives undefined for text that is not a version', () => {
    expect(compareVersions('unpackaged', '1.0')).toBeUndefined();
  });
  it('splits numbers and suffix', () => {
    expect(parseVersion('1.6.0-rc0')).toEqual({ parts: [1, 6, 0], suffix: 'rc0' });
  });
});
