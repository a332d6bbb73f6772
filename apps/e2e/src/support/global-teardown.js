'use strict';
module.exports = async function globalTeardown() {
  const e2e = globalThis.__E2E__;
  if (!e2e) return;
  await e2e.stack.stop();
  await new Promise((r) => e2e.receiver.close(() => r()));
};
