// A child of fork-server.js: answers each forwarded request over the IPC channel.
'use strict';
console.log(`Child process created, PID: ${process.pid}`);
process.on('message', ({ id }) => {
  process.send({
    id,
    status: 200,
    headers: { 'Content-Type': 'text/plain', 'X-Worker-Pid': String(process.pid) },
    body: `Hello from child PID: ${process.pid}\n`,
  });
});
process.on('disconnect', () => process.exit(0));
