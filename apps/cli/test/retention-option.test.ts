import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveServeConfig } from '../src/config.js';
import { retentionPolicy } from '../src/retention-option.js';

const DAY_MS = 86_400_000;

describe('retention options', () => {
  it('keeps everything forever by default (no policy for the server to apply)', () => {
    assert.equal(retentionPolicy(resolveServeConfig({}, {})), null);
    assert.equal(retentionPolicy(resolveServeConfig({ retention: 'audit=forever' }, {})), null);
  });

  it('turns days and per-project overrides from flags or variables into a policy', () => {
    assert.deepEqual(retentionPolicy(resolveServeConfig({}, { CAIRN_RETENTION_DAYS: '30' })), { defaultMaxAgeMs: 30 * DAY_MS, projects: [] });
    const config = resolveServeConfig({ 'retention-days': '14', retention: ' team-a=7, audit = forever' }, { CAIRN_RETENTION_DAYS: '30' });
    assert.deepEqual(retentionPolicy(config), {
      defaultMaxAgeMs: 14 * DAY_MS,
      projects: [
        { projectId: 'team-a', maxAgeMs: 7 * DAY_MS },
        { projectId: 'audit', maxAgeMs: null },
      ],
    });
    assert.deepEqual(retentionPolicy(resolveServeConfig({}, { CAIRN_RETENTION: 'scratch=1' })), { defaultMaxAgeMs: null, projects: [{ projectId: 'scratch', maxAgeMs: DAY_MS }] });
  });

  it('names the bad value', () => {
    assert.throws(() => resolveServeConfig({ 'retention-days': '0' }, {}), /--retention-days "0": must be at least 1/);
    assert.throws(() => resolveServeConfig({ 'retention-days': '1.5' }, {}), /--retention-days "1.5": must be a whole number of days/);
    assert.throws(() => resolveServeConfig({}, { CAIRN_RETENTION: 'team-a:7' }), /CAIRN_RETENTION "team-a:7": "team-a:7" must be PROJECT=DAYS/);
    assert.throws(() => resolveServeConfig({ retention: 'a=1,a=2' }, {}), /project "a" is given twice/);
  });
});
