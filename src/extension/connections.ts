import * as vscode from 'vscode';
import type { WriteConfirmation } from '../core/connect/confirm';
import type { ConnectionManager, ProfileSession } from '../core/connect/pool';
import type { Profile } from '../core/connect/profile';
import type { TunnelHooks } from '../core/connect/tunnel';
import type { PgConnection } from '../core/db/pgConnection';
import { isPgdriftError, messageOf, type ErrorCode, type ErrorFix } from '../core/errors';
import type { ProfileStore } from './profiles/profileStore';

/**
 * The extension's side of the core connection layer: secrets come from SecretStorage, an SSH host
 * key seen for the first time is shown to the user before it is trusted, and failures become
 * messages that say what failed and offer "Edit Profile" when the profile is what needs fixing.
 * Nothing here runs at activation.
 */
export class ConnectionService implements vscode.Disposable {
  /**
   * The connection layer (node-postgres, ssh2, TLS) is loaded on first use, not at activation:
   * opening the Databases view only reads settings.
   */
  private managerLoad: Promise<ConnectionManager> | undefined;

  private manager(): Promise<ConnectionManager> {
    this.managerLoad ??= import('../core/connect/pool.js').then(({ ConnectionManager: Manager }) => new Manager());
    return this.managerLoad;
  }

  constructor(
    private readonly store: ProfileStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * "Test Connection": server version and round-trip time, or what failed and what to do. The
   * outcome is also the command's return value, which the integration tests read.
   */
  async test(profile: Profile): Promise<TestOutcome> {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `pgdrift: connecting to "${profile.name}"…`, cancellable: true },
      async (_progress, token): Promise<TestOutcome> => {
        const secrets = await this.store.readSecrets(profile.name);
        this.log.info(`test connection: profile "${profile.name}"`);
        const manager = await this.manager();
        const attempt = manager.testConnection(profile, secrets, this.tunnelHooks(profile.name));
        const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
        try {
          const result = await Promise.race([attempt, cancelled]);
          if (result === 'cancelled') {
            // The attempt still settles (connect timeout at worst); its pool is closed then.
            attempt.then(() => manager.close(profile.name), () => undefined).catch(() => undefined);
            return { status: 'cancelled' };
          }
          return { status: 'connected', serverVersion: result.serverVersion, roundTripMs: result.roundTripMs };
        } catch (error) {
          return failed(error);
        } finally {
          // A test leaves nothing open: the next real use opens its own pool.
          await manager.close(profile.name).catch(() => undefined);
        }
      },
    );
    if (outcome.status === 'failed') {
      this.showError(profile, outcome);
    } else if (outcome.status === 'connected') {
      const { serverVersion, roundTripMs } = outcome;
      this.log.info(`test connection: "${profile.name}" answered, PostgreSQL ${serverVersion}, ${roundTripMs.toFixed(1)} ms`);
      void vscode.window.showInformationMessage(
        `pgdrift: connected to "${profile.name}": PostgreSQL ${serverVersion.split(' ')[0]}, round trip ${roundTripMs < 10 ? roundTripMs.toFixed(1) : Math.round(roundTripMs)} ms.`,
      );
    }
    return outcome;
  }

  /**
   * The profile's pooled read-only session (opened on first use, kept for the next check); the
   * caller handles failures (showError when the user should see them).
   */
  async session(profile: Profile): Promise<ProfileSession> {
    const secrets = await this.store.readSecrets(profile.name);
    return (await this.manager()).session(profile, secrets, this.tunnelHooks(profile.name));
  }

  /**
   * A connection that may write, outside the pool (the caller closes it): refused for a read-only
   * profile, and for a production profile without the confirmation confirmWrite gave.
   */
  async openForWrite(profile: Profile, confirmation?: unknown): Promise<PgConnection> {
    const secrets = await this.store.readSecrets(profile.name);
    const manager = await this.manager();
    return manager.openForWrite(profile, secrets, confirmation as WriteConfirmation | undefined, this.tunnelHooks(profile.name));
  }

  /** Closes the pool (and tunnel) of a profile that was edited or removed. */
  async forget(name: string): Promise<void> {
    if (this.managerLoad) await (await this.managerLoad).close(name);
  }

  dispose(): void {
    void this.managerLoad?.then((manager) => manager.dispose());
  }

  /**
   * Errors say what failed and what to do; when the fix is in the profile (password, host, CA
   * file, SSH key, a deleted secret, an unset variable) the message offers to edit it. Not awaited
   * by callers: the notification stays until the user answers it.
   */
  showError(profile: Profile, failure: Extract<TestOutcome, { status: 'failed' }>): void {
    this.log.error(`"${profile.name}": ${failure.message}`);
    const actions = failure.fix === 'edit-profile' ? ['Edit Profile', 'Show Log'] : ['Show Log'];
    // Core messages usually name the profile already ("no password stored for profile …").
    const text = failure.message.includes(`"${profile.name}"`) ? failure.message : `"${profile.name}": ${failure.message}`;
    void vscode.window.showErrorMessage(`pgdrift: ${text}`, ...actions).then(async (choice) => {
      if (choice === 'Edit Profile') await vscode.commands.executeCommand('pgdrift.editProfile', profile.name);
      if (choice === 'Show Log') this.log.show(true);
    });
  }

  /** Shows a bastion's unknown host key to the user, who trusts it or not. */
  tunnelHooks(profileName: string): TunnelHooks {
    return {
      confirmUnknownHostKey: async ({ host, port, keyType, fingerprint }) => {
        const choice = await vscode.window.showWarningMessage(
          `The SSH host ${host}:${port} (bastion of "${profileName}") is not known yet.`,
          {
            modal: true,
            detail: `Its ${keyType} key has the fingerprint\n${fingerprint}\n\nCompare it with the one your administrator gives you (ssh-keygen -lf on the bastion's host key). If you trust it, pgdrift adds it to known_hosts and connects.`,
          },
          'Trust and Connect',
        );
        return choice === 'Trust and Connect';
      },
    };
  }
}

export type TestOutcome =
  | { status: 'connected'; serverVersion: string; roundTripMs: number }
  | { status: 'failed'; code: ErrorCode; message: string; fix?: ErrorFix }
  | { status: 'cancelled' };

function failed(error: unknown): Extract<TestOutcome, { status: 'failed' }> {
  if (!isPgdriftError(error)) return { status: 'failed', code: 'internal', message: messageOf(error) };
  const outcome: Extract<TestOutcome, { status: 'failed' }> = { status: 'failed', code: error.code, message: error.message };
  if (error.fix) outcome.fix = error.fix;
  return outcome;
}
