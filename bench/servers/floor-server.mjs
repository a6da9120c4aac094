import http from 'node:http';
import pg from 'pg';

/**
 * The floor for a warm read: a bare node:http server with a `pg` pool answering
 * `GET /v1/clusters/{id}` with the same row in one query and nothing else (no auth, no limits,
 * no validation). Prints `{url}` as one JSON line when it listens.
 */
const pool = new pg.Pool({ connectionString: process.env.BENCH_STACK_DATABASE_URL, max: 10 });
const server = http.createServer(async (req, res) => {
  const id = (req.url ?? '').split('/').pop() ?? '';
  try {
    const { rows } = await pool.query('select * from provisions where id = $1', [id]);
    if (rows.length === 0) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows[0]));
  } catch {
    res.writeHead(500).end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
