// One bot process of the scale-out test, from the compiled output (lib/): its settings come from the environment, its
// clock runs in real time shifted by WEERBAAR_TEST_CLOCK_OFFSET_MS (the same shift in every process, so their leases
// compare), and the periodic work runs when the test asks over IPC, in each process at once (as their timers would,
// without waiting minutes for them).
'use strict';
const path = require('node:path');

const lib = path.resolve(__dirname, '../../lib/src');
const { loadConfig } = require(path.join(lib, 'config.js'));
const { createLogger } = require(path.join(lib, 'logger.js'));
const { startBot } = require(path.join(lib, 'main.js'));
const { runRetention } = require(path.join(lib, 'services/retention.js'));

const offsetMs = Number(process.env.WEERBAAR_TEST_CLOCK_OFFSET_MS || 0);
const now = () => new Date(Date.now() + offsetMs);

async function main() {
  const config = loadConfig(process.env);
  const bot = await startBot(config, createLogger(config.logLevel), { now });
  const work = {
    briefings: () => bot.issueBriefings(),
    meetingReminders: () => bot.sendMeetingReminders(),
    actionReminders: () => bot.sendActionReminders(),
    agendas: () => bot.postDueAgendas(),
    crisisRepeats: () => bot.repeatCrisisAlerts(),
    retention: async () => (await runRetention(bot.deps, { dryRun: false })).kind,
  };
  process.on('message', (m) => {
    const job = work[m.run];
    Promise.resolve(job ? job() : Promise.reject(new Error(`no such work: ${m.run}`)))
      .then((result) => process.send({ id: m.id, result }), (err) => process.send({ id: m.id, error: String(err) }));
  });
  process.on('SIGTERM', () => { bot.stop().then(() => process.exit(0), () => process.exit(1)); });
  process.send({ ready: true, url: bot.url });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
