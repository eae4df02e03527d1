#!/usr/bin/env node
'use strict';
// `npm start`: build if a source changed, then run kubetls in this same process (one Node start, not two)
const { buildIfChanged } = require('./build-if-changed.cjs');

if (buildIfChanged()) require('../bin/kubetls.cjs');
else process.exitCode = 1;
