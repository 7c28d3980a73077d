// The steady request stream of the reload benchmarks, in a worker thread of its own so that
// neither the server's nor the benchmark's garbage collection shows up as request latency.
// workerData: { url, host?, interval, echo? }. With `echo`, it first starts an echo server on
// 127.0.0.1 (a backend for every Service) and posts { echoPort }. It starts sending on 'start'
// (at once when there is no `echo`), and on 'stop' posts { samples: [scheduled, ms, status],
// origin } one second later. A timer can fire a fraction of a millisecond early: ms >= 0.
import { Agent, createServer, get } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const samples = [];
let stop = false;
let url = workerData.url;

function run() {
  const start = performance.now();
  let n = 0;
  const tick = () => {
    if (stop) return;
    const scheduled = start + n * workerData.interval;
    n++;
    get(url, { agent, headers: workerData.host ? { host: workerData.host } : {} }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        samples.push([
          scheduled,
          Math.max(0, performance.now() - scheduled),
          `${res.statusCode} ${body}`,
        ]),
      );
    }).on('error', (e) => samples.push([scheduled, -1, e.code]));
    setTimeout(tick, Math.max(0, start + n * workerData.interval - performance.now()));
  };
  tick();
}

parentPort.on('message', (m) => {
  if (m.type === 'start') {
    url = m.url ?? url;
    run();
  } else if (m.type === 'stop') {
    stop = true;
    setTimeout(() => {
      agent.destroy();
      parentPort.postMessage({ samples, origin: performance.timeOrigin });
    }, 1000);
  }
});

if (workerData.echo) {
  const echo = createServer((req, res) => res.end('ok'));
  echo.listen(0, '127.0.0.1', () => parentPort.postMessage({ echoPort: echo.address().port }));
  echo.unref();
} else run();
