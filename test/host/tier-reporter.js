'use strict';
// Mocha's spec reporter, then the tier's count alone on a line: "<tier>: N passed, N failed" (the form
// CI tools read; `npm test` sums these lines). The tier's name comes from --reporter-option tier=<name>.
const Mocha = require('mocha');

class TierReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const tier = (options.reporterOption && options.reporterOption.tier) || 'tests';
    runner.once('end', () => {
      const stats = runner.stats || { passes: 0, failures: 0 };
      console.log(countLine(tier, stats.passes, stats.failures));
    });
  }
}

/** The one format every tier prints. */
function countLine(tier, passed, failed) {
  return `${tier}: ${passed} passed, ${failed} failed`;
}

module.exports = TierReporter;
module.exports.countLine = countLine;
