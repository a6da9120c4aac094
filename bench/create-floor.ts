import { join } from 'node:path';
import pg from 'pg';
import { startMnsEmulator } from '../emulator/mns/mns-emulator.js';
import { newId } from '../shared/ids.js';
import { createMnsJobQueue } from '../shared/queue/mns-job-queue.js';

/**
 * The floor under a create's POST: what no implementation of it can skip, without HTTP and
 * without our code. One durable commit of a provision-sized row (an `insert` in autocommit, on
 * the same PostgreSQL), then the job sent through the same MNS adapter to an MNS emulator of
 * its own (same code, same journal on disk, no worker reading it), one after the other. The
 * POST adds to it the transport (about a warm GET) and what our code does.
 */
const KEY = { accessKeyId: 'LTAI5tCreateFloor', accessKeySecret: 'create-floor-secret' };

const measureCreateFloor = async (input: {
  databaseUrl: string;
  dataDir: string;
  requests: number;
  warmUp: number;
}): Promise<number[]> => {
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  const mns = await startMnsEmulator({
    ...KEY,
    queues: ['create-floor'],
    stateFile: join(input.dataDir, 'create-floor-mns.json'),
  });
  try {
    await client.query(
      'create table create_floor (id text primary key, spec jsonb not null, created_at timestamptz not null)',
    );
    const queue = createMnsJobQueue({
      endpoint: mns.url,
      accountId: '1',
      queueName: 'create-floor',
      credentials: KEY,
    });
    const spec = JSON.stringify({
      name: 'floor',
      region: 'cn-hangzhou',
      clusterSpec: 'ack.pro.small',
      network: 'auto',
      labels: { team: 'bench', purpose: 'floor' },
      janitor: { ttlSeconds: 86_400, idleSeconds: null },
      addons: [],
    });
    const times: number[] = [];
    for (let index = 0; index < input.warmUp + input.requests; index += 1) {
      const started = performance.now();
      const id = newId('prv');
      await client.query('insert into create_floor values ($1, $2, now())', [id, spec]);
      await queue.send({ v: 1, kind: 'create', provisionId: id });
      if (index >= input.warmUp) times.push(performance.now() - started);
    }
    return times;
  } finally {
    await client.query('drop table if exists create_floor');
    await client.end();
    await mns.close();
  }
};

export { measureCreateFloor };
