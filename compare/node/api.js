// The tutorial's "Process manager" section: a plain HTTP server with no cluster code at all;
// PM2 in cluster mode runs several of it on one port (process.json).
'use strict';
const http = require('node:http');
const port = Number(process.env.PORT || 8000);
http.createServer((req, res) => {
  res.setHeader('X-Worker-Pid', String(process.pid));
  res.end(`Hello from PID: ${process.pid}\n`);
}).listen(port, () => console.log(`api listening, PID: ${process.pid} PORT: ${port}`));
