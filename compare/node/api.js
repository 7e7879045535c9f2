// The tutorial's "Process manager" section: a plain HTTP server with no cluster code at all;
// PM2 in cluster mode runs several of it on one port (process.json).
'use strict';
const http = require('node:http');
const port = Number(process.env.PORT || 8000);
http.createServer((req, res) => {
  res.setHeader('X-Worker-Pid', String(process.pid));
  // GET /slow?ms=N: long requests, so a reload soak has some in flight (03-process-manager/soak/run).
  const slow = /^\/slow\?ms=(\d+)$/.exec(req.url);
  if (slow) {
    setTimeout(() => res.end(`Slept ${slow[1]} ms in PID: ${process.pid}\n`), Number(slow[1]));
    return;
  }
  res.end(`Hello from PID: ${process.pid}\n`);
}).listen(port, () => console.log(`api listening, PID: ${process.pid} PORT: ${port}`));
