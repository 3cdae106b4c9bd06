/**
 * Planning: which checks a run can judge and which probes it needs, from the options, where the tool runs and the
 * facts already known; and, for every check of the command's catalogue it does not run, why not and what would run
 * it (the "not checked here" part of every report).
 */
import { RUN_CHECKS } from '../checks/index.js';
import { notChecked } from '../engine/check.js';
import type { Check, NotChecked } from '../engine/check.js';
import type { FactKey, FactStore } from '../engine/facts.js';
import type { CheckOptions } from '../engine/options.js';
import type { Probe } from '../engine/probe.js';
import { gmsaSubject } from '../facts/subjects.js';
import type { Subject } from '../facts/subjects.js';
import type { HostEnvironment } from './environment.js';
import { anyOfText, collectText, HOW, HOW_SUBJECTS, howText } from './hints.js';
import type { Needs } from './hints.js';
import { checkProbes } from './probes.js';

export interface CheckPlan {
  checks: Check[];
  notChecked: NotChecked[];
}

export interface RunPlan extends CheckPlan {
  probes: Probe[];
  /** Subjects judged whatever the probes find: the gMSAs given or discovered. */
  subjects: Subject[];
}

/**
 * The checks of `scope` that can run: every fact they need can be had (a check that needs nothing, once one of the
 * facts it uses can). For the others, what would give the facts they miss.
 */
export function planChecks(
  scope: readonly Check[],
  canHave: (key: FactKey) => boolean,
  how: (key: FactKey) => Needs,
  say = (text: string) => text,
): CheckPlan {
  const plan: CheckPlan = { checks: [], notChecked: [] };
  for (const check of scope) {
    const missing = check.needs.filter((key) => !canHave(key));
    const usable = check.needs.length > 0 || (check.uses ?? []).some(canHave);
    if (missing.length === 0 && usable) plan.checks.push(check);
    else
      plan.notChecked.push(
        notChecked(check, say(missing.length > 0 ? howText(missing.map(how)) : anyOfText((check.uses ?? []).map(how)))),
      );
  }
  return plan;
}

/** After the run: the checks of a kind of subject of which it found none (no gMSA named, no container with a spec). */
export function idleNotChecked(idle: readonly Check[]): NotChecked[] {
  return idle.map((check) => notChecked(check, check.subject ? HOW_SUBJECTS[check.subject] : 'no subject to judge'));
}

/** The checks of `scope` these probes (and the facts already known) make possible, the gMSAs given as subjects. */
export function planProbes(
  probes: Probe[],
  options: Pick<CheckOptions, 'gmsas'>,
  known?: FactStore,
  scope: readonly Check[] = RUN_CHECKS,
): RunPlan {
  const canHave = (key: FactKey): boolean => known?.has(key) === true || probes.some((p) => p.provides.includes(key));
  return { ...planChecks(scope, canHave, (key) => HOW[key]), probes, subjects: options.gmsas.map(gmsaSubject) };
}

/** `check` and `collect`: the probes of every family that applies here, and the checks they make possible. */
export function planRun(options: CheckOptions, env: HostEnvironment, known?: FactStore): RunPlan {
  return planProbes(checkProbes(options, env), options, known);
}

/** `analyze`: the checks whose facts the saved file holds; the others need `collect` to gather more. */
export function planSaved(facts: FactStore, scope: readonly Check[] = RUN_CHECKS): CheckPlan {
  return planChecks(
    scope,
    (key) => facts.has(key),
    (key) => HOW[key],
    (text) => `not in the facts file (${collectText(text)})`,
  );
}
