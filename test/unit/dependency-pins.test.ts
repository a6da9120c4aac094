import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `@alicloud/mns` 1.2.0 declares `xml2js ^0.4.19`, whose 0.4.23 lets a crafted XML document pollute
 * `Object.prototype` (CVE-2023-0842, fixed in 0.5.0). package.json `overrides` forces the fixed
 * version under the SDK; the MNS integration tests (test/integration/mns-*.test.ts) prove the SDK
 * still parses MNS's XML with it. This test fails if a lockfile change brings the old one back.
 */
const versionAt = (packageJson: string): string => {
  const parsed: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed) {
    return String(parsed.version);
  }
  throw new Error(`no version in ${packageJson}`);
};

/** `require` as the MNS SDK sees it: what it gets for `require('xml2js')`. */
const requireFromMns = createRequire(createRequire(import.meta.url).resolve('@alicloud/mns'));

describe('pinned transitive dependencies', () => {
  it('gives @alicloud/mns an xml2js of 0.5.0 or later (CVE-2023-0842)', () => {
    const xml2jsMain = requireFromMns.resolve('xml2js');
    const [major = 0, minor = 0] = versionAt(join(dirname(xml2jsMain), '..', 'package.json'))
      .split('.')
      .map(Number);
    expect(major > 0 || minor >= 5).toBe(true);
  });

  it('does not let xml2js pollute Object.prototype through __proto__ elements', async () => {
    const xml2js = requireFromMns('xml2js') as {
      parseStringPromise: (xml: string) => Promise<unknown>;
    };
    await xml2js.parseStringPromise('<__proto__><polluted>yes</polluted></__proto__>');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
