/**
 * Copying a code from the popup (design §1 story 5). The popup writes the clipboard, since it has the user's
 * click; the background clears it again (src/background/clipboard.ts), so closing the popup changes nothing.
 * The popup sends the code's ids, never the code, and says exactly what the background answered it will do.
 */
import { t } from '../../i18n';
import type { ClipboardClearPlan } from '../../messaging';
import { errorMessage } from './errors';

export interface CopyDeps {
  writeText(text: string): Promise<void>;
  /** Tells the background what was copied; it answers how it will clear it. */
  copied(): Promise<ClipboardClearPlan>;
}

export type CopyResult = { ok: true; plan: ClipboardClearPlan } | { ok: false; error: string };

export async function copyCode(code: string, deps: CopyDeps): Promise<CopyResult> {
  try {
    await deps.writeText(code);
  } catch {
    return { ok: false, error: t('account.clipboard.refused') };
  }
  try {
    return { ok: true, plan: await deps.copied() };
  } catch (failure) {
    // Nothing would clear it: better no code on the clipboard than one that stays there.
    await deps.writeText('').catch(() => undefined);
    return { ok: false, error: t('account.clipboard.noClear', { reason: errorMessage(failure) }) };
  }
}

/** The status after a copy: what the background will do, in its own terms. */
export function copiedMessage(number: number, plan: ClipboardClearPlan): string {
  const seconds = Math.max(1, Math.round(plan.clearAfterMs / 1000));
  const values = { number: String(number), when: t('account.clipboard.when', seconds) };
  return plan.checksFirst ? t('account.clipboard.checks', values) : t('account.clipboard.empties', values);
}

/** Why Spare asks for the optional `clipboardRead` permission, next to the button that asks. */
export const clipboardReadReason = () => t('account.clipboard.readReason');
