// Runs a script's main function so that whatever it started is stopped: on success, on an
// error, and on Ctrl+C / SIGTERM (cleanups run in reverse order of registration).
const cleanups = [];

/** Registers `fn` to run when the script ends; returns `fn`. */
function onCleanup(fn) {
  cleanups.push(fn);
  return fn;
}

let cleaning;
function runCleanups() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(`cleanup failed: ${error && error.message}`);
      }
    }
  })();
  return cleaning;
}

/** Runs `main()`; its resolved number is the exit code. */
function runMain(main) {
  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping...`);
    runCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  main()
    .then(
      (code) => code ?? 0,
      (error) => {
        console.error(error && error.stack ? error.stack : String(error));
        return 1;
      },
    )
    .then(async (code) => {
      await runCleanups();
      process.exit(code);
    });
}

/** "12.3s" */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** `--grep TEXT`, `--grep=TEXT`, `-g TEXT` or a bare word: the mocha grep of a test runner. */
function parseGrepArgs(argv) {
  const options = { grep: process.env.NKM_TEST_GREP || '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep' || argv[i] === '-g') options.grep = argv[++i] || '';
    else if (argv[i].startsWith('--grep=')) options.grep = argv[i].slice(7);
    else if (!argv[i].startsWith('-')) options.grep = argv[i];
  }
  return options;
}

module.exports = { onCleanup, runMain, runCleanups, seconds, parseGrepArgs };
