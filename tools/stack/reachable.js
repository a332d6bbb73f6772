'use strict';
const { connect } = require('node:net');

/** True when something accepts TCP connections at host:port within a second (e.g. PostgreSQL on 5432). */
function reachable(host, port) {
  return new Promise((r) => {
    const s = connect({ host, port, timeout: 1000 }, () => {
      s.end();
      r(true);
    });
    s.on('error', () => r(false));
    s.on('timeout', () => {
      s.destroy();
      r(false);
    });
  });
}

module.exports = { reachable };
