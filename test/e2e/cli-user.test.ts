import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../cli/exit-codes.js';
import type { LocalStack } from '../../local/stack.js';
import { type CliStack, startCliStack } from '../support/cli-stack.js';
import { runAskp } from '../support/run-askp.js';

/**
 * The user commands of the real `askp` binary (a child process, not a TTY: plain output) against
 * the local stack: create --wait through the stages to running, get/list in every format, the
 * timeline, kubeconfig, delete --wait, a failed creation's exit code and reason, and the
 * profile file.
 */
describe('askp user commands against the local stack', () => {
  let cli: CliStack | undefined;
  let home: string;
  let stack: LocalStack;
  let env: Record<string, string>;
  let id = '';

  beforeAll(async () => {
    cli = await startCliStack({ createSeconds: 4 });
    ({ stack, home, env } = cli);
  }, 120_000);

  afterAll(async () => {
    await cli?.stop();
  });

  it('creates with --wait, printing each stage, and exits 0 once running', async () => {
    const result = await runAskp(
      ['create', '--name', 'cli-demo', '--region', 'cn-hangzhou', '--wait', '-o', 'json'],
      env,
    );
    expect(result.stderr).toMatch(/^accepted prv_/m);
    expect(result.stderr).toMatch(/stage \d\/3 (CreateNetwork|CreateControlPlane|InstallAddons)/);
    expect(result.stderr).toMatch(/cli-demo running/);
    expect(result.stderr).not.toContain('\r');
    expect(result.code).toBe(EXIT_CODES.ok);
    const cluster = JSON.parse(result.stdout) as { id: string; state: string };
    expect(cluster.state).toBe('running');
    id = cluster.id;
  }, 120_000);

  it('gets and lists as a table, JSON or YAML', async () => {
    const table = await runAskp(['list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+REGION\s+STATE/m);
    expect(table.stdout).toContain(`${id}  cli-demo`);
    const yaml = await runAskp(['get', id, '-o', 'yaml'], env);
    expect(yaml.stdout).toContain(`id: ${id}`);
    expect(yaml.stdout).toContain('state: running');
    const missing = await runAskp(['get', 'prv_00000000000000000000000000'], env);
    expect(missing.code).toBe(EXIT_CODES.apiError);
    expect(missing.stderr).toContain('404');
  });

  it('prints the timeline with the stages and a kubeconfig on stdout', async () => {
    const events = await runAskp(['events', id, '--follow'], env);
    expect(events.code).toBe(0);
    expect(events.stdout).toContain('stage InstallAddons succeeded');
    const kubeconfig = await runAskp(['kubeconfig', id], env);
    expect(kubeconfig.code).toBe(0);
    expect(kubeconfig.stdout).toContain('apiVersion: v1');
    expect(kubeconfig.stderr).toMatch(/^expires /);
  });

  it('deletes with --wait and exits 0 once deleted', async () => {
    const result = await runAskp(['delete', id, '--wait'], env);
    expect(result.stderr).toContain('cli-demo deleted');
    expect(result.code).toBe(0);
  }, 120_000);

  it("exits 8 with the API's reason for a refused create, and 2 for a bad command line", async () => {
    await writeFile(
      join(home, 'bad.yaml'),
      'name: cli-demo\nregion: cn-hangzhou\nserviceCidr: 8.8.8.0/24\n',
    );
    const refused = await runAskp(['create', '-f', join(home, 'bad.yaml'), '--wait'], env);
    expect(refused.code).toBe(EXIT_CODES.apiError);
    expect(refused.stderr).toContain('serviceCidr');
    const usage = await runAskp(['create', '--region', 'cn-hangzhou'], env);
    expect(usage.code).toBe(EXIT_CODES.usage);
  });

  it('saves a profile and then needs neither flags nor environment', async () => {
    const saved = await runAskp(
      ['config', '--save', '--url', stack.apiUrl, '--api-key', stack.apiKey],
      { HOME: home },
    );
    expect(saved.code).toBe(0);
    expect(saved.stdout).not.toContain(stack.apiKey);
    const shown = await runAskp(['config'], { HOME: home });
    expect(shown.stdout).toMatch(/key\s+askp_[0-9a-z]+_… \(from .*config\.json\)/);
    expect(shown.stdout).not.toContain(stack.apiKey);
    const listed = await runAskp(['list', '-o', 'json'], { HOME: home });
    expect(listed.code).toBe(0);
    const none = await runAskp(['list'], { HOME: join(home, 'elsewhere') });
    expect(none.code).toBe(EXIT_CODES.config);
  });
});
