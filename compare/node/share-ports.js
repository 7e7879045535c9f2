// The tutorial's "Share ports" section: a master forks N workers that all serve port 8000
// through Node's cluster module (round-robin hand-off by default on Linux).
// Run: WORKERS=4 PORT=8000 node share-ports.js
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');

const port = Number(process.env.PORT || 8000);
const workers = Number(process.env.WORKERS || require('node:os').availableParallelism());

if (cluster.isPrimary) {
  console.log(`Master server created!! PID: ${process.pid} running in PORT: ${port}`);
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    console.log(`Worker ${worker.process.pid} died (${signal || code})`);
    if (!stopping) cluster.fork();
  });
  let stopping = false;
  const stop = () => { stopping = true; cluster.disconnect(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  http.createServer((req, res) => {
    res.setHeader('X-Worker-Pid', String(process.pid));
    res.end(`Hello from worker PID:${process.pid}\n`);
  }).listen(port, () => console.log(`Worker created, PID: ${process.pid} PORT: ${port}`));
}
