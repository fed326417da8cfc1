// The start-up anchor (issue 18): the least a Node exporter built from our own packages does, an
// express server with prom-client's default metrics, /-/healthy and /metrics. Port in argv[2].
import express from 'express';
import { Registry, collectDefaultMetrics } from 'prom-client';

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const app = express();
app.get('/-/healthy', (_req, res) => {
  res.send('Healthy');
});
app.get('/metrics', async (_req, res) => {
  res.type(registry.contentType).send(await registry.metrics());
});
app.listen(Number(process.argv[2]), '127.0.0.1');
