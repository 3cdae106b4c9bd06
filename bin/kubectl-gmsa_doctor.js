#!/usr/bin/env node
// The kubectl plugin: kubectl runs `kubectl gmsa-doctor ARGS` as `kubectl-gmsa_doctor ARGS`, which is `gmsa-doctor k8s ARGS`.
import '../dist/cli/index.js';
