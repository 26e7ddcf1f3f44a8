// Preloaded into the CLI (NODE_OPTIONS=--require): the stock adds chosen by
// UNREACHABLE_AT (a list of 1-based numbers, or "N+" for N and every one
// after it) reach the service and are processed, then their connection fails
// with UNREACHABLE_CODE (default EHOSTUNREACH) as the answer arrives: what
// Linux reports on an open connection once an ICMP "unreachable" came back
// after the request went out. No proxy can make this: it is the client's
// own kernel that says it.
const net = require('node:net');

const spec = process.env.UNREACHABLE_AT ?? '';
const code = process.env.UNREACHABLE_CODE || 'EHOSTUNREACH';
const from = spec.endsWith('+') ? Number(spec.slice(0, -1)) : undefined;
const chosen = new Set(spec.split(',').map(Number));
let adds = 0;

const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  const head = Buffer.isBuffer(chunk) ? chunk.toString('latin1', 0, 200) : String(chunk);
  if (/^POST \S+\/stock /.test(head) && !this.unreachable) {
    adds++;
    if (from !== undefined ? adds >= from : chosen.has(adds)) {
      this.unreachable = true;
      const socket = this;
      const push = socket.push;
      socket.push = function (data, ...more) {
        if (data === null) return push.call(this, data, ...more);
        socket.push = push;
        const error = Object.assign(new Error(`read ${code}`), { code, syscall: 'read' });
        socket.destroy(error);
        return false;
      };
    }
  }
  return write.call(this, chunk, ...rest);
};
