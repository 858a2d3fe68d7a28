// A real child process whose behaviour a test scripts through its arguments, for the
// supervisor's own tests: `node scripted-child.mjs key=value …`
//   ready=<ms>        emit the ready event after this long (omit: never ready)
//   heartbeat=<ms>    emit heartbeats this often after ready (omit: none)
//   exit=<ms>:<code>  exit with <code> this long after start
//   ignore-term=1     ignore SIGTERM (only SIGKILL ends it)
//   say=<text>        write this line to stdout at start
//   fail=<text>       write an error-level log line and then this plain line to stderr at start
const options = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split(/=(.*)/s).slice(0, 2)));
const event = (name) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event: name })}\n`);

if (options.say) process.stdout.write(`${options.say}\n`);
if (options.fail) process.stderr.write(`${JSON.stringify({ level: 'error', message: 'an earlier error' })}\n{not json\ncode-analysis: ${options.fail}\n`);
process.stderr.write(`${JSON.stringify({ level: 'info', message: `scripted child ${process.pid} up` })}\n`);
if (options.ready !== undefined) {
  setTimeout(() => {
    event('ready');
    if (options.heartbeat) setInterval(() => event('heartbeat'), Number(options.heartbeat));
  }, Number(options.ready));
}
if (options.exit) {
  const [after, code] = options.exit.split(':');
  setTimeout(() => process.exit(Number(code)), Number(after));
}
process.on('SIGTERM', () => {
  if (options['ignore-term'] !== '1') process.exit(0);
});
setInterval(() => {}, 1 << 30);
