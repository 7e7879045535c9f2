// The tutorial's "Fork server" section, made to work: the master owns the HTTP server and
// forwards each request to a child chosen at random over the IPC channel that
// child_process.fork() opens. The tutorial sent the response object itself, which cannot
// cross a process boundary; here the master keeps the response, sends the child an id and
// the request's method and URL, and answers when the child's reply with that id comes back.
// Run: WORKERS=4 PORT=8000 node fork-server.js
'use strict';
const { fork } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const port = Number(process.env.PORT || 8000);
const workers = Number(process.env.WORKERS || require('node:os').availableParallelism());
const pending = new Map();
let nextId = 1;

const children = [];
for (let i = 0; i < workers; i++) {
  const child = fork(path.join(__dirname, 'child.js'));
  child.on('message', ({ id, status, headers, body }) => {
    const res = pending.get(id);
    if (!res) return;
    pending.delete(id);
    res.writeHead(status, headers);
    res.end(body);
  });
  children.push(child);
}

http.createServer((req, res) => {
  const id = nextId++;
  pending.set(id, res);
  const child = children[Math.floor(Math.random() * children.length)];
  child.send({ id, method: req.method, url: req.url });
}).listen(port, () => console.log(`Master server created!! PID: ${process.pid} running in PORT: ${port}`));

const stop = () => { for (const c of children) c.kill(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
