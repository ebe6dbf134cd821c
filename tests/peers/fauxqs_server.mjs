// Starts fauxqs (the SQS emulator) on a loopback address only.
// fauxqs's own CLI (`npx fauxqs`) always binds 0.0.0.0 and takes its port from FAUXQS_PORT;
// this launcher uses the package's documented buildApp() instead, so the tests can bind
// 127.0.0.1 and let the kernel pick a free port (--port 0, the default) with no race.
// Prints one line "fauxqs listening on http://HOST:PORT" once it accepts connections.
// Usage: node fauxqs_server.mjs [--host 127.0.0.1] [--port 0] [--quiet]
import { parseArgs } from "node:util";
import { buildApp } from "fauxqs";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    quiet: { type: "boolean", default: false },
  },
});

const app = buildApp({ logger: !values.quiet });
const address = await app.listen({ host: values.host, port: Number(values.port) });
console.log(`fauxqs listening on ${address}`);

let closing = false;
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
