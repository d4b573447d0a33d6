import { ValidationError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { closest } from '../../kernel/model/suggest.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { Telemetry } from '../../kernel/telemetry/telemetry.js';
import { readingRules } from '../../records/identity/viewer.js';
import type { Actions, PolicyDocument, ProposeAll } from '../../services/approvals/index.js';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from '../../services/working-hours/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { type AgreementReport, type AgreementReportQuery, agreementsReport } from './agreements-report.js';
import { runNudgePass } from './nudge-pass.js';
import type { Agreement, NudgeRound } from './nudges.js';

/** `ts.agreements`: the policy's working agreements, the nudges pass and the report. */
export interface Agreements {
  /** The working agreements of the policy (`agreements:`), as validated. */
  list(): Agreement[];
  /**
   * One nudges pass (docs/hub.md#working-agreements-and-nudges), at the clock's now or `now`: every nudge and escalation
   * due is proposed once per agreement, signal, recipient and stage, in the recipient's working hours. `teamstate
   * serve` runs it every 10 minutes after refreshing the signals.
   * With `dryRun` nothing is proposed, claimed or recorded: `round.due` lists what would be proposed.
   * @example const round = await ts.agreements.nudge()
   */
  nudge(options?: { now?: Date; dryRun?: boolean }): Promise<NudgeRound>;
  /**
   * Per agreement: breaches, nudges, the share acted on within 24 h, and the median time to resolve before and after
   * it started, with a bootstrap 95% interval of the difference (or "not enough data").
   * @example const { agreements } = await ts.agreements.report({ from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })
   */
  report(query: AgreementReportQuery): Promise<{ from: string; to: string; team?: string; agreements: AgreementReport[] }>;
}

/** ` (did you mean "item.blocked"?)` when a known kind is close to a misspelt one, else nothing. */
function didYouMean(kind: string, known: readonly string[]): string {
  const suggestion = closest(kind, known);
  return suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
}

/**
 * Checks each agreement's `signal` against the registered detectors' kinds: one that names no detector is refused with
 * its path (it could never nudge). Without detectors nothing is checked.
 */
export function checkAgreements(policy: PolicyDocument, detectors: readonly { kind: string }[]): void {
  const detectorKinds = detectors.map((detector) => detector.kind);
  if (detectorKinds.length === 0) return;
  const issues = (policy.agreements ?? []).flatMap((agreement, index) =>
    detectorKinds.includes(agreement.signal)
      ? []
      : [
          {
            path: `policy.agreements[${index}].signal`,
            message: `no signal detector of kind ${JSON.stringify(agreement.signal)}${didYouMean(agreement.signal, detectorKinds)}; known: ${[...detectorKinds].sort().join(', ')}`,
          },
        ],
  );
  if (issues.length > 0) throw new ValidationError('invalid_policy', 'policy', issues);
}

/** Builds `ts.agreements` over the policy's agreements; working hours from the signal settings (default 9–17 UTC, Mon–Fri). */
export function createAgreementsApi(
  deps: {
    store: Store;
    workspace: string;
    clock: () => Date;
    log: Logger;
    actions: Pick<Actions, 'list'> & { proposeAll: ProposeAll };
    /** Its `nudges` counter counts the nudges proposed. */
    telemetry?: Pick<Telemetry, 'nudges'>;
    /** Who may receive a nudge about a wellbeing signal (the reading rule); without it, anyone the agreement names. */
    wellbeing?: { kinds: readonly string[]; mayRead(recipient: string, person: string): Promise<boolean> };
    /** The policy's free-text redaction (`limits.pii_redaction`), for what a nudge quotes. */
    redact?: (text: string) => string;
  },
  policy: PolicyDocument,
  settings?: SignalSettings,
): Agreements {
  const agreements = policy.agreements ?? [];
  const workingHours: WorkingHours = { ...DEFAULT_WORKING_HOURS, ...settings?.workingHours };
  return {
    list: () => agreements.map((agreement) => structuredClone(agreement)),
    nudge: (options = {}) =>
      runNudgePass(
        {
          ...deps,
          agreements,
          approvers: readingRules(policy).approvers,
          workingHours,
          onNudge: (stage) => deps.telemetry?.nudges.add(1, { stage }),
          clock: options.now ? () => options.now! : deps.clock,
        },
        options.dryRun ? { dryRun: true } : {},
      ),
    report: (query) => agreementsReport({ store: deps.store, workspace: deps.workspace, agreements }, query),
  };
}
